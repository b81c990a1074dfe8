import { describe, expect, it } from 'vitest';
import { installFetchObserver } from './install-fetch-observer.js';

describe('installFetchObserver', () => {
  it('passes this, arguments and the result through unchanged and reports the URL', async () => {
    const calls: { self: unknown; args: unknown[] }[] = [];
    const response = new Response('ok');
    const target = {
      fetch: function (this: unknown, ...args: unknown[]) {
        calls.push({ self: this, args });
        return Promise.resolve(response);
      } as typeof fetch,
    };
    const observer = installFetchObserver(target);
    const seen: string[] = [];
    const unsubscribe = observer.subscribe((url) => seen.push(url));
    const init = { method: 'PUT' };
    expect(await target.fetch('/a', init)).toBe(response);
    await target.fetch(new URL('https://arena.ai/b'));
    await target.fetch(new Request('https://arena.ai/c'));
    expect(calls[0]).toEqual({ self: target, args: ['/a', init] });
    expect(seen).toEqual(['/a', 'https://arena.ai/b', 'https://arena.ai/c']);

    unsubscribe();
    await target.fetch('/d');
    expect(seen).toHaveLength(3);
  });

  it('keeps the page working when a listener throws, and hands the agent the unwrapped fetch', async () => {
    let originalCalls = 0;
    const target = { fetch: (() => Promise.resolve(new Response(String(++originalCalls)))) as typeof fetch };
    const observer = installFetchObserver(target);
    const seen: string[] = [];
    observer.subscribe(() => {
      throw new Error('listener bug');
    });
    observer.subscribe((url) => seen.push(url));
    expect(await (await target.fetch('/page')).text()).toBe('1');
    expect(await (await observer.originalFetch('/agent')).text()).toBe('2');
    expect(seen).toEqual(['/page']);
  });
});
