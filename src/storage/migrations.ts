import type { DatabaseSync } from 'node:sqlite';

/** One step of the state database's schema. Versions are consecutive from 1 and never edited once shipped. */
export interface Migration {
  version: number;
  /** Short snake_case description, stored in schema_migrations. */
  name: string;
  up(db: DatabaseSync): void;
}

/**
 * The schema of the state database, oldest first. Later features append migrations here (for
 * example conversations, captured ids, the request log); a released migration is never changed.
 */
export const STATE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'settings',
    up(db) {
      db.exec(`CREATE TABLE settings (
        key TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT`);
    },
  },
  {
    version: 2,
    name: 'conversations',
    up(db) {
      // `id` orders rows by last write: a rewrite deletes and re-inserts, so pruning drops the
      // least recently written first.
      db.exec(`CREATE TABLE conversations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        history_key TEXT NOT NULL UNIQUE,
        conversation_id TEXT NOT NULL,
        evaluation_session_id TEXT NOT NULL,
        last_user_message_id TEXT NOT NULL,
        last_assistant_message_id TEXT NOT NULL,
        model TEXT NOT NULL,
        model_id TEXT,
        mode TEXT NOT NULL,
        worker_identity TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX conversations_by_conversation_id ON conversations (conversation_id, id);
      CREATE INDEX conversations_by_session_id ON conversations (evaluation_session_id, id);`);
    },
  },
];
