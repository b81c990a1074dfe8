import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../chat/chat-types.js';
import { toArenaTurns, type PrepareMessagesOptions } from './arena-turns.js';

const plain: PrepareMessagesOptions = { tavernMode: false, bypassMode: false, imageBypass: false, textModel: true };
const message = (role: ChatMessage['role'], content: string, attachments: ChatMessage['attachments'] = []): ChatMessage => ({ role, content, attachments });
const image = { contentType: 'image/png', url: 'data:image/png;base64,AAAA' };

describe('toArenaTurns', () => {
  it('keeps order and roles, and sends empty user text as a single space', () => {
    const turns = toArenaTurns([message('system', 'be brief'), message('user', ''), message('assistant', 'ok'), message('user', '  ')], plain);
    expect(turns.map((turn) => [turn.role, turn.content])).toEqual([
      ['system', 'be brief'],
      ['user', ' '],
      ['assistant', 'ok'],
      ['user', ' '],
    ]);
  });

  it('tavern mode merges every system message, joined by blank lines, into one placed first', () => {
    const turns = toArenaTurns(
      [message('user', 'hi'), message('system', 'one'), message('assistant', 'yo'), message('system', 'two')],
      { ...plain, tavernMode: true },
    );
    expect(turns.map((turn) => [turn.role, turn.content])).toEqual([
      ['system', 'one\n\ntwo'],
      ['user', 'hi'],
      ['assistant', 'yo'],
    ]);
  });

  it('bypass mode appends an empty user turn for text models only', () => {
    expect(toArenaTurns([message('user', 'hi')], { ...plain, bypassMode: true }).map((turn) => turn.content)).toEqual(['hi', ' ']);
    expect(toArenaTurns([message('user', 'hi')], { ...plain, bypassMode: true, textModel: false })).toHaveLength(1);
  });

  it('the --bypass suffix moves the images into an empty assistant turn and prepends "Hi"', () => {
    const turns = toArenaTurns([message('user', 'describe this --bypass', [image])], { ...plain, imageBypass: true });
    expect(turns.map((turn) => [turn.role, turn.content, turn.attachments?.length])).toEqual([
      ['user', 'Hi', 0],
      ['assistant', '', 1],
      ['user', 'describe this', 0],
    ]);
    expect(turns[1]?.attachments?.[0]).toEqual({ name: 'file_1.png', contentType: 'image/png', url: image.url });
  });

  it('ignores the --bypass suffix without images or when the trick is off', () => {
    expect(toArenaTurns([message('user', 'x --bypass')], { ...plain, imageBypass: true }).map((turn) => turn.content)).toEqual(['x --bypass']);
    expect(toArenaTurns([message('user', 'x --bypass', [image])], plain)).toHaveLength(1);
  });

  it('keeps given attachment names', () => {
    const [turn] = toArenaTurns([message('user', 'x', [{ ...image, name: 'cat.png' }])], plain);
    expect(turn?.attachments?.[0]?.name).toBe('cat.png');
  });
});
