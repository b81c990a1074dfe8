import type { Side } from '../arena/types.js';
import type { InjectionName } from './injections.js';
import { interleave, record } from './replies.js';
import type { Reply } from './replies.js';
import type { PlanStep, StreamPlan } from './stream-writer.js';

/** In-band failures: the stream answers 200 but the reply is not a clean one. */
const IN_BAND_FAILURES: readonly InjectionName[] = [
  'empty-stream', 'model-unavailable', 'model-overloaded', 'provider-error', 'content-filter',
  'truncated', 'truncated-mid-record', 'truncated-mid-utf8', 'drop',
];

/** Whether the injections make the reply fail (the stored assistant message is then an error). */
export function failsInBand(injections: ReadonlySet<InjectionName>): boolean {
  return IN_BAND_FAILURES.some((name) => injections.has(name));
}

/** One side's reply in a stream. */
export interface SideReply {
  side: Side;
  reply: Reply;
}

/** Turns the replies of one or two sides and the request's injections into a stream plan (§13.2, §13.3). */
export function buildStreamPlan(replies: readonly SideReply[], injections: ReadonlySet<InjectionName>, slowGapMs: number): StreamPlan {
  const first = replies[0]?.side ?? 'a';
  const plain = (records: string[], ending: StreamPlan['ending'] = 'end'): StreamPlan => ({ steps: [{ kind: 'records', records }], ending });
  if (injections.has('empty-stream')) return { steps: [], ending: 'end' };
  if (injections.has('model-unavailable')) return plain([record(first, '0', 'hasArenaError')]);
  if (injections.has('model-overloaded')) return plain([record(first, '3', 'model overloaded')]);
  if (injections.has('provider-error')) {
    return plain([record(first, '3', 'Resource exhausted. Please try again later.'), record(first, 'd', { finishReason: 'error' })]);
  }
  const body = replies.length === 2 ? interleave(replies[0]?.reply.body ?? [], replies[1]?.reply.body ?? []) : (replies[0]?.reply.body ?? []);
  const finishes = replies.map(({ reply }) => reply.finish);
  const half = Math.max(1, Math.floor(body.length / 2));
  const steps: PlanStep[] = [];
  if (injections.has('slow')) {
    for (let index = 0; index < 3; index += 1) {
      steps.push({ kind: 'pause', ms: slowGapMs }, { kind: 'records', records: [record(first, '2', [{ type: 'heartbeat' }])] });
    }
  }
  if (injections.has('content-filter')) {
    const partial = body.slice(0, Math.max(1, Math.floor(body.length / 3)));
    steps.push({ kind: 'records', records: [...partial, record(first, 'd', { finishReason: 'content-filter' })] });
    return { steps, ending: 'end' };
  }
  if (injections.has('truncated') || injections.has('drop')) {
    steps.push({ kind: 'records', records: body.slice(0, half) });
    return { steps, ending: injections.has('drop') ? 'destroy' : 'end' };
  }
  if (injections.has('truncated-mid-record')) {
    const next = Buffer.from(body[half] ?? finishes[0] ?? '', 'utf8');
    steps.push({ kind: 'records', records: body.slice(0, half) }, { kind: 'raw', bytes: next.subarray(0, Math.max(1, Math.floor(next.length / 2))) });
    return { steps, ending: 'end' };
  }
  if (injections.has('truncated-mid-utf8')) {
    const index = body.findIndex((entry) => Buffer.byteLength(entry, 'utf8') !== entry.length);
    const cut = index === -1 ? half : index;
    const bytes = Buffer.from(body[cut] ?? '', 'utf8');
    const lead = bytes.findIndex((byte) => byte >= 0xc0);
    steps.push({ kind: 'records', records: body.slice(0, cut) }, { kind: 'raw', bytes: bytes.subarray(0, lead === -1 ? bytes.length : lead + 1) });
    return { steps, ending: 'end' };
  }
  steps.push({ kind: 'records', records: [...body, ...finishes] });
  return { steps, ending: 'end' };
}
