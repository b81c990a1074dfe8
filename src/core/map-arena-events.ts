import type { ArenaError, ArenaEvent, Side } from '../arena/types.js';
import type { ChatEvent, ChatFinishReason } from './chat-types.js';

/** The upstream finish reasons in OpenAI's vocabulary; `error` is not a finish but a failure. */
export function mapFinishReason(reason: string): ChatFinishReason | 'error' {
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

/** What one batch of arena events means for the answer of one side. */
export interface MappedEvents {
  events: ChatEvent[];
  /** The side reported an error (in-band record, or a finish with reason `error`). */
  error: ArenaError | undefined;
  finished: boolean;
  /** Text produced in this batch (for the conversation hash). */
  text: string;
}

/**
 * Maps arena events of the chosen side to chat events. Stops at the first error; events of the
 * other side, heartbeats, step starts and routing notes are dropped.
 */
export function mapArenaEvents(arenaEvents: readonly ArenaEvent[], side: Side): MappedEvents {
  const events: ChatEvent[] = [];
  let text = '';
  for (const event of arenaEvents) {
    if (event.side !== side) continue;
    switch (event.type) {
      case 'text-delta':
        if (event.text !== '') events.push({ type: 'text-delta', text: event.text });
        text += event.text;
        break;
      case 'reasoning-delta':
        if (event.text !== '') events.push({ type: 'reasoning-delta', text: event.text });
        break;
      case 'image':
      case 'video':
        events.push(event.mimeType === undefined ? { type: event.type, url: event.url } : { type: event.type, url: event.url, mimeType: event.mimeType });
        break;
      case 'citation':
        events.push(
          event.source.title === undefined
            ? { type: 'citation', url: event.source.url }
            : { type: 'citation', url: event.source.url, title: event.source.title },
        );
        break;
      case 'finish': {
        const finishReason = mapFinishReason(event.finishReason);
        if (finishReason === 'error') {
          return { events, text, finished: false, error: { kind: 'provider-error', message: 'The model finished with an error.' } };
        }
        events.push(event.usage ? { type: 'finish', finishReason, usage: { ...event.usage } } : { type: 'finish', finishReason });
        return { events, text, finished: true, error: undefined };
      }
      case 'error':
        return { events, text, finished: false, error: event.error };
      default:
        break;
    }
  }
  return { events, text, finished: false, error: undefined };
}
