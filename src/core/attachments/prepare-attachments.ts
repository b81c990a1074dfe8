import { INLINE_ATTACHMENT_LIMIT_BYTES } from '../../arena/constants.js';
import type { ModelCapabilities } from '../../arena/types.js';
import type { ChatAttachment, ChatMessage, ChatRequest } from '../chat/chat-types.js';
import { InvalidRequestError } from '../errors/index.js';
import type { ResolvedModel } from '../models/model-directory.js';
import type { AttachmentUploader, LoadedAttachment } from './attachment-uploader.js';
import { dataUriByteLength } from './decode-data-uri.js';
import type { HostedFiles } from './hosted-files.js';

/** What {@link createAttachmentPreparer} needs. */
export interface AttachmentPreparerOptions {
  uploader: AttachmentUploader;
  /** `current` uploads natively; `retry-replay` (Gen A) sends `data:` URIs inline (§8.1). */
  protocol: 'current' | 'retry-replay';
  /** Gen A: `data:` URIs go to the file bed first (the original's behaviour, §11.8). @default false */
  fileBed?: boolean;
  /** The bridge's file host, for what the arena cannot take; absent when disabled. */
  hostedFiles?: HostedFiles;
}

/** A request's messages as they are sent (attachments replaced by upload URLs), and notes for the client. */
export interface PreparedAttachments {
  messages: ChatMessage[];
  warnings: string[];
}

/** Makes a request's attachments sendable before the request is planned. */
export interface AttachmentPreparer {
  prepare(request: ChatRequest, model: ResolvedModel, signal: AbortSignal): Promise<PreparedAttachments>;
}

const isImage = (contentType: string): boolean => contentType.startsWith('image/');

/**
 * Current protocol: the last user message's attachments (the only ones a new evaluation or a
 * follow-up carries) are checked against the model's input capabilities and uploaded; what the
 * model cannot take is put on the file host and linked in the text when the host is enabled, and
 * refused with a 400 otherwise. Gen A: attachments stay inline `data:` URIs (or go to the file bed
 * or file host when enabled), and more than {@link INLINE_ATTACHMENT_LIMIT_BYTES} inline is a 413.
 * Earlier messages are returned unchanged, so conversation keys computed from them stay stable.
 */
