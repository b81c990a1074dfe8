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
];
