/**
 * The vocabulary of the upstream protocol (../shared/arena-protocol.md) as internal types.
 * Everything here is data: no I/O, no imports from the rest of the project.
 */

/** Side of a comparison: single-model chats use `a` only. */
export type Side = 'a' | 'b';

/** The `mode` field of create-evaluation (§5.4). `direct-battle` is the 2026 g4f spelling of direct. */
export type ArenaMode = 'direct' | 'direct-battle' | 'battle' | 'side-by-side';

/** The `modality` field (§5.4), the site's `EEvaluationModality` (§15.2); `text` is not a value. */
export type Modality = 'auto' | 'chat' | 'webdev' | 'search' | 'image' | 'p2l' | 'video' | 'audio';

/** The reCAPTCHA action names the site uses (§6.1). */
export type RecaptchaAction = 'chat_submit' | 'sign_up' | 'chat_retry';

/** Token usage from a finish record, when upstream gives it (never invented). */
export interface ArenaUsage {
  promptTokens: number;
  completionTokens: number;
}

/**
 * Why an answer ended, in the vocabulary clients use (OpenAI's `finish_reason`); the parser maps
 * the site's spellings (`content-filter`, `tool-calls`, unknown values) to these. A finish with
 * reason `error` is not a finish: the parser reports it as an `error` event.
 */
export type FinishReason = 'stop' | 'length' | 'content_filter' | 'tool_calls';

/**
 * One typed event out of the stream parser, per side. Noun-verb names as in the Vercel AI SDK.
 * `error` covers in-band failures (`a3:` records, `a0:"hasArenaError"`, an HTML challenge page
 * where a stream was expected, a malformed record); its `error` says which kind.
 */
export type ArenaEvent =
  | { type: 'text-delta'; side: Side; text: string }
  | { type: 'reasoning-delta'; side: Side; text: string }
  | { type: 'image'; side: Side; url: string; mimeType?: string }
  | { type: 'video'; side: Side; url: string; mimeType?: string }
  | { type: 'citation'; side: Side; url: string; title?: string }
  | { type: 'heartbeat'; side: Side }
  | { type: 'routed-model'; side: Side; organization: string }
  | { type: 'step-start'; side: Side; messageId: string }
  | { type: 'finish'; side: Side; finishReason: FinishReason; usage?: ArenaUsage }
  | { type: 'error'; side: Side; error: ArenaError };

/**
 * What went wrong upstream, as one internal kind (§10). Later layers turn a kind into a retry
 * decision and an OpenAI error; nothing downstream matches message text.
 */
export type ArenaErrorKind =
  | 'rate-limited'
  | 'recaptcha-rejected'
  | 'mode-not-allowed'
  | 'challenge'
  | 'login-gate'
  | 'session-access-denied'
  | 'auth-expired'
  | 'unauthenticated'
  | 'moderation'
  | 'too-large'
  | 'duplicate-ids'
  | 'bad-request'
  | 'not-found'
  | 'route-not-allowed'
  | 'moved'
  | 'method-not-allowed'
  | 'model-unavailable'
  | 'provider-error'
  | 'server-error'
  | 'truncated'
  | 'empty-stream'
  | 'malformed';

/** A classified upstream failure. */
export interface ArenaError {
  kind: ArenaErrorKind;
  /** Human-readable text from upstream (or a description of what was seen). */
  message: string;
  /** HTTP status when the failure came from a status line. */
  status?: number;
  /** Seconds to wait, from `Retry-After` (any status that sends one: 429, the account flag's 403). */
  retryAfterSeconds?: number;
  /** Upstream `code` field when present (e.g. `LOGIN_GATE`). */
  code?: string;
  /** `Location` for `moved`. */
  location?: string;
  /**
   * For `provider-error`: whether upstream's text says the failure is temporary (overloaded,
   * resource exhausted), so another attempt before output is worthwhile.
   */
  transient?: boolean;
}

/**
 * Which reCAPTCHA token a request needs (§6), as the builders take it; they turn it into the job's
 * `recaptcha` (token field name and v2 site key added).
 */
export interface RecaptchaRequirement {
  action: RecaptchaAction;
  /** `v3` puts the token in `recaptchaV3Token`; `v2` renders the v2 widget and uses `recaptchaV2Token` (§6.4). */
  version: 'v3' | 'v2';
}

/** Input/output capability flags of a model, tested by truthiness (§9.3). */
export interface ModelCapabilities {
  inputText: boolean;
  inputImage: boolean;
  inputFile: boolean;
  /** `inputCapabilities.image.multipleImages === false` */
  singleImageOnly: boolean;
  outputText: boolean;
  outputImage: boolean;
  outputSearch: boolean;
  outputVideo: boolean;
  outputWeb: boolean;
}

/** A model as the site lists it (flight data or model catalog), normalised. */
export interface ArenaModel {
  id: string;
  publicName: string;
  name?: string;
  displayName?: string;
  /** Missing for anonymous "stealth" models. */
  organization?: string;
  provider?: string | null;
  capabilities: ModelCapabilities;
  /** No organization: an anonymous preview model (§9.3). */
  stealth: boolean;
  /** From the catalog's `userSelectable`; true when absent. */
  userSelectable: boolean;
  /** Arena groups this model was listed in (`text`, `text-to-image`, …). */
  arenas: string[];
}