export function createAttachmentPreparer(options: AttachmentPreparerOptions): AttachmentPreparer {
  const { uploader, hostedFiles } = options;

  async function host(file: LoadedAttachment, fallbackName: string): Promise<string> {
    if (!hostedFiles) throw new Error('file host disabled');
    const stored = await hostedFiles.put({ name: file.name ?? fallbackName, contentType: file.contentType, bytes: file.bytes });
    return stored.url;
  }

  async function prepareCurrent(request: ChatRequest, model: ResolvedModel, signal: AbortSignal): Promise<PreparedAttachments> {
    const index = request.messages.findLastIndex((message) => message.role === 'user');
    const message = request.messages[index];
    if (message === undefined || message.attachments.length === 0) return { messages: request.messages, warnings: [] };
    const capabilities = model.capabilities;
    const loaded: LoadedAttachment[] = [];
    for (const attachment of message.attachments) loaded.push(await uploader.load(attachment, signal));

    const images = loaded.filter((file) => isImage(file.contentType) && accepts(capabilities, file.contentType));
    if (capabilities?.singleImageOnly === true && images.length > 1) {
      throw new InvalidRequestError(
        `The model "${model.name}" accepts one image per message, but messages[${index}] has ${images.length}. Send the images in separate messages or use another model.`,
        { code: 'unsupported_attachment', param: `messages[${index}].content` },
      );
    }
    const attachments: ChatAttachment[] = [];
    const links: string[] = [];
    const warnings: string[] = [];
    for (const [position, file] of loaded.entries()) {
      const kind = isImage(file.contentType) ? 'image' : 'file';
      if (accepts(capabilities, file.contentType)) {
        const uploaded = await uploader.uploadLoaded(file, signal);
        attachments.push({ name: uploaded.name, contentType: uploaded.contentType, url: uploaded.url });
        continue;
      }
      if (!hostedFiles) {
        throw new InvalidRequestError(
          `The model "${model.name}" does not accept ${kind} input, but messages[${index}] carries the ${kind} attachment #${position + 1} (${file.contentType}). Use a model that lists "${kind === 'image' ? 'vision' : 'file'}" in /v1/models, remove the attachment, or enable file_host_enabled to send it as a link.`,
          { code: 'unsupported_attachment', param: `messages[${index}].content` },
        );
      }
      const name = file.name ?? `attachment-${position + 1}`;
      links.push(`[Attached ${kind}: ${name}](${await host(file, name)})`);
      warnings.push(`The model "${model.name}" does not accept ${kind} input; ${name} was put on the bridge's file host and linked in the message instead.`);
    }
    const content = links.length === 0 ? message.content : [message.content, ...links].filter((part) => part.trim() !== '').join('\n\n');
    const messages: ChatMessage[] = request.messages.map((entry, at) => (at === index ? { ...entry, content, attachments } : entry));
    return { messages, warnings };
  }

  async function prepareGenA(request: ChatRequest, model: ResolvedModel, signal: AbortSignal): Promise<PreparedAttachments> {
    let inlineBytes = 0;
    const messages: ChatMessage[] = [];
    for (const [index, message] of request.messages.entries()) {
      const attachments: ChatAttachment[] = [];
      for (const [position, attachment] of message.attachments.entries()) {
        if (!accepts(model.capabilities, attachment.contentType)) {
          const kind = isImage(attachment.contentType) ? 'image' : 'file';
          throw new InvalidRequestError(
            `The model "${model.name}" does not accept ${kind} input, but messages[${index}] carries the ${kind} attachment #${position + 1} (${attachment.contentType}). Use another model or remove the attachment.`,
            { code: 'unsupported_attachment', param: `messages[${index}].content` },
          );
        }
        if (!attachment.url.startsWith('data:')) {
          attachments.push(attachment);
        } else if (options.fileBed === true) {
          const uploaded = await uploader.upload(attachment, signal);
          attachments.push({ ...attachment, url: uploaded.url });
        } else if (hostedFiles) {
          const file = await uploader.load(attachment, signal);
          attachments.push({ ...attachment, url: await host(file, `attachment-${index + 1}-${position + 1}`) });
        } else {
          inlineBytes += dataUriByteLength(attachment.url) ?? 0;
          attachments.push(attachment);
        }
      }
      messages.push(attachments.length === 0 && message.attachments.length === 0 ? message : { ...message, attachments });
    }
    if (inlineBytes > INLINE_ATTACHMENT_LIMIT_BYTES) {
      throw new InvalidRequestError(
        `The inline attachments add up to ${inlineBytes} bytes; LMArena refuses more than about ${INLINE_ATTACHMENT_LIMIT_BYTES} bytes of inline data with the retry-replay protocol. Send smaller files, or enable file_host_enabled (or file_bed_enabled) so they travel as links.`,
        { code: 'attachment_too_large', param: 'messages' },
      );
    }
    return { messages, warnings: [] };
  }

  return {
    prepare(request, model, signal) {
      if (!request.messages.some((message) => message.attachments.length > 0)) return Promise.resolve({ messages: request.messages, warnings: [] });
      return options.protocol === 'retry-replay' ? prepareGenA(request, model, signal) : prepareCurrent(request, model, signal);
    },
  };
}

/** Whether the model takes this type as input; unknown capabilities are left to the arena. */
function accepts(capabilities: ModelCapabilities | undefined, contentType: string): boolean {
  if (capabilities === undefined) return true;
  return isImage(contentType) ? capabilities.inputImage : capabilities.inputFile;
}
