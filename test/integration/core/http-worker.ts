/**
 * A worker for the core integration tests: a FakeWorker whose jobs are performed with Node's fetch
 * against the fake LMArena (minting reCAPTCHA tokens from the fake, as the in-page agent would from
 * grecaptcha), one upstream read per pull. The pool side is the real pool (src/core/test-support/recorded-pool.ts).
 */
import { AUTH_COOKIE } from '../../../src/arena/constants.js';
import type { JobRequest } from '../../../src/shared/worker-protocol.js';
import { FakeWorker, READY_PAGE } from '../../../src/workers/test-support/fake-worker.js';
import type { JobEvent } from '../../../src/workers/types.js';

/** What the worker needs from the fake. */
export interface TokenMinter {
  mintToken(request: { action?: string; version?: 'v3' | 'v2' }): string;
}

function identityOf(cookieValue: string | undefined): string | null {
  if (!cookieValue?.startsWith('base64-')) return null;
  try {
    const session = JSON.parse(Buffer.from(cookieValue.slice('base64-'.length), 'base64').toString('utf8')) as { user?: { id?: string } };
    return session.user?.id ?? null;
  } catch {
    return null;
  }
}

/** A worker backed by fetch; each instance has its own cookie jar, hence identity. */
export class HttpWorker extends FakeWorker {
  /** Fail the next N jobs with `worker-lost` after the response line. */
  loseNextJobs = 0;
  readonly #origin: string;
  readonly #minter: TokenMinter;
  readonly #cookies = new Map<string, string>();

  private constructor(id: string, origin: string, minter: TokenMinter) {
    super(id, { kind: 'browser', page: { ...READY_PAGE, url: `${origin}/`, origin }, maxConcurrency: 4 });
    this.#origin = origin;
    this.#minter = minter;
    this.script = (request, signal) => this.#perform(request, signal);
  }

  /** Opens the site once (as a page load would) to obtain the fake's identity cookies. */
  static async connect(id: string, origin: string, minter: TokenMinter): Promise<HttpWorker> {
    const worker = new HttpWorker(id, origin, minter);
    const response = await fetch(`${origin}/`, { redirect: 'manual' });
    worker.#store(response);
    await response.text();
    worker.page = { ...worker.page, identity: identityOf(worker.#cookies.get(AUTH_COOKIE)) };
    return worker;
  }

  #store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0] ?? '';
      const index = pair.indexOf('=');
      if (index > 0) this.#cookies.set(pair.slice(0, index).trim(), pair.slice(index + 1).trim());
    }
  }

  async *#perform(request: JobRequest, signal: AbortSignal): AsyncGenerator<JobEvent[]> {
    const lose = this.loseNextJobs > 0;
    if (lose) this.loseNextJobs -= 1;
    try {
      const response = await fetch(new URL(request.url, this.#origin), {
        method: request.method, headers: { ...request.headers, cookie: this.#cookieHeader() }, body: this.#body(request), signal, redirect: 'manual',
      });
      this.#store(response);
      yield [{ type: 'response', status: response.status, headers: Object.fromEntries(response.headers) }];
      if (lose) {
        await response.body?.cancel();
        yield [{ type: 'error', reason: 'worker-lost', message: 'test: socket closed' }];
        return;
      }
      const decoder = new TextDecoder();
      const reader = response.body?.getReader();
      for (;;) {
        const next = reader ? await reader.read() : { done: true as const, value: undefined };
        if (next.done) break;
        const data = decoder.decode(next.value, { stream: true });
        if (data !== '') yield [{ type: 'chunk', data }];
      }
      const tail = decoder.decode();
      if (tail !== '') yield [{ type: 'chunk', data: tail }];
      yield [{ type: 'end' }];
    } catch (error) {
      yield [{ type: 'error', reason: signal.aborted ? 'aborted' : 'network', message: error instanceof Error ? error.message : String(error) }];
    }
  }

  #body(request: JobRequest): string | undefined {
    if (request.body?.kind === 'text') return request.body.value;
    if (request.body?.kind !== 'json') return undefined;
    const value = { ...(request.body.value as Record<string, unknown>) };
    if (request.recaptcha) {
      value[request.recaptcha.field] = this.#minter.mintToken({ action: request.recaptcha.action, version: request.recaptcha.version });
    }
    return JSON.stringify(value);
  }

  #cookieHeader(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}
