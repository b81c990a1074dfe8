/**
 * An in-process ChatService for the HTTP tests: each test scripts the answer (batches of events,
 * pauses, failures) and inspects what the HTTP layer did with it (requests, signals, pulls).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatAnswer, AnswerEvent, ChatRequest, ChatService, ModelDirectory, ModelListing } from '../../../src/core/chat/chat-types.js';
import { ClientAbortError } from '../../../src/core/errors/index.js';

/** One step of a scripted answer. */
export type Step = AnswerEvent[] | { delayMs: number } | { error: Error };

/** What a scripted answer's consumer did. */
export interface AnswerStats {
  /** Batches handed out (each one answered a `next()`). */
  pulls: number;
  /** True once the iterator was finished or returned early. */
  closed: boolean;
  /** True when the consumer left before the script ended (`return()` on the iterator). */
  returnedEarly: boolean;
}

/** Waits `ms`, or fails like core does when the request is cancelled meanwhile. */
export async function wait(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    throw new ClientAbortError('cancelled');
  }
}

/** An answer that plays `steps` as its event stream, honouring `signal`. */
export function scriptedAnswer(
  steps: Iterable<Step>,
  signal: AbortSignal,
  options: Partial<Pick<ChatAnswer, 'conversation' | 'headers' | 'warnings' | 'model'>> = {},
): { answer: ChatAnswer; stats: AnswerStats } {
  const stats: AnswerStats = { pulls: 0, closed: false, returnedEarly: false };
  async function* play(): AsyncGenerator<AnswerEvent[]> {
    let finished = false;
    try {
      for (const step of steps) {
        if (signal.aborted) throw new ClientAbortError('cancelled');
        if ('delayMs' in step) await wait(step.delayMs, signal);
        else if ('error' in step) throw step.error;
        else {
          stats.pulls += 1;
          yield step;
        }
      }
      finished = true;
    } finally {
      stats.closed = true;
      if (!finished) stats.returnedEarly = true;
    }
  }
  return {
    answer: {
      model: options.model ?? 'fake-model',
      events: play(),
      headers: options.headers ?? {},
      warnings: options.warnings ?? [],
      ...(options.conversation === undefined ? {} : { conversation: options.conversation }),
    },
    stats,
  };
}

/** How the fake answers one chat: return an answer, or throw a BridgeError before output. */
export type ChatBehaviour = (request: ChatRequest, signal: AbortSignal) => Promise<ChatAnswer>;

/** A ChatService whose behaviour each test sets. */
export class FakeChatService implements ChatService {
  readonly requests: ChatRequest[] = [];
  readonly signals: AbortSignal[] = [];
  behaviour: ChatBehaviour = async (_request, signal) => scriptedAnswer([[{ type: 'text-delta', text: 'Hello' }], [{ type: 'finish', finishReason: 'stop' }]], signal).answer;

  async chat(request: ChatRequest, signal: AbortSignal): Promise<ChatAnswer> {
    this.requests.push(request);
    this.signals.push(signal);
    return this.behaviour(request, signal);
  }

  /** Answers every chat with `steps`; returns the stats of the latest answer. */
  answerWith(steps: Step[], options: Parameters<typeof scriptedAnswer>[2] = {}): { latest: () => AnswerStats } {
    let latest: AnswerStats = { pulls: 0, closed: false, returnedEarly: false };
    this.behaviour = async (_request, signal) => {
      const scripted = scriptedAnswer(steps, signal, options);
      latest = scripted.stats;
      return scripted.answer;
    };
    return { latest: () => latest };
  }
}

/** A fixed model list. */
export class FakeModelDirectory implements ModelDirectory {
  readonly models: ModelListing[] = [
    { id: 'fake-model', ownedBy: 'Fake Org', capabilities: ['text'] },
    { id: 'fake-image', ownedBy: 'Fake Org', capabilities: ['image'] },
  ];

  list(): ModelListing[] {
    return this.models;
  }
}
