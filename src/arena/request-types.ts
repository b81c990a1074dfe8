/**
 * Inputs and outputs of the request builders (§4, §5, §7). Internal camelCase; the wire field
 * names appear only inside the builders.
 */
import type { JobRequest } from '../shared/worker-protocol.js';
import type { ArenaMode, Modality, RecaptchaRequirement } from './types.js';

/** One `experimental_attachments` element (§8.1). */
export interface ArenaAttachment {
  /** File name (Gen A) or the storage key from `generateUploadUrl` (Gen B/C). */
  name: string;
  contentType: string;
  /** A signed download URL, an http(s) URL, or (Gen A) a `data:` URI. */
  url: string;
}

/** One earlier conversation turn, for bodies that carry history (Gen A, variant B-messages). */
export interface ArenaTurn {
  role: 'system' | 'user' | 'assistant';
  content: string;
  attachments?: ArenaAttachment[];
  /** The model that produced an assistant turn; `null`/absent when unknown. */
  modelId?: string | null;
}

/** The client-generated ids of one evaluation request (§2.5). */
export interface EvaluationIds {
  sessionId: string;
  userMessageId: string;
  modelAMessageId: string;
  /** Present for battle and side-by-side (and direct with `alwaysSendModelBMessageId`). */
  modelBMessageId?: string;
}

/** The ids a Gen C retry addresses: the session and the assistant message regenerated in place. */
export interface RetryIds {
  sessionId: string;
  modelAMessageId: string;
}

/**
 * What every builder returns: the request for the page agent and the ids it carries. The request is
 * the worker protocol's job as is: a JSON body without a token, to which the agent adds the field
 * `recaptcha.field` names before sending it as `text/plain` JSON text, as the site does (§2.4).
 */
export interface BuiltArenaRequest<Ids = EvaluationIds> {
  request: JobRequest;
  ids: Ids;
}

/** Input of {@link buildCreateEvaluation}. */
export interface CreateEvaluationInput {
  mode: ArenaMode;
  /** Required for `direct`, `direct-battle` and `side-by-side`; must be absent for `battle`. */
  modelAId?: string;
  /** Required for `side-by-side` only. */
  modelBId?: string;
  modality: Modality;
  /** The newest user text. */
  prompt: string;
  attachments?: ArenaAttachment[];
  /**
   * `userMessage`: the compact body bridges use since 2025-11 (server owns the history).
   * `messages`: the full `messages` array the 2025 site sent, with `history` before the prompt.
   * @default 'userMessage'
   */
  variant?: 'userMessage' | 'messages';
  /** Earlier turns, only for the `messages` variant; chained by `parentMessageIds`. */
  history?: ArenaTurn[];
  /** Ids to use instead of fresh UUIDv7s (tests, or replaying a known request). */
  ids?: Partial<EvaluationIds>;
  /** @default { action: 'chat_submit', version: 'v3' } */
  recaptcha?: RecaptchaRequirement;
  /**
   * Send `modelBMessageId` in direct modes too, as the CloudWaddie line does (§14.2).
   * @default false
   */
  alwaysSendModelBMessageId?: boolean;
  /** Clock for the UUIDv7 timestamps. @default Date.now */
  now?: () => number;
}

/** Input of {@link buildPostToEvaluation}: a create input plus the existing session. */
export interface PostToEvaluationInput extends CreateEvaluationInput {
  sessionId: string;
}

/** Input of {@link buildRetry} (Gen B/C regenerate, §5.3). */
export interface RetryInput {
  sessionId: string;
  /** The assistant message to regenerate. */
  messageId: string;
  /** @default { action: 'chat_retry', version: 'v3' } */
  recaptcha?: RecaptchaRequirement;
}

/** Input of {@link buildGenARetry} (Gen A replay of the Retry endpoint, §4). */
export interface GenARetryInput {
  /** The captured session id (§11.4). */
  sessionId: string;
  /** The captured assistant message id. */
  messageId: string;
  /** The whole conversation to replay, oldest first; the last turn is the one answered. */
  turns: ArenaTurn[];
  modelId: string | null;
  /** The mode the ids were captured in; decides `participantPosition` (§4.2). */
  mode: 'direct_chat' | 'battle';
  /** Side to target in battle mode. @default 'A' */
  battleTarget?: 'A' | 'B';
  /** Image-model request: every message is `success`, none `pending`. @default false */
  imageRequest?: boolean;
  /** Use the pre-2025-08-27 `/api/stream` prefix. @default false */
  legacyPrefix?: boolean;
  /** Gen A predates reCAPTCHA, so no token by default. */
  recaptcha?: RecaptchaRequirement;
  /** Clock for ids and `createdAt`/`updatedAt`. @default Date.now */
  now?: () => number;
}
