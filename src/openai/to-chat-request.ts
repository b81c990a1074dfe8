import type { ChatAttachment, ChatMessage, ChatRequest } from '../core/chat/chat-types.js';
import { findDataUriProblem } from '../core/attachments/find-data-uri-problem.js';
import { InvalidRequestError } from '../core/errors/index.js';
import {
  IGNORED_CHAT_PARAMETERS,
  type ChatCompletionRequestWire,
  type ChatMessageWire,
  type ContentPartWire,
} from './chat-completion-wire.js';
import { contentTypeOfName, contentTypeOfUrl, parseDataUri, UNKNOWN_CONTENT_TYPE } from './content-type-of-url.js';

/** A converted request plus the non-fatal notes gathered while converting it. */
export interface ConvertedChatRequest {
  request: ChatRequest;
  includeUsage: boolean;
  warnings: string[];
}

/** Refuses inline data that cannot be a file of its declared type, before anything is uploaded. */
function checkInlineData(url: string, param: string): void {
  const problem = findDataUriProblem(url);
  if (problem !== undefined) throw new InvalidRequestError(`Invalid '${param}': ${problem}.`, { param, code: 'unsupported_attachment' });
}

function checkAttachmentUrl(url: string, param: string): void {
  if (url.startsWith('data:')) {
    if (parseDataUri(url) === undefined) {
      throw new InvalidRequestError(`Invalid '${param}': malformed data: URI; expected data:<type>;base64,<data>.`, { param });
    }
    checkInlineData(url, param);
    return;
  }
  if (!/^https?:\/\//i.test(url)) {
    throw new InvalidRequestError(`Invalid '${param}': expected an http(s) URL or a data: URI.`, { param });
  }
}

function fileAttachment(data: string | null | undefined, filename: string | null | undefined, fileId: string | null | undefined, param: string): ChatAttachment {
  const name = filename ?? undefined;
  if (data === null || data === undefined) {
    const detail = fileId ? 'file_id references are not supported; send the file inline as file_data' : 'file_data is required';
    throw new InvalidRequestError(`Invalid '${param}': ${detail}.`, { param, code: fileId ? 'unsupported_attachment' : 'invalid_request' });
  }
  if (data.startsWith('data:') || /^https?:\/\//i.test(data)) {
    checkAttachmentUrl(data, `${param}.file_data`);
    const contentType = contentTypeOfUrl(data);
    const guessed = contentType === UNKNOWN_CONTENT_TYPE && name !== undefined ? contentTypeOfName(name) : undefined;
    return { ...(name === undefined ? {} : { name }), contentType: guessed ?? contentType, url: data };
  }
  const contentType = (name === undefined ? undefined : contentTypeOfName(name)) ?? UNKNOWN_CONTENT_TYPE;
  const url = `data:${contentType};base64,${data}`;
  checkInlineData(url, `${param}.file_data`);
  return { ...(name === undefined ? {} : { name }), contentType, url };
}

function convertPart(part: ContentPartWire, param: string, texts: string[], attachments: ChatAttachment[]): void {
  switch (part.type) {
    case 'text':
      texts.push(part.text);
      return;
    case 'image_url': {
      const url = typeof part.image_url === 'string' ? part.image_url : part.image_url.url;
      checkAttachmentUrl(url, typeof part.image_url === 'string' ? `${param}.image_url` : `${param}.image_url.url`);
      attachments.push({ contentType: contentTypeOfUrl(url), url });
      return;
    }
    case 'file':
      attachments.push(fileAttachment(part.file.file_data, part.file.filename, part.file.file_id, `${param}.file`));
      return;
    case 'input_file':
      attachments.push(fileAttachment(part.file_data, part.filename, part.file_id, param));
      return;
  }
}

function convertMessage(message: ChatMessageWire, index: number): ChatMessage {
  const param = `messages[${index}]`;
  if (message.role === 'tool' || message.role === 'function') {
    throw new InvalidRequestError(
      `Invalid '${param}.role': role '${message.role}' is not supported; LMArena models cannot call tools, so send tool results as user text.`,
      { param: `${param}.role` },
    );
  }
  const role = message.role === 'developer' ? 'system' : message.role;
  const content = message.content ?? '';
  if (typeof content === 'string') return { role, content, attachments: [] };
  const texts: string[] = [];
  const attachments: ChatAttachment[] = [];
  content.forEach((part, partIndex) => convertPart(part, `${param}.content[${partIndex}]`, texts, attachments));
  return { role, content: texts.join('\n\n'), attachments };
}

/**
 * Converts a validated chat-completions body into core's ChatRequest, once, at the edge.
 * `developer` becomes `system`; text parts are joined with blank lines; image and file parts become
 * attachments. Sampling parameters are dropped with a warning because the arena ignores them.
 */
export function toChatRequest(body: ChatCompletionRequestWire, requestId: string): ConvertedChatRequest {
  const messages = body.messages.map(convertMessage);
  const warnings: string[] = [];
  const ignored = IGNORED_CHAT_PARAMETERS.filter((name) => body[name] !== undefined && body[name] !== null);
  if (ignored.length > 0) warnings.push(`Ignored parameters the arena does not support: ${ignored.join(', ')}.`);
  const conversationId = body.conversation_id ?? body.conversation?.conversationId ?? body.conversation?.conversation_id ?? undefined;
  const evaluationSessionId = body.conversation?.evaluationSessionId ?? undefined;
  const request: ChatRequest = {
    requestId,
    model: body.model,
    messages,
    stream: body.stream === true,
    ...(body.model_b ? { modelB: body.model_b } : {}),
    ...(conversationId === undefined ? {} : { conversationId }),
    ...(evaluationSessionId === undefined ? {} : { evaluationSessionId }),
  };
  return { request, includeUsage: body.stream_options?.include_usage === true, warnings };
}
