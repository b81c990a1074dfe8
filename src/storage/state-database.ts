import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as Sqlite from 'node:sqlite';
import type { DatabaseSync } from 'node:sqlite';
import { STATE_MIGRATIONS, type Migration } from './migrations.js';
import { runMigrations } from './run-migrations.js';
import { StorageError } from './storage-error.js';

/** The file name of the state database inside the data directory. */
export const STATE_DATABASE_FILE = 'state.sqlite';

/** The bridge's persisted state: a SQLite database in the data directory. */
export interface StateDatabase {
  /** Path of the database file, or `:memory:`. */
  readonly path: string;
  /** The open connection, for stores that own their tables (added through migrations). */
  readonly db: DatabaseSync;
  /** Schema version after migrating. */
  readonly schemaVersion: number;
  /** A value from the key-value settings table. */
  getSetting(key: string): string | undefined;
  /** Stores a value, replacing any earlier one. */
  setSetting(key: string, value: string): void;
  /** Stores a value only if the key has none yet; returns the value now stored (existing or new). */
  setSettingIfAbsent(key: string, value: string): string;
  deleteSetting(key: string): void;
  /** Runs `listener` just before the connection closes (stores flush what they buffer). */
  beforeClose(listener: () => void): void;
  /** Closes the connection; later calls do nothing. */
  close(): void;
}

/** Options for {@link openStateDatabase}. */
export interface OpenStateDatabaseOptions {
  /** Schema steps to apply. @default STATE_MIGRATIONS */
  migrations?: readonly Migration[];
  /** Keep the database in memory (tests, throw-away runs); `dataDir` is then not touched. @default false */
  inMemory?: boolean;
}

/**
 * Opens (creating if needed) `<dataDir>/state.sqlite` with node:sqlite, in WAL mode, and migrates
 * it to the newest schema.
 * @throws StorageError when node:sqlite is missing, the directory or file is unusable, or migrating fails.
 */
export function openStateDatabase(dataDir: string, options: OpenStateDatabaseOptions = {}): StateDatabase {
  const { DatabaseSync: Database } = loadSqlite();
  const path = options.inMemory === true ? ':memory:' : join(dataDir, STATE_DATABASE_FILE);
  let db: DatabaseSync;
  try {
    if (options.inMemory !== true) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    db = new Database(path, { enableForeignKeyConstraints: true });
  } catch (error) {
    throw new StorageError(
      'database_unusable',
      `Cannot open the state database ${path}: ${error instanceof Error ? error.message : String(error)}. ` +
        'Check the permissions of the data directory, or choose another with --data-dir or BRIDGE_DATA_DIR.',
      { cause: error },
    );
  }
  try {
    // WAL lets readers continue while a write is in progress; busy_timeout waits for another
    // process's write lock instead of failing at once.
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
    const schemaVersion = runMigrations(db, options.migrations ?? STATE_MIGRATIONS, path);
    return createStateDatabase(db, path, schemaVersion);
  } catch (error) {
    db.close();
    if (error instanceof StorageError) throw error;
    throw new StorageError(
      'database_unusable',
      `The state database ${path} cannot be used: ${error instanceof Error ? error.message : String(error)}. ` +
        'If the file is damaged, move it aside and restart (a new one is created).',
      { cause: error },
    );
  }
}

function createStateDatabase(db: DatabaseSync, path: string, schemaVersion: number): StateDatabase {
  const select = db.prepare('SELECT value FROM settings WHERE key = ?');
  const upsert = db.prepare(
    'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  );
  const insertIfAbsent = db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO NOTHING');
  const remove = db.prepare('DELETE FROM settings WHERE key = ?');
  const getSetting = (key: string): string | undefined => {
    const value = select.get(key)?.['value'];
    return typeof value === 'string' ? value : undefined;
  };
  const closing: Array<() => void> = [];
  return {
    path,
    db,
    schemaVersion,
    getSetting,
    setSetting(key, value) {
      upsert.run(key, value, new Date().toISOString());
    },
    setSettingIfAbsent(key, value) {
      insertIfAbsent.run(key, value, new Date().toISOString());
      return getSetting(key) ?? value;
    },
    deleteSetting(key) {
      remove.run(key);
    },
    beforeClose(listener) {
      closing.push(listener);
    },
    close() {
      if (!db.isOpen) return;
      for (const listener of closing.splice(0)) listener();
      db.close();
    },
  };
}

type SqliteModule = typeof Sqlite;

/**
 * node:sqlite is loaded on first use rather than imported at module load, so commands that never
 * open the database do not depend on it, and an old Node gets a clear message instead of a crash.
 */
function loadSqlite(): SqliteModule {
  try {
    return createRequire(import.meta.url)('node:sqlite') as SqliteModule;
  } catch (error) {
    throw new StorageError(
      'sqlite_unavailable',
      `node:sqlite is not available in Node ${process.versions.node}. LMArena Bridge needs Node 22.13 or newer (Node 24 recommended).`,
      { cause: error },
    );
  }
}
