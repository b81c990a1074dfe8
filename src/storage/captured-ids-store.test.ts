import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../../test/support/temp-dir.js';
import { CAPTURED_GLOBAL_IDS_KEY, CAPTURED_MODEL_POOLS_KEY, createCapturedIdsStore, type CapturedIdsRecord } from './captured-ids-store.js';
import { openStateDatabase, type StateDatabase } from './state-database.js';

const first: CapturedIdsRecord = { sessionId: 's-1', messageId: 'm-1', mode: 'direct_chat', battleTarget: 'A', capturedAt: '2026-01-01T00:00:00.000Z' };
const second: CapturedIdsRecord = { sessionId: 's-2', messageId: 'm-2', mode: 'battle', battleTarget: 'B', capturedAt: '2026-01-02T00:00:00.000Z' };

const dir = useTempDir('bridge-captured-');
let database: StateDatabase;

beforeEach(() => {
  database = openStateDatabase(dir());
});
afterEach(() => {
  database.close();
});

describe('createCapturedIdsStore', () => {
  it('keeps the global ids across a reopen of the database, the latest capture replacing the earlier', () => {
    const store = createCapturedIdsStore(database);
    expect(store.global()).toBeUndefined();
    store.setGlobal(first);
    store.setGlobal(second);
    database.close();
    database = openStateDatabase(dir());
    expect(createCapturedIdsStore(database).global()).toEqual(second);
  });

  it('appends to a model pool without duplicates and counts versions', () => {
    const store = createCapturedIdsStore(database);
    const before = store.version;
    expect(store.appendToPool('fake-echo', first)).toBe(1);
    expect(store.appendToPool('fake-echo', { ...first, capturedAt: 'later' })).toBe(1);
    expect(store.appendToPool('fake-echo', second)).toBe(2);
    expect(store.appendToPool('other', second)).toBe(1);
    expect(store.pools()).toEqual({ 'fake-echo': [first, second], other: [second] });
    expect(store.version).toBe(before + 4);
  });

  it('reads damaged values as absent and clear() forgets everything', () => {
    const store = createCapturedIdsStore(database);
    database.setSetting(CAPTURED_GLOBAL_IDS_KEY, '{not json');
    database.setSetting(CAPTURED_MODEL_POOLS_KEY, JSON.stringify({ x: [{ sessionId: 1 }] }));
    expect(store.global()).toBeUndefined();
    expect(store.pools()).toEqual({});
    store.setGlobal(first);
    store.appendToPool('m', first);
    store.clear();
    expect(store.global()).toBeUndefined();
    expect(store.pools()).toEqual({});
  });
});
