import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirForTest, useTempDir } from '../../test/support/temp-dir.js';
import { STATE_MIGRATIONS, type Migration } from './migrations.js';
import { loadOrCreatePairingSecret, PAIRING_SECRET_KEY } from './pairing-secret.js';
import { openStateDatabase, type StateDatabase } from './state-database.js';

const dir = useTempDir('bridge-state-');
const opened: StateDatabase[] = [];
function open(...args: Parameters<typeof openStateDatabase>): StateDatabase {
  const database = openStateDatabase(...args);
  opened.push(database);
  return database;
}

afterEach(() => {
  for (const database of opened.splice(0)) database.close();
});

describe('openStateDatabase', () => {
  it('creates state.sqlite in WAL mode with the migrations applied', () => {
    const database = open(join(dir(), 'data'));
    expect(database.path).toBe(join(dir(), 'data', 'state.sqlite'));
    expect(existsSync(database.path)).toBe(true);
    expect(database.db.prepare('PRAGMA journal_mode').get()?.['journal_mode']).toBe('wal');
    expect(database.schemaVersion).toBe(STATE_MIGRATIONS.length);
    const rows = database.db.prepare('SELECT version, name FROM schema_migrations').all();
    expect(rows.map((row) => ({ ...row }))).toEqual(STATE_MIGRATIONS.map(({ version, name }) => ({ version, name })));
    expect(rows[0]).toEqual({ version: 1, name: 'settings' });
  });

  it('keeps settings across reopening and does not migrate twice', () => {
    const first = open(dir());
    first.setSetting('a', '1');
    first.setSetting('a', '2');
    first.close();
    first.close();
    const second = open(dir());
    expect(second.getSetting('a')).toBe('2');
    expect(second.getSetting('missing')).toBeUndefined();
    expect(second.setSettingIfAbsent('a', 'other')).toBe('2');
    second.deleteSetting('a');
    expect(second.getSetting('a')).toBeUndefined();
    expect(second.db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()?.['n']).toBe(STATE_MIGRATIONS.length);
  });

  it('applies only new migrations and rolls back a failing one', () => {
    open(dir()).close();
    const next = STATE_MIGRATIONS.length + 1;
    const extra: Migration[] = [
      { version: next, name: 'widgets', up: (db) => db.exec('CREATE TABLE widgets (id INTEGER PRIMARY KEY)') },
      {
        version: next + 1,
        name: 'broken',
        up: (db) => {
          db.exec('CREATE TABLE half (id INTEGER)');
          db.exec('THIS IS NOT SQL');
        },
      },
    ];
    const base = (): Migration[] => [...STATE_MIGRATIONS];
    expect(() => open(dir(), { migrations: [...base(), ...extra] })).toThrow(new RegExp(`to version ${next + 1} \\(broken\\) failed`));
    const database = open(dir(), { migrations: [...base(), extra[0] as Migration] });
    expect(database.schemaVersion).toBe(next);
    const tables = database.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
    expect(tables.map((row) => row['name'])).toContain('widgets');
    expect(tables.map((row) => row['name'])).not.toContain('half');
  });

  it('refuses a database written by a newer release', () => {
    const newer: Migration = { version: STATE_MIGRATIONS.length + 1, name: 'future', up: () => undefined };
    open(dir(), { migrations: [...STATE_MIGRATIONS, newer] }).close();
    expect(() => open(dir())).toThrow(expect.objectContaining({ code: 'database_too_new' }));
  });

  it('rejects migrations with gaps in their versions', () => {
    expect(() => open(dir(), { migrations: [{ version: 2, name: 'gap', up: () => undefined }] })).toThrow(/expected 1/);
  });

  it('reports a damaged file as a StorageError', async () => {
    await writeFile(join(dir(), 'state.sqlite'), 'this is not a database, just some text that is long enough to matter');
    expect(() => open(dir())).toThrow(expect.objectContaining({ name: 'StorageError', code: 'database_unusable' }));
  });

  it('can run in memory without touching the directory', () => {
    const database = open(join(dir(), 'never-created'), { inMemory: true });
    database.setSetting('k', 'v');
    expect(database.getSetting('k')).toBe('v');
    expect(existsSync(join(dir(), 'never-created'))).toBe(false);
  });
});

describe('loadOrCreatePairingSecret', () => {
  it('creates 32 random bytes as base64url once and returns them after a restart', () => {
    const first = open(dir());
    const secret = loadOrCreatePairingSecret(first);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(loadOrCreatePairingSecret(first)).toBe(secret);
    first.close();
    expect(loadOrCreatePairingSecret(open(dir()))).toBe(secret);
  });

  it('differs between data directories and replaces a malformed stored value', async () => {
    const other = await tempDirForTest('bridge-state-other-');
    const a = loadOrCreatePairingSecret(open(dir()));
    const otherDatabase = open(other);
    expect(loadOrCreatePairingSecret(otherDatabase)).not.toBe(a);
    otherDatabase.setSetting(PAIRING_SECRET_KEY, 'short');
    expect(loadOrCreatePairingSecret(otherDatabase)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    otherDatabase.close();
  });
});
