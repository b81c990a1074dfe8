import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, type LogLevel } from './logger.js';

function capture(level: LogLevel): { lines: () => Array<Record<string, unknown>>; logger: ReturnType<typeof createLogger> } {
  let text = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  });
  const logger = createLogger({ level, destination });
  const lines = (): Array<Record<string, unknown>> => text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
  return { lines, logger };
}

describe('createLogger', () => {
  it('writes JSON lines with the message and fields', () => {
    const { lines, logger } = capture('info');
    logger.info('Worker connected', { workerId: 'w1' });
    expect(lines()).toEqual([expect.objectContaining({ msg: 'Worker connected', workerId: 'w1', level: 30 })]);
  });

  it('drops lines below its level', () => {
    const { lines, logger } = capture('warn');
    logger.info('quiet');
    logger.debug('quieter');
    logger.child({ requestId: 'r1' }).info('still quiet');
    logger.warn('loud');
    expect(lines().map((line) => line.msg)).toEqual(['loud']);
  });

  it('gives a child its fields, and a child of a child both sets (the later winning)', () => {
    const { lines, logger } = capture('debug');
    const request = logger.child({ requestId: 'r1', model: 'a' });
    const inner = request.child({ model: 'b', workerId: 'w2' });
    request.debug('outer');
    inner.warn('inner', { attempt: 2 });
    logger.info('root');
    const [outer, nested, root] = lines();
    expect(outer).toEqual(expect.objectContaining({ msg: 'outer', requestId: 'r1', model: 'a' }));
    expect(nested).toEqual(expect.objectContaining({ msg: 'inner', requestId: 'r1', model: 'b', workerId: 'w2', attempt: 2 }));
    expect(JSON.stringify(nested).match(/"model"/g)).toHaveLength(1);
    expect(root).not.toHaveProperty('requestId');
  });

  it('redacts credentials in fields and in child fields', () => {
    const { lines, logger } = capture('info');
    logger.child({ secret: 'pairing' }).info('hello', { headers: { authorization: 'Bearer sk-1' }, token: 't' });
    const [line] = lines();
    expect(JSON.stringify(line)).not.toMatch(/pairing|sk-1|"t"/);
    expect(line).toEqual(expect.objectContaining({ secret: '[redacted]', token: '[redacted]' }));
  });

  it('writes nothing at all when off', () => {
    const { lines, logger } = capture('off');
    logger.error('nothing');
    logger.child({ requestId: 'r1' }).error('nothing either');
    expect(lines()).toEqual([]);
  });

  it('writes readable text lines with format text: time, level, message, fields; credentials still redacted', () => {
    let text = '';
    const logger = createLogger({ level: 'debug', format: 'text', destination: { write: (chunk: string) => (text += chunk) } });
    logger.child({ requestId: 'r1' }).warn('Worker rate-limited; cooling it down', { seconds: 30, reason: 'too many requests', headers: { authorization: 'Bearer sk-1' } });
    logger.debug('plain');
    const [first, second] = text.split('\n');
    expect(first).toMatch(/^\d\d:\d\d:\d\d\.\d{3} WARN {2}Worker rate-limited; cooling it down requestId=r1 seconds=30 reason="too many requests" headers=\{"authorization":"\[redacted\]"\}$/);
    expect(second).toMatch(/^\d\d:\d\d:\d\d\.\d{3} DEBUG plain$/);
    expect(text).not.toContain('sk-1');
  });
});
