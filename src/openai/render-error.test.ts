import { describe, expect, it } from 'vitest';
import { ClientAbortError, RateLimitError } from '../core/errors/index.js';
import { renderError } from './render-error.js';

function fastifyError(code: string, statusCode: number, message = 'fastify says no'): Error {
  return Object.assign(new Error(message), { code, statusCode });
}

describe('renderError', () => {
  it('renders a BridgeError with its status, type, code, param and headers', () => {
    const rendered = renderError(new RateLimitError('Slow down; retry in 5 s.', { param: 'model', headers: { 'retry-after': '5' } }));
    expect(rendered).toMatchInlineSnapshot(`
      {
        "body": {
          "error": {
            "code": "rate_limited",
            "message": "Slow down; retry in 5 s.",
            "param": "model",
            "type": "rate_limit_error",
          },
        },
        "headers": {
          "retry-after": "5",
        },
        "status": 429,
      }
    `);
  });

  it('maps Fastify body errors to client errors', () => {
    expect(renderError(fastifyError('FST_ERR_CTP_BODY_TOO_LARGE', 413)).body.error.code).toBe('request_too_large');
    expect(renderError(fastifyError('FST_ERR_CTP_BODY_TOO_LARGE', 413)).status).toBe(413);
    expect(renderError(fastifyError('FST_ERR_CTP_INVALID_JSON_BODY', 400)).body.error.code).toBe('invalid_json');
    expect(renderError(fastifyError('FST_ERR_CTP_EMPTY_JSON_BODY', 400)).body.error.code).toBe('invalid_json');
    expect(renderError(fastifyError('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415)).body.error).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('application/json') });
    expect(renderError(fastifyError('FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400)).status).toBe(400);
    expect(renderError(fastifyError('FST_ERR_SOMETHING', 404)).body.error.code).toBe('route_not_found');
    expect(renderError(fastifyError('FST_ERR_BAD_URL', 400, "'%' is not a valid url component")).body.error).toMatchObject({ code: 'invalid_request', message: "'%' is not a valid url component" });
  });

  it('hides unknown failures behind a generic internal_error', () => {
    for (const thrown of [new TypeError('db password leaked'), 'a string', fastifyError('FST_ERR_X', 500, 'internal detail')]) {
      const rendered = renderError(thrown);
      expect(rendered.status).toBe(500);
      expect(rendered.body.error).toMatchObject({ code: 'internal_error', type: 'server_error', param: null });
      expect(rendered.body.error.message).not.toMatch(/password|a string|internal detail/);
    }
  });

  it('keeps ClientAbortError recognisable (callers never send it)', () => {
    expect(renderError(new ClientAbortError('gone')).body.error.code).toBe('client_closed_request');
  });
});
