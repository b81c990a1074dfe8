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
  /** Rows stored now. */
  size(): number;
}

/** Options of {@link createSqliteConversationStore}. */
export interface SqliteConversationStoreOptions<Mode extends string> {
  /** Rows kept; the least recently written are deleted past this (`max_conversations`). @default 1000 */
  maxEntries?: number;
  /** The modes a row may hold; a row with another mode (written by another release) reads as absent. */
  modes: readonly Mode[];
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
 * conversations survive a restart. Synchronous like node:sqlite's DatabaseSync; bounded by
 * `maxEntries`.
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

  return {
    get: (key) => toRecord(byKey.get(key)),
    put(key, record) {
      db.exec('BEGIN IMMEDIATE');
      try {
        const previous = createdOf.get(key)?.['created_at'];
        const createdAt = typeof previous === 'number' ? previous : (record.createdAt ?? record.updatedAt);
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
          createdAt,
          record.updatedAt,
        );
        prune.run(maxEntries);
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },
    findByConversationId: (conversationId) => toRecord(byConversation.get(conversationId)),
    findByEvaluationSessionId: (sessionId) => toRecord(bySession.get(sessionId)),
    size: () => Number(count.get()?.['n'] ?? 0),
  };
}
