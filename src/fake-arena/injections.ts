/** Where an injection can fire. */
export type EndpointKind = 'stream' | 'page' | 'sign-up' | 'server-action' | 'upload';

const SERVER_ERRORS = ['server-error-500', 'server-error-502', 'server-error-504'] as const;

/** Every failure the fake can inject (§13.3) and the endpoints each applies to. */
export const INJECTION_TARGETS = {
  'rate-limit': ['stream'],
  'recaptcha-reject': ['stream', 'sign-up'],
  'recaptcha-require-v2': ['stream'],
  challenge: ['stream', 'page'],
  'wrong-owner': ['stream'],
  'login-gate': ['stream'],
  'expired-auth': ['stream'],
  'no-auth': ['stream'],
  moderation: ['stream'],
  'too-large': ['stream'],
  'duplicate-ids': ['stream'],
  'domain-move': ['stream', 'page'],
  'legacy-prefix': ['stream'],
  'model-unavailable': ['stream'],
  'model-overloaded': ['stream'],
  'provider-error': ['stream'],
  'content-filter': ['stream'],
  truncated: ['stream'],
  'truncated-mid-record': ['stream'],
  'truncated-mid-utf8': ['stream'],
  'empty-stream': ['stream'],
  slow: ['stream'],
  drop: ['stream'],
  'side-a-unknown': ['stream'],
  'server-error-500': ['stream', 'page', 'sign-up', 'server-action'],
  'server-error-502': ['stream', 'page', 'sign-up', 'server-action'],
  'server-error-504': ['stream', 'page', 'sign-up', 'server-action'],
  'sign-up-conflict': ['sign-up'],
  'upload-url-fail': ['server-action'],
  'upload-put-forbidden': ['upload'],
  'account-flag': ['stream'],
} as const satisfies Record<string, readonly EndpointKind[]>;

/** The name of an injection. A `-once` suffix (magic words, headers) means "one time". */
export type InjectionName = keyof typeof INJECTION_TARGETS;

/** Names accepted in addition to {@link InjectionName}: `recaptcha-reject-once` and any `<name>-once`. */
export const INJECTION_NAMES = Object.keys(INJECTION_TARGETS) as InjectionName[];

export { SERVER_ERRORS };

/** A queued failure: fires on the next `count` requests it applies to. */
export interface Injection {
  /** The failure; `<name>-once` is the same as `count: 1`. */
  name: InjectionName | `${InjectionName}-once`;
  /** How many matching requests it affects. @default 1 */
  count?: number;
  /** Only requests whose path starts with this prefix. */
  path?: string;
}

/** Splits `name-once` into its base name and a count of one; undefined for unknown names. */
export function parseInjectionName(raw: string): { name: InjectionName; once: boolean } | undefined {
  const trimmed = raw.trim().toLowerCase();
  if (isInjectionName(trimmed)) return { name: trimmed, once: false };
  if (trimmed.endsWith('-once')) {
    const base = trimmed.slice(0, -'-once'.length);
    if (isInjectionName(base)) return { name: base, once: true };
  }
  return undefined;
}

function isInjectionName(value: string): value is InjectionName {
  return Object.hasOwn(INJECTION_TARGETS, value);
}

function appliesTo(name: InjectionName, kind: EndpointKind): boolean {
  return (INJECTION_TARGETS[name] as readonly EndpointKind[]).includes(kind);
}

interface QueuedInjection {
  name: InjectionName;
  remaining: number;
  path: string | undefined;
}

const MAGIC_WORD = /\[\[fake:([a-z0-9-]+)(?::(\d+))?\]\]/gi;

/**
 * The three switches of §13.3 (admin queue and in-process `inject`, the request header, magic
 * words in the prompt) resolved into one set of names per request.
 */
export class InjectionController {
  readonly #queue: QueuedInjection[] = [];
  /** How often each (magic word, prompt) pair has fired, so `-once` words let the retry pass. */
  readonly #magicFired = new Map<string, number>();

  enqueue(injection: Injection): void {
    const parsed = parseInjectionName(injection.name);
    if (parsed === undefined) throw new Error(`Unknown fake-arena injection "${injection.name}"`);
    const count = parsed.once ? 1 : Math.max(1, Math.floor(injection.count ?? 1));
    this.#queue.push({ name: parsed.name, remaining: count, path: injection.path });
  }

  /** Active queued injections, for `GET /__fake/state`. */
  pending(): { name: InjectionName; remaining: number; path?: string }[] {
    return this.#queue.map(({ name, remaining, path }) => (path === undefined ? { name, remaining } : { name, remaining, path }));
  }

  /** The injections that fire for one request; consumes queued counts and once-only magic words. */
  take(kind: EndpointKind, path: string, header: string | undefined, prompt: string | undefined): Set<InjectionName> {
    const names = new Set<InjectionName>();
    for (const entry of [...this.#queue]) {
      if (!appliesTo(entry.name, kind)) continue;
      if (entry.path !== undefined && !path.startsWith(entry.path)) continue;
      names.add(entry.name);
      entry.remaining -= 1;
      if (entry.remaining <= 0) this.#queue.splice(this.#queue.indexOf(entry), 1);
    }
    for (const raw of (header ?? '').split(',')) {
      const parsed = parseInjectionName(raw);
      if (parsed !== undefined && appliesTo(parsed.name, kind)) names.add(parsed.name);
    }
    if (prompt !== undefined) {
      for (const match of prompt.matchAll(MAGIC_WORD)) {
        const parsed = parseInjectionName(match[1] ?? '');
        if (parsed === undefined || !appliesTo(parsed.name, kind)) continue;
        const limit = parsed.once ? 1 : match[2] === undefined ? Number.POSITIVE_INFINITY : Number(match[2]);
        const key = `${match[0].toLowerCase()}\u0000${prompt}`;
        const fired = this.#magicFired.get(key) ?? 0;
        if (fired >= limit) continue;
        this.#magicFired.set(key, fired + 1);
        names.add(parsed.name);
      }
    }
    return names;
  }

  clear(): void {
    this.#queue.length = 0;
    this.#magicFired.clear();
  }
}
