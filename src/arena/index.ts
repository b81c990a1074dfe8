/**
 * The arena protocol core (../../shared/arena-protocol.md): request bodies, ids, the stream record
 * parser, error classification and model/action discovery. Pure: no I/O, imports only src/shared.
 */
export { uuidv7, isUuid, isUuidV7 } from './uuidv7.js';
export type { UuidV7Options } from './uuidv7.js';
export { ArenaInputError, isArenaInputError } from './arena-input-error.js';
export { buildCreateEvaluation, buildPostToEvaluation } from './build-evaluation.js';
export { tokenPoolSettings } from './evaluation-ids.js';
export { buildRetry, buildGenARetry } from './build-retry.js';
export type {
  ArenaAttachment,
  ArenaTurn,
  BuiltArenaRequest,
  CreateEvaluationInput,
  EvaluationIds,
  GenARetryInput,
  PostToEvaluationInput,
  RetryIds,
  RetryInput,
} from './request-types.js';
export { buildServerAction, parseServerActionResponse } from './server-action.js';
export type { ServerActionInput, ServerActionResult } from './server-action.js';
export { modalityOf } from './modality-of.js';
export { createStreamParser, parseStreamText } from './stream-parser.js';
export type { StreamParser } from './stream-parser.js';
export { classifyHttpError } from './classify-http-error.js';
export { parseRateLimitHeaders, type RateLimitBudget } from './rate-limit-header.js';
export type { HttpErrorInput } from './classify-http-error.js';
export { classifyProviderMessage } from './classify-provider-message.js';
export { isRetryableBeforeOutput, describeArenaError } from './arena-error-policy.js';
export { parseRetryAfter, MAX_RETRY_AFTER_SECONDS } from './retry-after.js';
export { extractModelsFromHtml, parseModelCatalog } from './model-list.js';
export { normalizeModel } from './normalize-model.js';
export { findEvaluationChunkPaths, extractActionIds, extractRecaptchaSiteKey } from './action-ids.js';
export {
  ARENA_ORIGIN,
  LEGACY_ARENA_ORIGIN,
  STREAM_PREFIX,
  LEGACY_STREAM_PREFIX,
  PATHS,
  RECAPTCHA_V3_SITE_KEY,
  RECAPTCHA_V2_SITE_KEY,
  TURNSTILE_SITE_KEY,
  RECAPTCHA_V3_FIELD,
  RECAPTCHA_V2_FIELD,
  AUTH_COOKIE,
  PROVISIONAL_USER_COOKIE,
  CLEARANCE_COOKIE,
  SERVER_ACTION_NAMES,
  PROMPT_CHARACTER_LIMIT,
  INLINE_ATTACHMENT_LIMIT_BYTES,
} from './constants.js';
export type { ServerActionName } from './constants.js';
export type {
  Side,
  ArenaMode,
  Modality,
  RecaptchaAction,
  ArenaUsage,
  FinishReason,
  ArenaEvent,
  ArenaErrorKind,
  ArenaError,
  RecaptchaRequirement,
  ModelCapabilities,
  ArenaModel,
} from './types.js';
