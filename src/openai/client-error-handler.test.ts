import { describe, expect, it } from 'vitest';
import { clientErrorToBridgeError } from './client-error-handler.js';

describe('clientErrorToBridgeError', () => {
  it('maps HTTP parse errors to 400 malformed_request, saying what llhttp found', () => {
    const error = clientErrorToBridgeError({ code: 'HPE_INVALID_CHUNK_SIZE', reason: 'Invalid character in chunk size' });
    expect(error).toMatchObject({ status: 400, code: 'malformed_request', type: 'invalid_request_error' });
    expect(error?.message).toContain('(Invalid character in chunk size)');
    expect(clientErrorToBridgeError({ code: 'HPE_UNEXPECTED_CONTENT_LENGTH' })?.message).toContain('(HPE_UNEXPECTED_CONTENT_LENGTH)');
  });

  it('says a cut-short body is one', () => {
    const error = clientErrorToBridgeError({ code: 'HPE_INVALID_EOF_STATE', reason: 'Invalid EOF state' });
    expect(error).toMatchObject({ status: 400, code: 'malformed_request' });
    expect(error?.message).toContain('shorter than its Content-Length');
  });

  it('maps a head over the size limit to 431 and a timeout to 408', () => {
    expect(clientErrorToBridgeError({ code: 'HPE_HEADER_OVERFLOW' })).toMatchObject({ status: 431, code: 'request_headers_too_large' });
    const timeout = clientErrorToBridgeError({ code: 'ERR_HTTP_REQUEST_TIMEOUT' });
    expect(timeout).toMatchObject({ status: 408, code: 'request_timeout' });
    expect(timeout?.message).toContain('body_timeout_seconds');
  });

  it('answers nothing for socket errors', () => {
    for (const code of ['ECONNRESET', 'EPIPE', 'ETIMEDOUT', undefined]) expect(clientErrorToBridgeError({ code }), String(code)).toBeUndefined();
  });
});
