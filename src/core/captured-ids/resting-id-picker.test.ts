import { describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../observability/logger.js';
import { createGenAIdPicker } from './gen-a-id-picker.js';
import { createRestingIdPicker } from './resting-id-picker.js';

const entry = (sessionId: string) => ({ sessionId, messageId: `m-${sessionId}`, mode: 'direct_chat' as const });

describe('createRestingIdPicker', () => {
  it('skips a rested entry until the rest is over, and uses a rested one when all rest', () => {
    let clock = 0;
    const inner = createGenAIdPicker({ endpointMap: { m: [entry('s1'), entry('s2')] }, globalIds: undefined, useDefaultIdsIfMappingNotFound: false });
    const picker = createRestingIdPicker(inner, { restMs: 1_000, now: () => clock, logger: createSilentLogger() });
    const first = picker.pick('m');
    expect(first.sessionId).toBe('s1');
    picker.rest('m', first, 'session-access-denied');
    expect([picker.pick('m'), picker.pick('m'), picker.pick('m')].map((ids) => ids.sessionId)).toEqual(['s2', 's2', 's2']);
    picker.rest('m', { ...first, sessionId: 's2', messageId: 'm-s2' }, 'not-found');
    expect(['s1', 's2']).toContain(picker.pick('m').sessionId);
    clock = 1_001;
    expect([picker.pick('m'), picker.pick('m')].map((ids) => ids.sessionId).sort()).toEqual(['s1', 's2']);
  });
});
