import type { RecaptchaJob } from '../../src/shared/worker-protocol.js';
import type { AgentEnvironment, AgentTimings, RecaptchaApi, RecaptchaClient } from './agent-environment.js';
import { JobFailure, describeError } from './job-failure.js';
import type { TokenPool } from './token-pool.js';
import { settleWithin, sleep } from './wait.js';

/** What minting needs besides the job's recaptcha instructions. */
export interface MintContext {
  environment: AgentEnvironment;
  timings: AgentTimings;
  signal: AbortSignal;
  /** v3 tokens minted ahead; without it every token is minted on the request path. */
  tokens?: TokenPool;
}

const POLL_MS = 100;
/** Give the page's own script tag a head start before injecting a second copy. */
const INJECT_AFTER_MS = 2000;

type Need = 'v3' | 'v2';

function pickClient(api: RecaptchaApi | undefined, need: Need): RecaptchaClient | undefined {
  if (!api) return undefined;
  const usable = (client: RecaptchaClient | undefined): client is RecaptchaClient =>
    client !== undefined &&
    typeof client.execute === 'function' &&
    (need === 'v3' || typeof client.render === 'function');
  // Enterprise first: the site loads enterprise.js; plain grecaptcha is the fallback.
  if (usable(api.enterprise)) return api.enterprise;
  return usable(api) ? api : undefined;
}

async function waitForClient(context: MintContext, need: Need): Promise<RecaptchaClient> {
  const { environment, timings, signal } = context;
  const started = environment.timers.now();
  let injected = false;
  for (;;) {
    const client = pickClient(environment.getRecaptcha(), need);
    if (client) return client;
    const waited = environment.timers.now() - started;
    if (waited >= timings.recaptchaLoadTimeoutMs) {
      throw new JobFailure('recaptcha-unavailable', `grecaptcha did not load within ${timings.recaptchaLoadTimeoutMs} ms.`);
    }
    if (!injected && waited >= Math.min(INJECT_AFTER_MS, timings.recaptchaLoadTimeoutMs / 3)) {
      injected = true;
      environment.loadRecaptcha?.();
    }
    await sleep(environment.timers, POLL_MS, signal);
  }
}

function waitUntilReady(client: RecaptchaClient, context: MintContext): Promise<void> {
  const ready = client.ready;
  if (typeof ready !== 'function') return Promise.resolve();
  return settleWithin(new Promise<void>((resolve) => ready.call(client, () => resolve())), {
    timers: context.environment.timers,
    timeoutMs: context.timings.recaptchaLoadTimeoutMs,
    signal: context.signal,
    onTimeout: () => new JobFailure('recaptcha-unavailable', 'grecaptcha.ready() never called back.'),
  });
}

function checkToken(token: unknown): string {
  if (typeof token !== 'string' || token === '') {
    throw new JobFailure('recaptcha-failed', 'grecaptcha returned no token.');
  }
  return token;
}

async function mintV3(action: string, context: MintContext): Promise<string> {
  const client = await waitForClient(context, 'v3');
  await waitUntilReady(client, context);
  // Re-read every time: the key may change with a deploy and tokens are single use.
  const siteKey = context.environment.getPageState().siteKey;
  if (!siteKey) throw new JobFailure('recaptcha-unavailable', 'No reCAPTCHA site key found in the page.');
  let pending: Promise<unknown>;
  try {
    pending = Promise.resolve(client.execute?.call(client, siteKey, { action }));
  } catch (error) {
    throw new JobFailure('recaptcha-failed', `grecaptcha.execute failed: ${describeError(error)}`, { cause: error });
  }
  const token = await settleWithin(pending, {
    timers: context.environment.timers,
    timeoutMs: context.timings.recaptchaLoadTimeoutMs,
    signal: context.signal,
    onTimeout: () => new JobFailure('recaptcha-failed', 'grecaptcha.execute did not resolve in time.'),
  }).catch((error: unknown) => {
    if (error instanceof JobFailure) throw error;
    throw new JobFailure('recaptcha-failed', `grecaptcha.execute failed: ${describeError(error)}`, { cause: error });
  });
  return checkToken(token);
}

async function mintV2(siteKey: string, context: MintContext): Promise<string> {
  const { environment } = context;
  const client = await waitForClient(context, 'v2');
  await waitUntilReady(client, context);
  const container = environment.createRecaptchaContainer?.();
  if (!container) throw new JobFailure('recaptcha-unavailable', 'This page cannot host a reCAPTCHA v2 widget.');
  try {
    const token = new Promise<unknown>((resolve, reject) => {
      const fail = (why: string): void => reject(new JobFailure('recaptcha-failed', why));
      try {
        const widgetId = client.render?.call(client, container.element, {
          sitekey: siteKey,
          size: 'invisible',
          callback: resolve,
          'error-callback': () => fail('The reCAPTCHA v2 widget reported an error.'),
          'expired-callback': () => fail('The reCAPTCHA v2 challenge expired.'),
        });
        if (typeof widgetId !== 'number' && typeof widgetId !== 'string') {
          fail('grecaptcha.render returned no widget id.');
          return;
        }
        Promise.resolve(client.execute?.call(client, widgetId)).catch((error: unknown) =>
          fail(`grecaptcha.execute failed: ${describeError(error)}`),
        );
      } catch (error) {
        fail(`grecaptcha.render failed: ${describeError(error)}`);
      }
    });
    return checkToken(
      await settleWithin(token, {
        timers: environment.timers,
        timeoutMs: context.timings.recaptchaV2TimeoutMs,
        signal: context.signal,
        onTimeout: () => new JobFailure('recaptcha-failed', 'The reCAPTCHA v2 widget gave no token in time.'),
      }),
    );
  } finally {
    container.remove();
  }
}

/**
 * A fresh reCAPTCHA token for a job (arena-protocol.md §6): a v3 token for the job's action from the
 * pool when one is ready (minted ahead, never used before), else minted now with the page's own site
 * key; or an invisible v2 Enterprise widget with the job's v2 key (never ahead: a person may have
 * to solve it). Rejects with a {@link JobFailure} (`recaptcha-unavailable`, `recaptcha-failed`,
 * `bad-request`, `aborted`).
 */
export function mintRecaptchaToken(job: RecaptchaJob, context: MintContext): Promise<string> {
  if (job.version === 'v3') {
    const ready = context.tokens?.take(job.action);
    return ready === undefined ? mintV3(job.action, context) : Promise.resolve(ready);
  }
  if (!job.v2SiteKey) return Promise.reject(new JobFailure('bad-request', 'A v2 reCAPTCHA job needs v2SiteKey.'));
  return mintV2(job.v2SiteKey, context);
}

/** Mints one v3 token now, for the pool (./token-pool.ts). */
export function mintV3Token(action: string, context: MintContext): Promise<string> {
  return mintV3(action, context);
}
