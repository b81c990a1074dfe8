import { describe, expect, it } from 'vitest';
import { createPageStateReader, type PageWindow } from './page-state-reader.js';

interface StubOptions {
  title?: string;
  flight?: unknown[];
  scripts?: string[];
  cookie?: string;
  stored?: string | null;
  grecaptcha?: unknown;
  elements?: string[];
  bodyText?: string;
}

/** Just enough of `window` for the reader; selectors match by exact string. */
function stubWindow(options: StubOptions): PageWindow & { __next_f?: unknown[] } {
  const view = {
    __next_f: options.flight,
    grecaptcha: options.grecaptcha,
    location: { href: 'https://arena.ai/text/direct', origin: 'https://arena.ai' },
    localStorage: { getItem: () => options.stored ?? null },
    document: {
      title: options.title ?? '✅ LMArena',
      cookie: options.cookie ?? '',
      body: { textContent: options.bodyText ?? '' },
      querySelector: (selector: string) => ((options.elements ?? []).some((element) => selector.includes(element)) ? {} : null),
      querySelectorAll: () => (options.scripts ?? []).map((src) => ({ getAttribute: () => src })),
    },
  };
  return view as unknown as PageWindow & { __next_f?: unknown[] };
}

describe('createPageStateReader', () => {
  it('reports a signed-in app page with its key, grecaptcha and the title without our prefix', () => {
    const read = createPageStateReader(
      stubWindow({
        flight: [[1, '{"user":{"id":"u-1","email":"me@example.com"}}']],
        scripts: ['https://www.google.com/recaptcha/enterprise.js?render=key-1'],
        grecaptcha: { enterprise: { execute: () => 'token' } },
      }),
    );
    expect(read()).toEqual({
      url: 'https://arena.ai/text/direct',
      origin: 'https://arena.ai',
      title: 'LMArena',
      challenge: false,
      recaptchaReady: true,
      siteKey: 'key-1',
      auth: 'signed-in',
      email: 'me@example.com',
      identity: 'u-1',
    });
  });

  it('falls back to the provisional id for anonymous users and re-parses flight data as it grows', () => {
    const view = stubWindow({ flight: [[1, '{"initialModels":[]}']], cookie: 'provisional_user_id=prov-1' });
    const read = createPageStateReader(view);
    expect(read()).toMatchObject({ auth: 'anonymous', email: null, identity: 'prov-1', recaptchaReady: false, siteKey: null });
    view.__next_f?.push([1, '{"user":{"id":"u-2","email":"late@example.com"}}']);
    expect(read()).toMatchObject({ auth: 'signed-in', identity: 'u-2' });
  });

  it('reports a challenge page with unknown auth, reading localStorage for identity', () => {
    const read = createPageStateReader(stubWindow({ title: 'Just a moment...', stored: 'stored-1' }));
    expect(read()).toMatchObject({ challenge: true, auth: 'unknown', identity: 'stored-1' });
    const form = createPageStateReader(stubWindow({ title: 'arena.ai', elements: ['#challenge-form'] }));
    expect(form()).toMatchObject({ challenge: true });
  });
});
