/** Persisted state in the data directory: atomic files and the node:sqlite state database. */
export { ensureDataDir } from './ensure-data-dir.js';
export { STATE_MIGRATIONS, type Migration } from './migrations.js';
export { loadOrCreatePairingSecret, PAIRING_SECRET_KEY } from './pairing-secret.js';
export { currentVersion, runMigrations } from './run-migrations.js';
export {
  openStateDatabase,
  STATE_DATABASE_FILE,
  type OpenStateDatabaseOptions,
  type StateDatabase,
} from './state-database.js';
export { isStorageError, StorageError, type StorageErrorCode } from './storage-error.js';
export { writeFileAtomic, type WriteFileAtomicOptions } from './write-file-atomic.js';
