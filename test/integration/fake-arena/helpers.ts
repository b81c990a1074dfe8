import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startFakeArena, type FakeArena, type FakeArenaOptions } from '../../../src/fake-arena/index.js';

/** A UUIDv7 with the current time (§2.5). */
export function uuidv7(now = Date.now()): string {
  const hex = now.toString(16).padStart(12, '0') + randomBytes(10).toString('hex');
  const variant = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** One parsed `<side><code>:<json>` record. */
export interface ParsedRecord {
  side: string;
  code: string;
  value: unknown;
}

/** Splits a stream body into records; throws on a line that is not a record. */
export function parseRecords(text: string): ParsedRecord[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line) => {
    const match = /^([ab])([0-9a-z]):(.*)$/.exec(line);
    if (match === null) throw new Error(`Not a record: ${JSON.stringify(line)}`);
    return { side: match[1] ?? '', code: match[2] ?? '', value: JSON.parse(match[3] ?? '') as unknown };
  });
}

/** Concatenated text deltas of one side. */
export function textOf(records: readonly ParsedRecord[], side = 'a'): string {
  return records.filter((entry) => entry.side === side && entry.code === '0').map((entry) => String(entry.value)).join('');
}

/** A B-userMessage create-evaluation body with fresh ids and a fresh token (§5.1), single-model as in 2026 (§15.1). */
export function createBody(fake: FakeArena, prompt: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: uuidv7(),
    mode: 'direct-battle',
    modelAId: fake.options.models[0]?.id,
    userMessageId: uuidv7(),
    modelAMessageId: uuidv7(),
    userMessage: { content: prompt, experimental_attachments: [], metadata: {} },
    modality: 'chat',
    recaptchaV3Token: fake.mintToken({ action: 'chat_submit' }),
    ...overrides,
  };
}

/** A follow-up body for post-to-evaluation (§5.2). */
export function postBody(fake: FakeArena, sessionId: string, prompt: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: sessionId,
    userMessageId: uuidv7(),
    modelAMessageId: uuidv7(),
    userMessage: { content: prompt, experimental_attachments: [], metadata: {} },
    recaptchaV3Token: fake.mintToken({ action: 'chat_submit' }),
    ...overrides,
  };
}

/** Sends JSON text as the site does (`text/plain`), with a cookie. */
export function send(fake: FakeArena, path: string, body: unknown, cookie: string, init: { method?: string; headers?: Record<string, string> } = {}): Promise<Response> {
  return fetch(`${fake.url}${path}`, {
    method: init.method ?? 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8', cookie, ...init.headers },
    body: JSON.stringify(body),
    redirect: 'manual',
  });
}

export const CREATE = '/nextjs-api/stream/create-evaluation';
export const POST_TO = (id: string): string => `/nextjs-api/stream/post-to-evaluation/${id}`;
export const RETRY = (sessionId: string, messageId: string): string => `/nextjs-api/stream/retry-evaluation-session-message/${sessionId}/messages/${messageId}`;

/** Creates a session over HTTP and returns its id, the cookie and the parsed reply. */
export async function createConversation(fake: FakeArena, prompt: string, cookie?: string): Promise<{ sessionId: string; cookie: string; body: Record<string, unknown>; text: string }> {
  const jar = cookie ?? fake.createIdentity().cookie;
  const body = createBody(fake, prompt);
  const response = await send(fake, CREATE, body, jar);
  if (response.status !== 200) throw new Error(`create-evaluation answered ${response.status}: ${await response.text()}`);
  return { sessionId: String(body.id), cookie: jar, body, text: textOf(parseRecords(await response.text())) };
}

/** Waits until the fake's log entry for a path has finished. */
export async function waitForFinished(fake: FakeArena, path: string, timeoutMs = 5000): Promise<FakeArena['requests'][number]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const entry = fake.requests.findLast((request) => request.path === path && request.finished);
    if (entry !== undefined) return entry;
    if (Date.now() > deadline) throw new Error(`request ${path} did not finish`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Decodes the flight data pushes of a page (§9.1). */
export function flightPushes(html: string): string[] {
  return [...html.matchAll(/<script>self\.__next_f\.push\(\[1,(".*?")\]\)<\/script>/gs)].map((match) => JSON.parse(match[1] ?? '""') as string);
}

/** Set-Cookie values of a response, by cookie name. */
export function setCookies(response: Response): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const header of response.headers.getSetCookie()) {
    const [pair = ''] = header.split(';');
    const index = pair.indexOf('=');
    cookies.set(pair.slice(0, index), header);
  }
  return cookies;
}

export { randomUUID };

/** A fake shared by a test file, reset before each test, with a fresh signed-in identity. */
export interface SharedFake {
  readonly fake: FakeArena;
  /** The `cookie` header of this test's identity. */
  readonly cookie: string;
  /** The id of the fake's model with this public name ('' when none). */
  model(name: string): string;
}

/** Starts one fake for the file (closed after it) and gives each test a reset fake and a new identity. */
export function useSharedFake(options?: FakeArenaOptions): SharedFake {
  let fake: FakeArena | undefined;
  let cookie = '';
  beforeAll(async () => {
    fake = await startFakeArena(options);
  });
  afterAll(async () => {
    await fake?.close();
  });
  beforeEach(() => {
    fake?.reset();
    cookie = fake?.createIdentity().cookie ?? '';
  });
  const started = (): FakeArena => {
    if (fake === undefined) throw new Error('The shared fake is not started yet.');
    return fake;
  };
  return {
    get fake() {
      return started();
    },
    get cookie() {
      return cookie;
    },
    model: (name) => started().options.models.find((entry) => entry.publicName === name)?.id ?? '',
  };
}
