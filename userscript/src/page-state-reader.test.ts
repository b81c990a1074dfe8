import { describe, expect, it } from 'vitest';
import { createPageStateReader, readHttpProtocol, readVerification, type PageWindow } from './page-state-reader.js';

interface StubOptions {
  title?: string;
  flight?: unknown[];
  scripts?: string[];
  cookie?: string;
  stored?: string | null;
  grecaptcha?: unknown;
  elements?: string[];
  bodyText?: string;
  dialogs?: DialogStub[];
  /** The navigation entries `performance` holds; without it the window has no Performance API. */
  navigation?: object[];
}

/** A dialog element: `checkVisibility` as in current browsers, or only `getClientRects` as in older ones. */
interface DialogStub {
  id: string;
  textContent: string;
  shown: boolean;
  legacy?: boolean;
}

function dialogElement(stub: DialogStub): object {
  const rects = () => (stub.shown ? [{}] : []);
  if (stub.legacy === true) return { id: stub.id, textContent: stub.textContent, getClientRects: rects };
  return { id: stub.id, textContent: stub.textContent, getClientRects: rects, checkVisibility: () => stub.shown };
}

function stubDocument(dialogs: DialogStub[]): Document {
  return { querySelectorAll: (selector: string) => (selector.includes('dialog') ? dialogs.map(dialogElement) : []) } as unknown as Document;
}

/** Just enough of `window` for the reader; selectors match by exact string. */
function stubWindow(options: StubOptions): PageWindow & { __next_f?: unknown[] } {
  const view = {
    __next_f: options.flight,
    grecaptcha: options.grecaptcha,
    location: { href: 'https://arena.ai/text/direct', origin: 'https://arena.ai' },
    localStorage: { getItem: () => options.stored ?? null },
    performance: options.navigation && { getEntriesByType: (type: string) => (type === 'navigation' ? options.navigation : []) },
    document: {
      title: options.title ?? '✅ LMArena',
      cookie: options.cookie ?? '',
      body: { textContent: options.bodyText ?? '' },
      querySelector: (selector: string) => ((options.elements ?? []).some((element) => selector.includes(element)) ? {} : null),
      querySelectorAll: (selector: string) =>
        selector.includes('dialog') ? (options.dialogs ?? []).map(dialogElement) : (options.scripts ?? []).map((src) => ({ getAttribute: () => src })),
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
      verification: false,
      httpProtocol: '',
    });
  });

  it('falls back to the provisional id for anonymous users and re-parses flight data as it grows', () => {
    const view = stubWindow({ flight: [[1, '{"initialModels":[]}']], cookie: 'provisional_user_id=prov-1' });
    const read = createPageStateReader(view);
    expect(read()).toMatchObject({ auth: 'anonymous', email: null, identity: 'prov-1', recaptchaReady: false, siteKey: null });
    view.__next_f?.push([1, '{"user":{"id":"u-2","email":"late@example.com"}}']);
    expect(read()).toMatchObject({ auth: 'signed-in', identity: 'u-2' });
  });

  it('reads an email the flight data leaves "$undefined" as anonymous', () => {
    const read = createPageStateReader(stubWindow({ flight: [[1, '{"user":{"id":"u-3","email":"$undefined"}}']] }));
    expect(read()).toMatchObject({ auth: 'anonymous', email: null, identity: 'u-3' });
  });

  it('reports a challenge page with unknown auth, reading localStorage for identity', () => {
    const read = createPageStateReader(stubWindow({ title: 'Just a moment...', stored: 'stored-1' }));
    expect(read()).toMatchObject({ challenge: true, auth: 'unknown', identity: 'stored-1' });
    const form = createPageStateReader(stubWindow({ title: 'arena.ai', elements: ['#challenge-form'] }));
    expect(form()).toMatchObject({ challenge: true });
  });

  it('reports the Security Verification modal while it shows', () => {
    const dialogs: DialogStub[] = [{ id: 'security-verification', textContent: 'Security Verification', shown: true }];
    const read = createPageStateReader(stubWindow({ flight: [[1, '{}']], dialogs }));
    expect(read()).toMatchObject({ verification: true, challenge: false });
    dialogs.splice(0);
    expect(read()).toMatchObject({ verification: false });
  });
});

describe('readHttpProtocol', () => {
  it('reads nextHopProtocol of the navigation entry, and the empty string when the browser does not say', () => {
    expect(readHttpProtocol(stubWindow({ navigation: [{ nextHopProtocol: 'h2' }] }))).toBe('h2');
    expect(readHttpProtocol(stubWindow({ navigation: [{ nextHopProtocol: 'http/1.1' }] }))).toBe('http/1.1');
    expect(readHttpProtocol(stubWindow({ navigation: [] }))).toBe('');
    expect(readHttpProtocol(stubWindow({ navigation: [{}] }))).toBe('');
    expect(readHttpProtocol(stubWindow({}))).toBe('');
  });

  it('is reported in the page state, and kept once known', () => {
    const navigation = [{ nextHopProtocol: '' }];
    const read = createPageStateReader(stubWindow({ flight: [[1, '{}']], navigation }));
    expect(read().httpProtocol).toBe('');
    navigation[0] = { nextHopProtocol: 'h3' };
    expect(read().httpProtocol).toBe('h3');
    navigation.splice(0);
    expect(read().httpProtocol).toBe('h3');
  });
});

describe('readVerification', () => {
  it('reads rendered dialogs by id or text, with or without checkVisibility', () => {
    expect(readVerification(stubDocument([]))).toBe(false);
    expect(readVerification(stubDocument([{ id: '', textContent: 'Pick a model', shown: true }]))).toBe(false);
    expect(readVerification(stubDocument([{ id: '', textContent: 'Security verification', shown: true }]))).toBe(true);
    expect(readVerification(stubDocument([{ id: 'security-verification', textContent: '', shown: true, legacy: true }]))).toBe(true);
  });

  it('does not count a hidden modal', () => {
    expect(readVerification(stubDocument([{ id: 'security-verification', textContent: 'Security Verification', shown: false }]))).toBe(false);
    expect(readVerification(stubDocument([{ id: '', textContent: 'Security Verification', shown: false, legacy: true }]))).toBe(false);
  });
});
