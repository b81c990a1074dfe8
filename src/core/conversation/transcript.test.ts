import { describe, expect, it } from 'vitest';
import type { ArenaTurn } from '../../arena/index.js';
import { TRANSCRIPT_BEGIN, TRANSCRIPT_END, buildTranscript } from './transcript.js';

const turn = (role: ArenaTurn['role'], content: string, attachments: ArenaTurn['attachments'] = []): ArenaTurn => ({ role, content, attachments });
const attachment = { name: 'a.png', contentType: 'image/png', url: 'data:image/png;base64,AA' };

describe('buildTranscript', () => {
  it('sends a lone user message unchanged, with its attachments', () => {
    const built = buildTranscript([turn('user', 'Hello', [attachment])], { historyMode: 'transcript' });
    expect(built.prompt).toBe('Hello');
    expect(built.attachments).toEqual([attachment]);
  });

  it('prepends system prompts to the user prompt', () => {
    const built = buildTranscript([turn('system', 'Be terse.'), turn('system', 'Use French.'), turn('user', 'Hi')], { historyMode: 'transcript' });
    expect(built.prompt).toBe('Be terse.\n\nUse French.\n\nHi');
  });

  it('flattens earlier turns into a delimited JSON transcript and keeps only the last attachments', () => {
    const built = buildTranscript(
      [turn('system', 'S'), turn('user', 'first', [attachment]), turn('assistant', 'answer "1"\nline'), turn('user', 'second')],
      { historyMode: 'transcript' },
    );
    const [system, transcript, instruction, last] = built.prompt.split('\n\n');
    expect(system).toBe('S');
    expect(transcript).toContain(TRANSCRIPT_BEGIN);
    const json = transcript?.slice(transcript.indexOf('\n' + '[') + 1, transcript.indexOf(TRANSCRIPT_END) - 1);
    expect(JSON.parse(json ?? '')).toEqual([
      { role: 'user', content: 'first' },
      { role: 'assistant', content: 'answer "1"\nline' },
    ]);
    expect(instruction).toMatch(/latest user message/);
    expect(last).toBe('second');
    expect(built.droppedAttachments).toBe(1);
    expect(built.attachments).toEqual([]);
  });

  it('returns the earlier turns as history in messages mode', () => {
    const built = buildTranscript([turn('user', 'a'), turn('assistant', 'b'), turn('user', 'c')], { historyMode: 'messages' });
    expect(built.prompt).toBe('c');
    expect(built.history.map((item) => item.content)).toEqual(['a', 'b']);
  });

  it('never sends an empty prompt', () => {
    expect(buildTranscript([turn('user', '')], { historyMode: 'transcript' }).prompt).toBe(' ');
  });
});
