import { describe, expect, it } from 'vitest';
import { createCapturedIdPicker } from './captured-id-picker.js';
import type { CapturedIdsEntry, CapturedIdsState } from './captured-ids-state.js';
import { isBridgeError } from '../errors/index.js';

function memoryState(): CapturedIdsState {
  let global: CapturedIdsEntry | undefined;
  const pools: Record<string, CapturedIdsEntry[]> = {};
  let version = 0;
  return {
    global: () => global,
    setGlobal(entry) {
      global = entry;
      version += 1;
    },
    pools: () => pools,
    appendToPool(model, entry) {
      (pools[model] ??= []).push(entry);
      version += 1;
      return pools[model].length;
    },
    get version() {
      return version;
    },
  };
}

const at = '2026-01-01T00:00:00.000Z';

describe('createCapturedIdPicker', () => {
  it('uses the configured global ids until a capture replaces them, with the captured mode', () => {
    const state = memoryState();
    const picker = createCapturedIdPicker({
      configured: { endpointMap: {}, globalIds: { sessionId: 'cfg-s', messageId: 'cfg-m', mode: 'direct_chat', battleTarget: 'A' }, useDefaultIdsIfMappingNotFound: true },
      captured: state,
    });
    expect(picker.pick('any')).toMatchObject({ sessionId: 'cfg-s', messageId: 'cfg-m' });
    state.setGlobal({ sessionId: 'cap-s', messageId: 'cap-m', mode: 'battle', battleTarget: 'B', capturedAt: at });
    expect(picker.pick('any')).toEqual({ sessionId: 'cap-s', messageId: 'cap-m', mode: 'battle', battleTarget: 'B' });
  });

  it('fills empty configured ids from a capture', () => {
    const state = memoryState();
    const picker = createCapturedIdPicker({ configured: { endpointMap: {}, globalIds: undefined, useDefaultIdsIfMappingNotFound: true }, captured: state });
    const error = (() => {
      try {
        picker.pick('m');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(isBridgeError(error) && error.code).toBe('invalid_request');
    state.setGlobal({ sessionId: 's', messageId: 'm', mode: 'direct_chat', battleTarget: 'A', capturedAt: at });
    expect(picker.pick('m').sessionId).toBe('s');
  });

  it('extends a model pool from model_endpoint_map.json with captured pairs, round-robin, without duplicates', () => {
    const state = memoryState();
    state.appendToPool('fake-echo', { sessionId: 'cfg-1', messageId: 'm-1', mode: 'direct_chat', battleTarget: 'A', capturedAt: at });
    state.appendToPool('fake-echo', { sessionId: 'cap-2', messageId: 'm-2', mode: 'battle', battleTarget: 'B', capturedAt: at });
    const picker = createCapturedIdPicker({
      configured: { endpointMap: { 'fake-echo': [{ sessionId: 'cfg-1', messageId: 'm-1' }] }, globalIds: undefined, useDefaultIdsIfMappingNotFound: false },
      captured: state,
    });
    const picks = [picker.pick('fake-echo'), picker.pick('fake-echo'), picker.pick('fake-echo')];
    expect(picks.map((pick) => pick.sessionId)).toEqual(['cfg-1', 'cap-2', 'cfg-1']);
    expect(picks[1]).toMatchObject({ mode: 'battle', battleTarget: 'B' });
    expect(picks[0]).toMatchObject({ mode: 'direct_chat', battleTarget: 'A' });
  });
});
