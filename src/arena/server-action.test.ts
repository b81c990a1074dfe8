import { describe, expect, it } from 'vitest';
import { isArenaInputError } from './arena-input-error.js';
import { buildServerAction, parseServerActionResponse } from './server-action.js';

const ACTION = '7012303914af71fce235a732cde90253f7e2986f2b';

describe('buildServerAction', () => {
  it('posts the arguments as a JSON array with the Next.js headers', () => {
    expect(buildServerAction({ actionId: ACTION, args: ['photo.png', 'image/png'] })).toEqual({
      method: 'POST',
      url: '/',
      headers: { Accept: 'text/x-component', 'Content-Type': 'text/plain;charset=UTF-8', 'Next-Action': ACTION },
      body: { kind: 'json', value: ['photo.png', 'image/png'] },
    });
  });

  it('uses the page path and router state tree when given', () => {
    const request = buildServerAction({ actionId: ACTION, pagePath: '/?chat-modality=image', args: [], routerStateTree: '%5B%22%22%5D' });
    expect(request.url).toBe('/?chat-modality=image');
    expect(request.headers['Next-Router-State-Tree']).toBe('%5B%22%22%5D');
  });

  it('rejects ids that are not hex and paths that are not origin-relative', () => {
    for (const input of [{ actionId: 'generateUploadUrl', args: [] }, { actionId: ACTION, pagePath: 'https://x', args: [] }]) {
      try {
        buildServerAction(input);
        throw new Error('expected a throw');
      } catch (error) {
        expect(isArenaInputError(error)).toBe(true);
      }
    }
  });
});

describe('parseServerActionResponse', () => {
  it('takes the 1: row', () => {
    const text = '0:{"a":"$@1","f":"","b":"build"}\n1:{"success":true,"data":{"uploadUrl":"https://s.example.invalid/k?X-Amz-Date=1","key":"k"}}\n';
    expect(parseServerActionResponse(text)).toEqual({ ok: true, data: { uploadUrl: 'https://s.example.invalid/k?X-Amz-Date=1', key: 'k' } });
  });

  it('tolerates CRLF and reports success: false with its error', () => {
    expect(parseServerActionResponse('0:{}\r\n1:{"success":false,"error":"File type not allowed"}\r\n')).toEqual({ ok: false, error: 'File type not allowed' });
    expect(parseServerActionResponse('1:{"success":false}')).toMatchObject({ ok: false });
  });

  it('falls back to any row with success', () => {
    expect(parseServerActionResponse('0:{"x":1}\n2:{"success":true,"data":{"url":"https://f.example.invalid/k"}}')).toEqual({ ok: true, data: { url: 'https://f.example.invalid/k' } });
    expect(parseServerActionResponse('0:{}\n1:not json\n3:{"success":true}')).toEqual({ ok: true, data: undefined });
  });

  it('returns a plain 1: value as data, and errors for thrown actions and missing rows', () => {
    expect(parseServerActionResponse('0:{}\n1:["a"]')).toEqual({ ok: true, data: ['a'] });
    expect(parseServerActionResponse('0:{}\n1:E{"digest":"123"}')).toEqual({ ok: false, error: 'The server action threw (digest 123).' });
    expect(parseServerActionResponse('<!DOCTYPE html><html>404</html>')).toMatchObject({ ok: false });
    expect(parseServerActionResponse('')).toMatchObject({ ok: false });
    expect(parseServerActionResponse('1:{broken')).toMatchObject({ ok: false });
  });
});
