import { describe, expect, it } from 'vitest';
import { isBridgeError } from '../core/errors/index.js';
import { chatCompletionRequestSchema } from './chat-completion-wire.js';
import { parseRequestBody } from './parse-request-body.js';
import { toChatRequest } from './to-chat-request.js';

function convert(body: unknown) {
  return toChatRequest(parseRequestBody(chatCompletionRequestSchema, body), 'req-1');
}

function failure(body: unknown): { param: string | undefined; message: string; code: string } {
  try {
    convert(body);
  } catch (error) {
    if (isBridgeError(error)) return { param: error.param, message: error.message, code: error.code };
    throw error;
  }
  throw new Error('expected a failure');
}

const png = 'data:image/png;base64,iVBORw0KGgo=';

describe('toChatRequest', () => {
  it('maps roles, joins text parts with blank lines and turns images and files into attachments', () => {
    const { request, includeUsage, warnings } = convert({
      model: 'm',
      stream: true,
      stream_options: { include_usage: true },
      messages: [
        { role: 'developer', content: 'rules' },
        { role: 'user', content: [
          { type: 'text', text: 'one' },
          { type: 'image_url', image_url: { url: png, detail: 'high' } },
          { type: 'text', text: 'two' },
          { type: 'image_url', image_url: 'https://x.test/photo.JPG?size=2' },
          { type: 'file', file: { file_data: 'JVBERi0xLjQ=', filename: 'doc.pdf' } },
          { type: 'input_file', file_data: 'data:text/plain;base64,aGk=', filename: 'a.txt' },
        ] },
        { role: 'assistant', content: null },
      ],
    });
    expect(includeUsage).toBe(true);
    expect(warnings).toEqual([]);
    expect(request).toEqual({
      requestId: 'req-1',
      model: 'm',
      stream: true,
      messages: [
        { role: 'system', content: 'rules', attachments: [] },
        { role: 'user', content: 'one\n\ntwo', attachments: [
          { contentType: 'image/png', url: png },
          { contentType: 'image/jpeg', url: 'https://x.test/photo.JPG?size=2' },
          { name: 'doc.pdf', contentType: 'application/pdf', url: 'data:application/pdf;base64,JVBERi0xLjQ=' },
          { name: 'a.txt', contentType: 'text/plain', url: 'data:text/plain;base64,aGk=' },
        ] },
        { role: 'assistant', content: '', attachments: [] },
      ],
    });
  });

  it('warns about ignored sampling parameters and reads vendor extensions', () => {
    const { request, warnings } = convert({
      model: 'm', messages: [{ role: 'user', content: 'x' }], temperature: 1, max_tokens: 5, top_p: null,
      model_b: 'b', conversation_id: 'c', conversation: { evaluationSessionId: 'e' },
    });
    expect(warnings).toEqual(['Ignored parameters the arena does not support: temperature, max_tokens.']);
    expect(request).toMatchObject({ modelB: 'b', conversationId: 'c', evaluationSessionId: 'e', stream: false });
  });

  it('uses application/octet-stream for URLs without a known extension', () => {
    const { request } = convert({ model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x.test/img?id=1' } }] }] });
    expect(request.messages[0]?.attachments[0]?.contentType).toBe('application/octet-stream');
  });

  it('names the field at fault', () => {
    expect(failure({ model: 'm', messages: [{ role: 'user', content: 5 }] })).toMatchObject({
      param: 'messages[0].content', message: "Invalid 'messages[0].content': must be a string or an array of content parts.",
    });
    expect(failure({ model: 'm', messages: [{ role: 'user', content: [{ type: 'audio' }] }] })).toMatchObject({ param: 'messages[0].content[0].type' });
    expect(failure({ model: 'm', messages: [{ role: 'bot', content: 'x' }] }).param).toBe('messages[0].role');
    expect(failure({ model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://x' } }] }] }).param).toBe('messages[0].content[0].image_url.url');
    expect(failure({ model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:nonsense' } }] }] }).param).toBe('messages[0].content[0].image_url.url');
    expect(failure({ model: 'm', messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-1' } }] }] })).toMatchObject({ param: 'messages[0].content[0].file', code: 'unsupported_attachment' });
    expect(failure({ model: 'm', messages: [{ role: 'function', content: 'x' }] }).message).toContain("role 'function' is not supported");
    expect(failure({ model: 'm', messages: [{ role: 'user', content: 'x' }], n: 2 }).param).toBe('n');
    expect(failure({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: 'yes' }).message).toBe("Invalid 'stream': expected boolean, received string.");
    expect(failure([1, 2]).message).toContain('must be a JSON object');
  });

  it('refuses inline data that cannot be a file of its type, naming the message and part', () => {
    const parts = (...content: unknown[]) => ({ model: 'm', messages: [{ role: 'user', content: 'hi' }, { role: 'user', content }] });
    expect(failure(parts({ type: 'text', text: 'x' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,' } }))).toEqual({
      param: 'messages[1].content[1].image_url.url',
      code: 'unsupported_attachment',
      message: "Invalid 'messages[1].content[1].image_url.url': the data is empty (0 bytes); send the file's content.",
    });
    expect(failure(parts({ type: 'image_url', image_url: 'data:image/gif;base64,R0lGODlh%%' }))).toMatchObject({ param: 'messages[1].content[0].image_url', code: 'unsupported_attachment' });
    expect(failure(parts({ type: 'input_file', file_data: 'aGk', filename: 'doc.pdf' }))).toMatchObject({
      param: 'messages[1].content[0].file_data',
      message: expect.stringContaining('declared as application/pdf, but its bytes are not application/pdf'),
    });
    expect(failure(parts({ type: 'file', file: { file_data: 'data:text/plain;base64,/w==' } }))).toMatchObject({
      param: 'messages[1].content[0].file.file_data',
      message: expect.stringContaining('not valid UTF-8 text'),
    });
  });
});
