/**
 * The worker protocol: every message between the bridge and an in-page agent (the userscript in a
 * user's browser, or the same agent injected into our Chromium). Both ends import these schemas and
 * validate every inbound message with them; neither side restates the shapes by hand.
 *
 * Flow control is credit based: the agent may have at most `window` chunks of a job un-acknowledged;
 * the bridge grants more with `job-ack` as its consumer takes them, so a slow OpenAI client makes the
 * page stop reading the upstream body instead of making the bridge buffer it.
 */
// zod/mini: the same validation with a tree-shakable API, so the in-page agent bundle stays small.
import * as z from 'zod/mini';

/** Bumped on any incompatible change; the bridge refuses agents that speak another version. */
export const WORKER_PROTOCOL_VERSION = 1;

/** Chunks an agent may send for one job before it waits for a `job-ack`. */
export const DEFAULT_CHUNK_WINDOW = 64;

const version = z.literal(WORKER_PROTOCOL_VERSION);

/** What an agent reports about its page. */
export const pageStateSchema = z.object({
  url: z.string(),
  origin: z.string(),
  title: z.string(),
  /** A Cloudflare challenge (or similar interstitial) is showing instead of the site. */
  challenge: z.boolean(),
  /** `grecaptcha.enterprise` (or plain `grecaptcha`) is loaded and ready. */
  recaptchaReady: z.boolean(),
  /** v3 site key read from the page's `recaptcha/enterprise.js?render=` script. */
  siteKey: z.nullable(z.string()),
  /** `signed-in` when the page shows a user with an email; `anonymous` otherwise; `unknown` before load. */
  auth: z.enum(['signed-in', 'anonymous', 'unknown']),
  /** The signed-in email, when known (shown in /health without other secrets). */
  email: z.nullable(z.string()),
  /** A stable identity for session affinity (user id or provisional id), when the page exposes one. */
  identity: z.nullable(z.string()),
  /**
   * The site's "Security Verification" modal (the account flag's v2 check, protocol §15.4) is
   * showing. Optional so that agents installed before it existed still validate.
   */
  verification: z.optional(z.boolean()),
  /**
   * The protocol the page's document came over (`nextHopProtocol` of its navigation entry: `h2`,
   * `h3`, `http/1.1`, …); `''` when the browser does not say. The bridge sizes the page's
   * concurrency from it. Optional so that agents installed before it existed still validate.
   */
  httpProtocol: z.optional(z.string()),
});
export type PageState = z.infer<typeof pageStateSchema>;

/** How the agent obtains a reCAPTCHA token for a job (§6 of arena-protocol.md). */
export const recaptchaJobSchema = z.object({
  action: z.string(),
  version: z.enum(['v3', 'v2']),
  /** Body field to set; the agent never needs to know arena body shapes beyond this. */
  field: z.string(),
  /** v2 site key (the v3 key is read from the page). */
  v2SiteKey: z.optional(z.string()),
});
export type RecaptchaJob = z.infer<typeof recaptchaJobSchema>;

/** One HTTP exchange the agent performs from the page with `fetch` (same origin, the page's cookies). */
export const jobRequestSchema = z.object({
  method: z.enum(['GET', 'POST', 'PUT', 'DELETE']),
  /** Origin-relative (`/nextjs-api/...`) or absolute URL. */
  url: z.string(),
  headers: z.record(z.string(), z.string()),
  /** JSON body (token added by the agent, then sent as text), plain text, or base64 bytes. */
  body: z.optional(
    z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('json'), value: z.unknown() }),
      z.object({ kind: z.literal('text'), value: z.string() }),
      z.object({ kind: z.literal('base64'), value: z.string() }),
    ]),
  ),
  recaptcha: z.optional(recaptchaJobSchema),
});
export type JobRequest = z.infer<typeof jobRequestSchema>;

// ---- bridge → agent -------------------------------------------------------------------------

/**
 * How the agent keeps reCAPTCHA v3 tokens minted ahead (absent: it mints every token on the request
 * path). Tokens are single use; one older than `maxAgeMs` is dropped unused.
 */
export const tokenPoolSchema = z.object({
  /** Tokens kept ready per action. */
  size: z.number().check(z.int(), z.nonnegative(), z.maximum(16)),
  maxAgeMs: z.number().check(z.int(), z.positive()),
  /** Actions to mint for as soon as the page can (others are learned from the jobs). */
  actions: z.array(z.string()),
});
export type TokenPoolSettings = z.infer<typeof tokenPoolSchema>;

