import { describe, expect, it } from 'vitest';
import { isBridgeError } from '../errors/index.js';
import { createGenAIdPicker } from './gen-a-id-picker.js';

const globalIds = { sessionId: 'gs', messageId: 'gm', mode: 'battle' as const, battleTarget: 'B' as const };

describe('createGenAIdPicker', () => {
  it('round-robins over a model pool and fills a missing mode from the global ids', () => {
    const picker = createGenAIdPicker({
      endpointMap: { m: [{ sessionId: 's1', messageId: 'm1' }, { sessionId: 's2', messageId: 'm2', mode: 'direct_chat', battleTarget: 'A' }] },
      globalIds,
      useDefaultIdsIfMappingNotFound: true,
    });
    expect([picker.pick('m'), picker.pick('m'), picker.pick('m')]).toEqual([
      { sessionId: 's1', messageId: 'm1', mode: 'battle', battleTarget: 'B' },
      { sessionId: 's2', messageId: 'm2', mode: 'direct_chat', battleTarget: 'A' },
      { sessionId: 's1', messageId: 'm1', mode: 'battle', battleTarget: 'B' },
    ]);
  });

  it('keeps a separate cursor per model', () => {
    const pool = [{ sessionId: 'a', messageId: 'a' }, { sessionId: 'b', messageId: 'b' }];
    const picker = createGenAIdPicker({ endpointMap: { x: pool, y: pool }, globalIds: undefined, useDefaultIdsIfMappingNotFound: true });
    expect(picker.pick('x').sessionId).toBe('a');
    expect(picker.pick('y').sessionId).toBe('a');
    expect(picker.pick('x').sessionId).toBe('b');
  });

  it('falls back to the global ids when allowed', () => {
    const picker = createGenAIdPicker({ endpointMap: {}, globalIds, useDefaultIdsIfMappingNotFound: true });
    expect(picker.pick('other')).toEqual(globalIds);
  });

  it('fails with a 400 naming the model and the settings otherwise', () => {
    for (const options of [
      { endpointMap: {}, globalIds, useDefaultIdsIfMappingNotFound: false },
      { endpointMap: {}, globalIds: undefined, useDefaultIdsIfMappingNotFound: true },
    ]) {
      let caught: unknown;
      try {
        createGenAIdPicker(options).pick('gpt-x');
      } catch (error) {
        caught = error;
      }
      expect(isBridgeError(caught) && caught.status).toBe(400);
      expect((caught as Error).message).toMatch(/gpt-x/);
      expect((caught as Error).message).toMatch(/model_endpoint_map\.json/);
    }
  });

  it('finds a model\'s pool whatever the case of the name, as model names resolve', () => {
    const picker = createGenAIdPicker({
      endpointMap: { 'GPT-4o': [{ sessionId: 's1', messageId: 'm1' }] },
      globalIds: undefined,
      useDefaultIdsIfMappingNotFound: false,
    });
    expect(picker.pick('gpt-4o').sessionId).toBe('s1');
  });
});
