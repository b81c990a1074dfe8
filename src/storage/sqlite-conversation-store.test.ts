import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../../test/support/temp-dir.js';
import { createSqliteConversationStore, type StoredConversation } from './sqlite-conversation-store.js';
import { openStateDatabase, type StateDatabase } from './state-database.js';

const MODES = ['direct', 'battle', 'side-by-side'] as const;
type Mode = (typeof MODES)[number];

const record = (conversationId: string, overrides: Partial<StoredConversation<Mode>> = {}): StoredConversation<Mode> => ({
  conversationId,
  evaluationSessionId: `s-${conversationId}`,
  lastUserMessageId: 'u-1',
  lastAssistantMessageId: 'a-1',
  model: 'fake-echo',
  modelId: 'model-id',
  mode: 'direct',
  workerIdentity: 'user-1',
  updatedAt: 1_000,
  ...overrides,
});

const dir = useTempDir('bridge-conversations-');
const opened: StateDatabase[] = [];
function open(): StateDatabase {
  const database = openStateDatabase(dir());
  opened.push(database);
  return database;
}

afterEach(() => {
  for (const database of opened.splice(0)) database.close();
});

describe('createSqliteConversationStore', () => {
  it('stores every field and finds records by key, conversation id and session id, newest first', () => {
    const store = createSqliteConversationStore(open(), { modes: MODES });
    store.put('k1', record('c1', { modelId: null, workerIdentity: null }));
    store.put('k2', record('c1', { evaluationSessionId: 's-2', lastAssistantMessageId: 'a-2', mode: 'battle', updatedAt: 2_000 }));
    expect(store.get('k1')).toEqual({ ...record('c1', { modelId: null, workerIdentity: null }), createdAt: 1_000 });
    expect(store.findByConversationId('c1')).toMatchObject({ evaluationSessionId: 's-2', lastAssistantMessageId: 'a-2', mode: 'battle' });
    expect(store.findByEvaluationSessionId('s-c1')?.lastAssistantMessageId).toBe('a-1');
    expect(store.get('missing')).toBeUndefined();
    expect(store.findByConversationId('missing')).toBeUndefined();
  });

  it('keeps the first creation time when a key is rewritten, and the rewrite counts as newest', () => {
    const store = createSqliteConversationStore(open(), { modes: MODES, maxEntries: 2 });
    store.put('k1', record('c1', { updatedAt: 1_000 }));
    store.put('k2', record('c2', { updatedAt: 2_000 }));
    store.put('k1', record('c1', { updatedAt: 3_000, lastAssistantMessageId: 'a-3' }));
    expect(store.get('k1')).toMatchObject({ createdAt: 1_000, updatedAt: 3_000, lastAssistantMessageId: 'a-3' });
    store.put('k3', record('c3'));
    store.flush();
    // k2 was the least recently written, so it goes first (pruning happens when puts are written).
    expect(store.get('k2')).toBeUndefined();
    expect(store.get('k1')).toBeDefined();
    expect(store.size()).toBe(2);
  });

  it('is bounded: only the newest maxEntries rows remain', () => {
    const store = createSqliteConversationStore(open(), { modes: MODES, maxEntries: 3 });
    for (let index = 0; index < 10; index += 1) store.put(`k${index}`, record(`c${index}`));
    expect(store.size()).toBe(3);
    expect(['k7', 'k8', 'k9'].map((key) => store.get(key)?.conversationId)).toEqual(['c7', 'c8', 'c9']);
    expect(store.get('k6')).toBeUndefined();
  });

  it('survives closing and reopening the database', () => {
    const first = open();
    createSqliteConversationStore(first, { modes: MODES }).put('k1', record('c1'));
    first.close();
    const reopened = createSqliteConversationStore(open(), { modes: MODES });
    expect(reopened.get('k1')?.evaluationSessionId).toBe('s-c1');
  });

  it('reads a row with a mode it does not know as absent', () => {
    const database = open();
    createSqliteConversationStore(database, { modes: ['future-mode'] }).put('k1', { ...record('c1'), mode: 'future-mode' });
    expect(createSqliteConversationStore(database, { modes: MODES }).get('k1')).toBeUndefined();
  });
});

describe('createSqliteConversationStore write failures', () => {
  it('reports a failed batched write instead of throwing into the event loop, and keeps working', async () => {
    const database = open();
    const errors: unknown[] = [];
    const store = createSqliteConversationStore(database, { modes: MODES, flushDelayMs: 1, onError: (error) => errors.push(error) });
    database.db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON conversations BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    store.put('k1', record('c1'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(errors).toHaveLength(1);
    expect(store.get('k1')).toBeUndefined();
    database.db.exec('DROP TRIGGER refuse');
    store.put('k2', record('c2'));
    store.flush();
    expect(store.get('k2')?.conversationId).toBe('c2');
  });
});