export const helloAckSchema = z.object({
  type: z.literal('hello-ack'),
  protocolVersion: version,
  workerId: z.string(),
  heartbeatIntervalMs: z.number().check(z.int(), z.positive()),
  tokenPool: z.optional(tokenPoolSchema),
});

export const jobStartSchema = z.object({
  type: z.literal('job-start'),
  protocolVersion: version,
  jobId: z.string(),
  request: jobRequestSchema,
  /** Chunks the agent may send before waiting for `job-ack`. */
  window: z.number().check(z.int(), z.positive()),
});

export const jobAckSchema = z.object({
  type: z.literal('job-ack'),
  protocolVersion: version,
  jobId: z.string(),
  /** How many more chunks the agent may send. */
  credit: z.number().check(z.int(), z.positive()),
});

export const jobCancelSchema = z.object({
  type: z.literal('job-cancel'),
  protocolVersion: version,
  jobId: z.string(),
  reason: z.string(),
});

export const pageReloadSchema = z.object({
  type: z.literal('page-reload'),
  protocolVersion: version,
  reason: z.string(),
});

export const captureArmSchema = z.object({
  type: z.literal('capture-arm'),
  protocolVersion: version,
  armed: z.boolean(),
});

export const bridgeToAgentSchema = z.discriminatedUnion('type', [
  helloAckSchema,
  jobStartSchema,
  jobAckSchema,
  jobCancelSchema,
  pageReloadSchema,
  captureArmSchema,
]);
export type BridgeToAgentMessage = z.infer<typeof bridgeToAgentSchema>;

// ---- agent → bridge -------------------------------------------------------------------------

export const workerHelloSchema = z.object({
  type: z.literal('worker-hello'),
  protocolVersion: version,
  agentVersion: z.string(),
  /** `userscript` (Tampermonkey) or `browser` (injected by our Chromium host). */
  host: z.enum(['userscript', 'browser']),
  /** Pairing secret that proves the agent was served by this bridge. */
  secret: z.string(),
  /** Set by our Chromium host so the pool can tie the agent to the page it launched. */
  pageToken: z.optional(z.string()),
  capabilities: z.array(z.string()),
  page: pageStateSchema,
});

export const jobResponseSchema = z.object({
  type: z.literal('job-response'),
  protocolVersion: version,
  jobId: z.string(),
  status: z.number().check(z.int()),
  headers: z.record(z.string(), z.string()),
});

export const jobChunkSchema = z.object({
  type: z.literal('job-chunk'),
  protocolVersion: version,
  jobId: z.string(),
  /** Body text, decoded by the agent with a streaming UTF-8 decoder (never splits a character). */
  data: z.string(),
});

export const jobEndSchema = z.object({
  type: z.literal('job-end'),
  protocolVersion: version,
  jobId: z.string(),
});

/** Why a job failed in the page, before or during the response body. */
export const jobFailureReasonSchema = z.enum([
  'aborted',
  'network',
  'recaptcha-unavailable',
  'recaptcha-failed',
  'challenge',
  'bad-request',
  'internal',
]);
export type JobFailureReason = z.infer<typeof jobFailureReasonSchema>;

export const jobErrorSchema = z.object({
  type: z.literal('job-error'),
  protocolVersion: version,
  jobId: z.string(),
  reason: jobFailureReasonSchema,
  message: z.string(),
});

export const heartbeatSchema = z.object({
  type: z.literal('heartbeat'),
  protocolVersion: version,
  at: z.number(),
  activeJobs: z.number().check(z.int(), z.nonnegative()),
});

export const pageStateMessageSchema = z.object({
  type: z.literal('page-state'),
  protocolVersion: version,
  page: pageStateSchema,
});

/** Ids captured from the site's own Retry request while capture was armed (issue: capture-ids). */
export const idsCapturedSchema = z.object({
  type: z.literal('ids-captured'),
  protocolVersion: version,
  sessionId: z.string(),
  messageId: z.string(),
});

export const agentToBridgeSchema = z.discriminatedUnion('type', [
  workerHelloSchema,
  jobResponseSchema,
  jobChunkSchema,
  jobEndSchema,
  jobErrorSchema,
  heartbeatSchema,
  pageStateMessageSchema,
  idsCapturedSchema,
]);
export type AgentToBridgeMessage = z.infer<typeof agentToBridgeSchema>;
