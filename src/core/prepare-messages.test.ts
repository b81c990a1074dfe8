import { describe, expect, it } from 'vitest';
import type { ChatMessage } from './chat-types.js';
import { prepareMessages, type PrepareMessagesOptions } from './prepare-messages.js';

const plain: PrepareMessagesOptions = { tavernMode: false, bypassMode: false, imageBypass: false, textModel: true };
const message = (role: ChatMessage['role'], content: string, attachments: ChatMessage['attachments'] = []): ChatMessage => ({ role, content, attachments });
const image = { contentType: 'image/png', url: 'data:image/png;base64,AAAA' };

describe('prepareMessages', () => {
  it('keeps order and roles, and sends empty user text as a single space', () => {
    const turns = prepareMessages([message('system', 'be brief'), message('user', ''), message('assistant', 'ok'), message('user', '  ')], plain);
    expect(turns.map((turn) => [turn.role, turn.content])).toEqual([
      ['system', 'be brief'],
      ['user', ' '],
      ['assistant', 'ok'],
      ['user', ' '],
    ]);
  });

  it('tavern mode merges every system message, joined by blank lines, into one placed first', () => {
    const turns = prepareMessages(
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
    expect(prepareMessages([message('user', 'hi')], { ...plain, bypassMode: true }).map((turn) => turn.content)).toEqual(['hi', ' ']);
    expect(prepareMessages([message('user', 'hi')], { ...plain, bypassMode: true, textModel: false })).toHaveLength(1);
  });

  it('the --bypass suffix moves the images into an empty assistant turn and prepends "Hi"', () => {
    const turns = prepareMessages([message('user', 'describe this --bypass', [image])], { ...plain, imageBypass: true });
    expect(turns.map((turn) => [turn.role, turn.content, turn.attachments?.length])).toEqual([
      ['user', 'Hi', 0],
      ['assistant', '', 1],
      ['user', 'describe this', 0],
    ]);
    expect(turns[1]?.attachments?.[0]).toEqual({ name: 'file_1.png', contentType: 'image/png', url: image.url });
  });

  it('ignores the --bypass suffix without images or when the trick is off', () => {
    expect(prepareMessages([message('user', 'x --bypass')], { ...plain, imageBypass: true }).map((turn) => turn.content)).toEqual(['x --bypass']);
    expect(prepareMessages([message('user', 'x --bypass', [image])], plain)).toHaveLength(1);
  });

  it('keeps given attachment names', () => {
    const [turn] = prepareMessages([message('user', 'x', [{ ...image, name: 'cat.png' }])], plain);
    expect(turn?.attachments?.[0]?.name).toBe('cat.png');
  });
});
