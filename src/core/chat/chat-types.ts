import type { ArenaEvent, FinishReason } from '../../arena/types.js';

/**
 * The internal request and answer types between the OpenAI surface (src/openai) and core.
 * src/openai parses the wire format into these once; core never sees OpenAI's snake_case.
 */

/** A file or image attached to a message: a `data:` URI or an http(s) URL. */
export interface ChatAttachment {
  /** Original file name when the client gave one. */
  name?: string;
  contentType: string;
  url: string;
}

/** One conversation turn. `developer` turns arrive here as `system`. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  /** Text parts joined with blank lines. */
  content: string;
  attachments: ChatAttachment[];
}

/** A chat completion request after validation. */
export interface ChatRequest {
  requestId: string;
  model: string;
  messages: ChatMessage[];
  stream: boolean;
  /** Vendor extension: side-by-side against a second chosen model. */
  modelB?: string;
  /**
   * What the answer must contain (`image` for image generations): a model without that output is
   * refused with a 400 before any upstream work. Absent: any answer will do.
   */
  requiredOutput?: 'image';
  /** Vendor extensions (as in lmarena-client): continue a known conversation. */
  conversationId?: string;
  evaluationSessionId?: string;
}

/** Why an answer ended, in the clients' (OpenAI's) vocabulary. */
export type { FinishReason };

type Answered = Extract<ArenaEvent, { type: 'text-delta' | 'reasoning-delta' | 'image' | 'video' | 'citation' | 'finish' }>;

/**
 * One piece of an answer, in order: the stream parser's own event objects for the answered side
 * (they still carry their `side`, which nobody downstream reads), with no copy on the way.
 */
export type AnswerEvent = Answered extends infer Event ? (Event extends unknown ? Omit<Event, 'side'> : never) : never;

/**
 * An answer being produced. `events` is pull-based: each `next()` resolves with every event that
 * has arrived since the last pull (at least one), so a consumer that was busy writing gets the
 * backlog coalesced. Errors are thrown from the iterator as BridgeErrors; breaking out of the loop
 * cancels the upstream work all the way to the page's fetch.
 */
export interface ChatAnswer {
  /** The model name the answer is for (as requested). */
  model: string;
  events: AsyncIterable<AnswerEvent[]>;
  /** Conversation identifiers to hand back to the client (vendor extension). */
  conversation?: { conversationId: string; evaluationSessionId: string };
  /** Extra response headers (e.g. a note that a conversation was replayed). */
  headers: Record<string, string>;
  /** Non-fatal notes (an ignored parameter, a fallback taken). */
  warnings: string[];
}

/** What core offers the HTTP surface for chat. */
export interface ChatService {
  /**
   * Starts a chat. Resolves once the answer's first output (or its finish) has arrived, after any
   * retries before the first token, so failures before output reject with a BridgeError that the
   * HTTP layer can still send as a plain status. `signal` aborts the whole request, down to the
   * page's fetch.
   */
  chat(request: ChatRequest, signal: AbortSignal): Promise<ChatAnswer>;
}

/** A model as /v1/models shows it. */
export interface ModelListing {
  id: string;
  ownedBy: string;
  /** e.g. `text`, `image`, `search`, `video`, `vision`, `file`. */
  capabilities: string[];
}

/** What core offers the HTTP surface about models. */
export interface ModelDirectory {
  list(): ModelListing[];
}
