import { describe, expect, it } from 'vitest';
import { agentToBridgeSchema } from '../../shared/worker-protocol.js';
import { parseAgentMessage } from './parse-agent-message.js';

const chunkLike: unknown[] = [
  { type: 'job-chunk', protocolVersion: 1, jobId: 'j', data: 'a0:"x"\n' },
  { type: 'job-chunk', protocolVersion: 1, jobId: 'j', data: '', extra: true },
  { type: 'job-chunk', protocolVersion: 2, jobId: 'j', data: 'x' },
  { type: 'job-chunk', protocolVersion: '1', jobId: 'j', data: 'x' },
  { type: 'job-chunk', protocolVersion: 1, jobId: 7, data: 'x' },
  { type: 'job-chunk', protocolVersion: 1, jobId: 'j', data: null },
  { type: 'job-chunk', protocolVersion: 1, jobId: 'j' },
  { type: 'job-chunk', protocolVersion: 1, data: 'x' },
  [{ type: 'job-chunk', protocolVersion: 1, jobId: 'j', data: 'x' }],
  'job-chunk',
  null,
  42,
  { type: 'job-end', protocolVersion: 1, jobId: 'j' },
  { type: 'heartbeat', protocolVersion: 1, at: 1, activeJobs: -1 },
  { type: 'nope', protocolVersion: 1 },
];

describe('parseAgentMessage', () => {
  it.each(chunkLike.map((value) => [JSON.stringify(value), value]))('agrees with the schema on %s', (text, value) => {
    const parsed = parseAgentMessage(text as string);
    const expected = agentToBridgeSchema.safeParse(value);
    expect(parsed.ok).toBe(expected.success);
    if (parsed.ok && expected.success) {
      expect(parsed.message).toMatchObject(expected.data);
    }
  });

  it('reports frames that are not JSON and names the failing field', () => {
    expect(parseAgentMessage('{oops')).toEqual({ ok: false, problem: 'frame is not JSON', type: undefined });
    const invalid = parseAgentMessage(JSON.stringify({ type: 'job-error', protocolVersion: 1, jobId: 'j', reason: 'bogus', message: 'm' }));
    expect(invalid).toMatchObject({ ok: false, type: 'job-error', problem: expect.stringContaining('reason') });
  });
});
