import type { ArenaAttachment, ArenaTurn } from '../../arena/index.js';

/** What a new evaluation sends for the current protocol: one prompt plus its attachments. */
export interface BuiltPrompt {
  prompt: string;
  attachments: ArenaAttachment[];
  /** The turns before the last user turn (without system turns), for the `messages` variant. */
  history: ArenaTurn[];
  /** Attachments of earlier turns that could not be carried (the transcript is text only). */
  droppedAttachments: number;
}

export const TRANSCRIPT_BEGIN = 'BEGIN CONVERSATION JSON';
export const TRANSCRIPT_END = 'END CONVERSATION JSON';

/** Options for {@link buildTranscript}. */
export interface BuildPromptOptions {
  /** Flatten earlier turns into the prompt (`transcript`) or return them as history (`messages`). */
  historyMode: 'transcript' | 'messages';
}

/**
 * Builds the prompt of a new evaluation from prepared turns (current protocol, §5/§7).
 *
 * The arena has no system field, so system texts are joined with blank lines and put before the
 * prompt (CloudWaddie's approach). The arena only knows conversations it created, so a conversation
 * that arrives with earlier turns is carried over as a transcript inside the prompt (Glossarion's
 * approach, §12). The format is:
 *
 * ```
 * <system texts, joined by blank lines>
 *
 * The conversation so far, as JSON:
 * BEGIN CONVERSATION JSON
 * [{"role":"user","content":"…"},{"role":"assistant","content":"…"}]
 * END CONVERSATION JSON
 *
 * Continue the conversation: reply to the latest user message below.
 *
 * <latest user text>
 * ```
 *
 * Only the latest user turn's attachments travel; earlier ones are counted in `droppedAttachments`.
 */
export function buildTranscript(turns: readonly ArenaTurn[], options: BuildPromptOptions): BuiltPrompt {
  const system = turns.filter((turn) => turn.role === 'system').map((turn) => turn.content.trim()).filter(Boolean);
  const dialogue = turns.filter((turn) => turn.role !== 'system');
  let lastUserIndex = -1;
  for (let index = dialogue.length - 1; index >= 0; index -= 1) {
    if (dialogue[index]?.role === 'user') {
      lastUserIndex = index;
      break;
    }
  }
  const last = lastUserIndex >= 0 ? dialogue[lastUserIndex] : undefined;
  const earlier = lastUserIndex >= 0 ? dialogue.slice(0, lastUserIndex) : dialogue;
  // Assistant turns after the last user turn (a prefilled answer) are kept in the transcript.
  const trailing = lastUserIndex >= 0 ? dialogue.slice(lastUserIndex + 1) : [];
  const carried = [...earlier, ...trailing];

  const parts: string[] = [];
  if (system.length > 0) parts.push(system.join('\n\n'));
  let droppedAttachments = 0;
  if (options.historyMode === 'transcript' && carried.length > 0) {
    const transcript = carried.map((turn) => ({ role: turn.role, content: turn.content }));
    droppedAttachments = carried.reduce((sum, turn) => sum + (turn.attachments?.length ?? 0), 0);
    parts.push(`The conversation so far, as JSON:\n${TRANSCRIPT_BEGIN}\n${JSON.stringify(transcript)}\n${TRANSCRIPT_END}`);
    parts.push('Continue the conversation: reply to the latest user message below.');
  }
  const text = last?.content ?? '';
  if (text.trim() !== '' || parts.length === 0) parts.push(text);

  const prompt = parts.join('\n\n');
  return {
    prompt: prompt.trim() === '' ? ' ' : prompt,
    attachments: last?.attachments ?? [],
    history: options.historyMode === 'messages' ? carried : [],
    droppedAttachments,
  };
}
