import type { ArenaAttachment, ArenaTurn } from '../../arena/index.js';
import { PROMPT_CHARACTER_LIMIT } from '../../arena/constants.js';
import { InvalidRequestError } from '../errors/index.js';

/**
 * Uploads a text file through a worker (the arena's upload flow) and returns the attachment that
 * references it. Injected into the chat service; absent when uploads are not available.
 */
export type UploadText = (name: string, text: string, signal: AbortSignal) => Promise<ArenaAttachment>;

/** The name of the file that carries an overflowing history. */
export const OVERFLOW_FILE_NAME = 'conversation-history.txt';

/** A new evaluation whose earlier turns travel as a text file. */
export interface OverflowPrompt {
  /** System texts, a note pointing at the file, and the latest user text. */
  prompt: string;
  /** The file's text: the earlier turns as a JSON transcript, oldest first. */
  fileText: string;
}

/** The `prompt_too_long` error, stating the limit and what to do. */
export function promptTooLong(length: number, reason: string, limit = PROMPT_CHARACTER_LIMIT): InvalidRequestError {
  return new InvalidRequestError(
    `The prompt is ${length} characters after the conversation was flattened; this bridge sends at most ${limit} characters per message (prompt_character_limit). ${reason}`,
    { code: 'prompt_too_long', param: 'messages' },
  );
}

/**
 * Moves the turns before the latest user message into a text attachment so the prompt fits the
 * arena's limit. System texts stay in the prompt when they fit, because models weigh attached
 * files less than the prompt itself.
 * @throws InvalidRequestError `prompt_too_long` when even the latest user message does not fit.
 */
export function overflowPrompt(turns: readonly ArenaTurn[], limit = PROMPT_CHARACTER_LIMIT): OverflowPrompt {
  let lastUser = -1;
  turns.forEach((turn, index) => {
    if (turn.role === 'user') lastUser = index;
  });
  const latest = lastUser >= 0 ? (turns[lastUser]?.content ?? '') : '';
  const earlier = turns.filter((turn, index) => index !== lastUser);
  const system = earlier.filter((turn) => turn.role === 'system').map((turn) => turn.content.trim()).filter(Boolean).join('\n\n');
  const note = `The conversation so far is in the attached file ${OVERFLOW_FILE_NAME} (a JSON list of messages, oldest first). Continue the conversation: reply to the latest user message below.`;

  const withSystem = [system, note, latest].filter((part) => part !== '').join('\n\n');
  if (withSystem.length <= limit) {
    const dialogue = earlier.filter((turn) => turn.role !== 'system');
    return { prompt: withSystem, fileText: transcript(dialogue) };
  }
  const bare = `${note}\n\n${latest}`;
  if (bare.length > limit) {
    throw promptTooLong(bare.length, 'The latest message alone is over the limit; shorten it or split it over several messages.', limit);
  }
  return { prompt: bare, fileText: transcript(earlier) };
}

function transcript(turns: readonly ArenaTurn[]): string {
  return JSON.stringify(turns.map((turn) => ({ role: turn.role, content: turn.content })), null, 1);
}
