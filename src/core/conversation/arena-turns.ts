import type { ArenaAttachment, ArenaTurn } from '../../arena/index.js';
import type { ChatAttachment, ChatMessage } from '../chat/chat-types.js';

/** Options for {@link toArenaTurns}. */
export interface PrepareMessagesOptions {
  /** Merge every system message into one placed first (§11.6.3). */
  tavernMode: boolean;
  /** Append an extra user turn `" "` (§11.6.5); only applied to text models. */
  bypassMode: boolean;
  /** Honour the `--bypass` suffix image trick (§11.6.4). */
  imageBypass: boolean;
  /** `true` when the model produces text (chat or search), so bypass mode applies. */
  textModel: boolean;
}

const BYPASS_SUFFIX = '--bypass';

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/svg+xml': 'svg',
  'application/pdf': 'pdf',
};

/** Converts a client attachment into the arena's shape, naming unnamed files deterministically. */
export function toArenaAttachment(attachment: ChatAttachment, index: number): ArenaAttachment {
  const extension = EXTENSIONS[attachment.contentType] ?? attachment.contentType.split('/')[1] ?? 'bin';
  return {
    name: attachment.name ?? `file_${index + 1}.${extension}`,
    contentType: attachment.contentType,
    url: attachment.url,
  };
}

/**
 * Turns OpenAI-style messages into arena turns the way the original bridge did (§11.6): tavern
 * merge, the `--bypass` image trick, bypass mode, and empty user text sent as `" "`. Pure.
 */
export function toArenaTurns(messages: readonly ChatMessage[], options: PrepareMessagesOptions): ArenaTurn[] {
  let turns: ArenaTurn[] = messages.map((message) => ({
    role: message.role,
    content: message.content,
    attachments: message.attachments.map(toArenaAttachment),
  }));

  if (options.tavernMode) {
    const system = turns.filter((turn) => turn.role === 'system');
    const others = turns.filter((turn) => turn.role !== 'system');
    turns = system.length === 0
      ? others
      : [{ role: 'system', content: system.map((turn) => turn.content).join('\n\n'), attachments: [] }, ...others];
  }

  if (options.imageBypass) turns = applyImageBypass(turns);

  if (options.bypassMode && options.textModel) turns.push({ role: 'user', content: ' ', attachments: [] });

  return turns.map((turn) => (turn.role === 'user' && turn.content.trim() === '' ? { ...turn, content: ' ' } : turn));
}

/**
 * §11.6.4: a last user message ending in `--bypass` with images has the suffix stripped and its
 * images moved into an empty assistant turn just before it, so the model sees them as its own
 * earlier output rather than as user input; a leading assistant turn gets a `"Hi"` user turn first.
 */
function applyImageBypass(turns: ArenaTurn[]): ArenaTurn[] {
  const last = turns.at(-1);
  if (!last || last.role !== 'user') return turns;
  const trimmed = last.content.trimEnd();
  const images = (last.attachments ?? []).filter((attachment) => attachment.contentType.startsWith('image/'));
  if (!trimmed.endsWith(BYPASS_SUFFIX) || images.length === 0) return turns;

  const rest = (last.attachments ?? []).filter((attachment) => !attachment.contentType.startsWith('image/'));
  const result: ArenaTurn[] = [
    ...turns.slice(0, -1),
    { role: 'assistant', content: '', attachments: images },
    { role: 'user', content: trimmed.slice(0, -BYPASS_SUFFIX.length).trimEnd(), attachments: rest },
  ];
  if (result[0]?.role === 'assistant') result.unshift({ role: 'user', content: 'Hi', attachments: [] });
  return result;
}
