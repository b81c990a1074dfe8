import type { DatabaseSync } from 'node:sqlite';
import type { Migration } from './migrations.js';
import { StorageError } from './storage-error.js';

/**
 * Brings the schema up to the newest migration. Each migration runs in its own transaction
 * together with its schema_migrations row, so a failure leaves the previous version intact.
 * @returns the schema version afterwards.
 * @throws StorageError `database_too_new` when the file was written by a newer release, or `migration_failed`.
 */
export function runMigrations(db: DatabaseSync, migrations: readonly Migration[], where: string): number {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`Migration "${migration.name}" has version ${migration.version}; expected ${index + 1} (versions are consecutive from 1).`);
    }
  });
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const current = currentVersion(db);
  if (current > migrations.length) {
    throw new StorageError(
      'database_too_new',
      `The state database ${where} has schema version ${current}, newer than this release knows (${migrations.length}). ` +
        'Upgrade lmarena-bridge, or use another --data-dir.',
    );
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of migrations.slice(current)) {
    db.exec('BEGIN IMMEDIATE');
    try {
      migration.up(db);
      record.run(migration.version, migration.name, new Date().toISOString());
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw new StorageError(
        'migration_failed',
        `Updating the state database ${where} to version ${migration.version} (${migration.name}) failed: ${error instanceof Error ? error.message : String(error)}.`,
        { cause: error },
      );
    }
  }
  return currentVersion(db);
}

/** The highest applied migration, 0 for a new database. */
export function currentVersion(db: DatabaseSync): number {
  const version = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get()?.['version'];
  return typeof version === 'number' ? version : 0;
}
