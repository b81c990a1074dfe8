import { z } from 'zod';
import type { StateDatabase } from './state-database.js';

/**
 * One stored conversation state: the arena session holding a message history, as core describes
 * it (core's `ConversationRecord`; restated here because storage is a leaf and imports nothing of
 * core). `Mode` is the arena mode vocabulary the caller passes in.
 */
export interface StoredConversation<Mode extends string = string> {
  conversationId: string;
  evaluationSessionId: string;
  lastUserMessageId: string;
  lastAssistantMessageId: string;
  model: string;
  modelId: string | null;
  mode: Mode;
  workerIdentity: string | null;
  /** When this history was first stored (ms since epoch); defaults to `updatedAt`. */
  createdAt?: number;
  updatedAt: number;
}

/** The conversation map kept in the state database, keyed by a history hash. */
export interface SqliteConversationStore<Mode extends string = string> {
  get(key: string): StoredConversation<Mode> | undefined;
  put(key: string, record: StoredConversation<Mode>): void;
  /** The most recently written record of a conversation id. */
  findByConversationId(conversationId: string): StoredConversation<Mode> | undefined;
  /** The most recently written record of an evaluation session. */
  findByEvaluationSessionId(evaluationSessionId: string): StoredConversation<Mode> | undefined;
  /** Rows stored now (written ones and those waiting to be written). */
  size(): number;
  /** Writes what is waiting now (also done on a short timer after each put). */
  flush(): void;
}

/** Options of {@link createSqliteConversationStore}. */
export interface SqliteConversationStoreOptions<Mode extends string> {
  /** Rows kept; the least recently written are deleted past this (`max_conversations`). @default 1000 */
  maxEntries?: number;
  /** The modes a row may hold; a row with another mode (written by another release) reads as absent. */
  modes: readonly Mode[];
  /** How long puts wait to be written together in one transaction. @default 50 */
  flushDelayMs?: number;
  /**
   * Told when a batched write fails (disk full, I/O error); those puts are dropped and the map
   * carries on. @default ignore
   */
  onError?: (error: unknown) => void;
}

const rowSchema = z.object({
  conversation_id: z.string(),
  evaluation_session_id: z.string(),
  last_user_message_id: z.string(),
  last_assistant_message_id: z.string(),
  model: z.string(),
  model_id: z.string().nullable(),
  mode: z.string(),
  worker_identity: z.string().nullable(),
  created_at: z.number(),
  updated_at: z.number(),
});

const COLUMNS =
  'conversation_id, evaluation_session_id, last_user_message_id, last_assistant_message_id, model, model_id, mode, worker_identity, created_at, updated_at';

/**
 * A conversation map over the `conversations` table of the state database (migration 2), so
 * conversations survive a restart. Bounded by `maxEntries`.
 *
 * Puts are visible to reads at once but written to the database in batches (one transaction per
 * `flushDelayMs`), because a put runs once or twice per answer and a synchronous transaction each
 * time would stall every stream on the event loop. A crash loses at most that window of the map;
 * such a conversation is then carried into a new session, not lost.
 *
 * @example
 * const store = createSqliteConversationStore(database, { maxEntries: 1000, modes: ['direct', 'battle'] });
 */
export function createSqliteConversationStore<Mode extends string>(
  database: StateDatabase,
  options: SqliteConversationStoreOptions<Mode>,
): SqliteConversationStore<Mode> {
  const { db } = database;
  const maxEntries = Math.max(1, options.maxEntries ?? 1000);
  const byKey = db.prepare(`SELECT ${COLUMNS} FROM conversations WHERE history_key = ?`);
  const byConversation = db.prepare(`SELECT ${COLUMNS} FROM conversations WHERE conversation_id = ? ORDER BY id DESC LIMIT 1`);
  const bySession = db.prepare(`SELECT ${COLUMNS} FROM conversations WHERE evaluation_session_id = ? ORDER BY id DESC LIMIT 1`);
  const createdOf = db.prepare('SELECT created_at FROM conversations WHERE history_key = ?');
  const remove = db.prepare('DELETE FROM conversations WHERE history_key = ?');
  const insert = db.prepare(`INSERT INTO conversations (history_key, ${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const prune = db.prepare('DELETE FROM conversations WHERE id <= (SELECT id FROM conversations ORDER BY id DESC LIMIT 1 OFFSET ?)');
  const count = db.prepare('SELECT COUNT(*) AS n FROM conversations');

  function toRecord(row: unknown): StoredConversation<Mode> | undefined {
    if (row === undefined) return undefined;
    const parsed = rowSchema.safeParse(row);
    if (!parsed.success) return undefined;
    const value = parsed.data;
    const mode = options.modes.find((candidate) => candidate === value.mode);
    if (mode === undefined) return undefined;
    return {
      conversationId: value.conversation_id,
      evaluationSessionId: value.evaluation_session_id,
      lastUserMessageId: value.last_user_message_id,
      lastAssistantMessageId: value.last_assistant_message_id,
      model: value.model,
      modelId: value.model_id,
      mode,
      workerIdentity: value.worker_identity,
      createdAt: value.created_at,
      updatedAt: value.updated_at,
    };
  }

  const pending = new Map<string, StoredConversation<Mode>>();
  let timer: NodeJS.Timeout | undefined;
  // Writes that run on their own (timer, shutdown) must never throw into the event loop.
  const flushQuietly = (): void => {
    try {
      flush();
    } catch (error) {
      options.onError?.(error);
    }
  };
  database.beforeClose(flushQuietly);

  function write(key: string, record: StoredConversation<Mode>): void {
    remove.run(key);
    insert.run(
      key,
      record.conversationId,
      record.evaluationSessionId,
      record.lastUserMessageId,
      record.lastAssistantMessageId,
      record.model,
      record.modelId,
      record.mode,
      record.workerIdentity,
      record.createdAt ?? record.updatedAt,
      record.updatedAt,
    );
  }

  function flush(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pending.size === 0) return;
    db.exec('BEGIN IMMEDIATE');
    try {
      for (const [key, record] of pending) write(key, record);
      prune.run(maxEntries);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    } finally {
      pending.clear();
    }
  }

  /** The newest waiting record matching `test` (insertion order is write order). */
  function newestPending(test: (record: StoredConversation<Mode>) => boolean): StoredConversation<Mode> | undefined {
    let found: StoredConversation<Mode> | undefined;
    for (const record of pending.values()) if (test(record)) found = record;
    return found;
  }

  return {
    get: (key) => pending.get(key) ?? toRecord(byKey.get(key)),
    put(key, record) {
      // A rewritten history keeps its first creation time.
      const stored = pending.get(key)?.createdAt ?? createdOf.get(key)?.['created_at'];
      const createdAt = typeof stored === 'number' ? stored : (record.createdAt ?? record.updatedAt);
      // Re-inserting moves the key to the end, so `newestPending` sees write order.
      pending.delete(key);
      pending.set(key, { ...record, createdAt });
      timer ??= setTimeout(flushQuietly, options.flushDelayMs ?? 50);
      timer.unref();
    },
    findByConversationId: (conversationId) =>
      newestPending((record) => record.conversationId === conversationId) ?? toRecord(byConversation.get(conversationId)),
    findByEvaluationSessionId: (sessionId) =>
      newestPending((record) => record.evaluationSessionId === sessionId) ?? toRecord(bySession.get(sessionId)),
    size: () => {
      flush();
      return Number(count.get()?.['n'] ?? 0);
    },
    flush,
  };
}
