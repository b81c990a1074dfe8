import { z } from 'zod';
import { classifyProviderMessage } from './classify-provider-message.js';
import type { StreamSideState } from './stream-side-state.js';
import type { ArenaEvent, FinishReason, Side } from './types.js';

/** Upper bound of buffered citation delta text per tool call, so a broken delta cannot grow forever. */
const MAX_PENDING_CITATION = 64 * 1024;

const finishSchema = z.object({
  finishReason: z.string().optional(),
  usage: z.object({ promptTokens: z.number().nonnegative(), completionTokens: z.number().nonnegative() }).optional().catch(undefined),
});
const reasoningObjectSchema = z.union([z.object({ text: z.string() }), z.object({ thinking: z.string() })]);
const dataItemSchema = z.object({
  type: z.string().optional(),
  image: z.string().optional(),
  url: z.string().optional(),
  mimeType: z.string().optional(),
  organization: z.string().optional(),
});
const toolDeltaSchema = z.object({ toolCallId: z.string().optional(), argsTextDelta: z.string() });
const sourceSchema = z.object({ url: z.string().min(1), title: z.string().optional() });
const stepSchema = z.object({ messageId: z.string() });

/** A value that could not be read; the parser turns it into a `malformed` error event. */
export class MalformedRecordError extends Error {
  override readonly name = 'MalformedRecordError';
}

/**
 * Decodes one record's JSON value for `side`/`code` into events, updating the side's state.
 * Throws {@link MalformedRecordError} when the value is not valid for its code.
 */
export function decodeStreamRecord(side: Side, code: string, valueText: string, state: StreamSideState): ArenaEvent[] {
  switch (code) {
    case '0': {
      const value = parseValue(valueText);
      if (typeof value !== 'string') throw new MalformedRecordError(`${side}0 value is not a string`);
      if (value === 'hasArenaError') {
        state.failed = true;
        return [{ type: 'error', side, error: { kind: 'model-unavailable', message: 'LMArena reported hasArenaError for this model' } }];
      }
      return value === '' ? [] : [{ type: 'text-delta', side, text: value }];
    }
    case 'g': {
      const value = parseValue(valueText);
      if (typeof value === 'string') return value === '' ? [] : [{ type: 'reasoning-delta', side, text: value }];
      const parsed = reasoningObjectSchema.safeParse(value);
      if (!parsed.success) throw new MalformedRecordError(`${side}g value is neither a string nor {text|thinking}`);
      const text = 'text' in parsed.data ? parsed.data.text : parsed.data.thinking;
      return text === '' ? [] : [{ type: 'reasoning-delta', side, text }];
    }
    case '2':
      return decodeData(side, parseValue(valueText));
    case '3': {
      const value = parseValue(valueText);
      const message = typeof value === 'string' ? value : JSON.stringify(value);
      state.failed = true;
      return [{ type: 'error', side, error: classifyProviderMessage(message) }];
    }
    case 'c':
      return decodeCitation(side, parseValue(valueText), state);
    case 'd': {
      const parsed = finishSchema.safeParse(parseValue(valueText));
      if (!parsed.success) throw new MalformedRecordError(`${side}d value is not a finish object`);
      const reason = finishReasonOf(parsed.data.finishReason);
      if (reason === 'error') {
        // The model failed: reported once, as the error record before it did if there was one.
        if (state.failed) return [];
        state.failed = true;
        return [{ type: 'error', side, error: { kind: 'provider-error', message: 'The model finished with an error.' } }];
      }
      state.finished = true;
      const event: ArenaEvent & { type: 'finish' } = { type: 'finish', side, finishReason: reason };
      if (parsed.data.usage !== undefined) event.usage = parsed.data.usage;
      return [event];
    }
    case 'f': {
      const parsed = stepSchema.safeParse(parseValue(valueText));
      return parsed.success ? [{ type: 'step-start', side, messageId: parsed.data.messageId }] : [];
    }
    default:
      // `e 8 9 a h i j k` (step finish, annotations, tool calls/results, sources, files) carry
      // nothing a chat answer uses; unknown codes are tolerated the same way, as the site adds
      // record types over time. Their values are not even parsed.
      return [];
  }
}

function decodeData(side: Side, value: unknown): ArenaEvent[] {
  if (!Array.isArray(value)) throw new MalformedRecordError(`${side}2 value is not an array`);
  const events: ArenaEvent[] = [];
  for (const item of value) {
    const parsed = dataItemSchema.safeParse(item);
    if (!parsed.success) continue;
    const { type, image, url, mimeType, organization } = parsed.data;
    if (type === 'heartbeat') {
      events.push({ type: 'heartbeat', side });
    } else if (type === 'routed_model' && organization !== undefined) {
      events.push({ type: 'routed-model', side, organization });
    } else if (type === 'image' && (image ?? url) !== undefined) {
      const event: ArenaEvent = { type: 'image', side, url: image ?? url ?? '' };
      if (mimeType !== undefined) event.mimeType = mimeType;
      events.push(event);
    } else if (url !== undefined && (type === 'video' || mimeType?.startsWith('video/') === true)) {
      const event: ArenaEvent = { type: 'video', side, url };
      if (mimeType !== undefined) event.mimeType = mimeType;
      events.push(event);
    }
  }
  return events;
}

/**
 * `c` records are AI SDK tool-call deltas; for search models the delta text is a JSON document with
 * the citation source(s). Deltas of one call are concatenated until they parse.
 */
function decodeCitation(side: Side, value: unknown, state: StreamSideState): ArenaEvent[] {
  const parsed = toolDeltaSchema.safeParse(value);
  if (!parsed.success) throw new MalformedRecordError(`${side}c value is not a tool-call delta`);
  const callId = parsed.data.toolCallId ?? 'citation-source';
  if (callId !== 'citation-source') return [];
  const text = (state.pendingCitations.get(callId) ?? '') + parsed.data.argsTextDelta;
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    if (text.length > MAX_PENDING_CITATION) {
      state.pendingCitations.delete(callId);
      throw new MalformedRecordError(`${side}c citation text does not parse`);
    }
    state.pendingCitations.set(callId, text);
    return [];
  }
  state.pendingCitations.delete(callId);
  const events: ArenaEvent[] = [];
  for (const candidate of citationCandidates(document)) {
    const source = sourceSchema.safeParse(candidate);
    if (!source.success || state.citationUrls.has(source.data.url)) continue;
    state.citationUrls.add(source.data.url);
    events.push(source.data.title === undefined ? { type: 'citation', side, url: source.data.url } : { type: 'citation', side, url: source.data.url, title: source.data.title });
  }
  return events;
}

/** `{source: {…}}`, `{source: […]}`, `{sources: […]}`, a bare source, or a list of any of these. */
function citationCandidates(document: unknown): unknown[] {
  if (Array.isArray(document)) return document.flatMap(citationCandidates);
  if (typeof document !== 'object' || document === null) return [];
  const record = document as Record<string, unknown>;
  if ('source' in record) return citationCandidates(record.source);
  if ('sources' in record) return citationCandidates(record.sources);
  return [record];
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new MalformedRecordError('value is not valid JSON');
  }
}

/** The site's finish reasons (AI SDK spellings, §2.6) in the clients' vocabulary; `error` is a failure. */
function finishReasonOf(reason: string | undefined): FinishReason | 'error' {
  switch (reason) {
    case 'length':
      return 'length';
    case 'content-filter':
    case 'content_filter':
      return 'content_filter';
    case 'tool-calls':
    case 'tool_calls':
      return 'tool_calls';
    case 'error':
      return 'error';
    default:
      return 'stop';
  }
}
