/** Persisted state in the data directory: atomic files and the node:sqlite state database. */
export { ensureDataDir } from './ensure-data-dir.js';
export {
  CAPTURED_GLOBAL_IDS_KEY,
  CAPTURED_MODEL_POOLS_KEY,
  createCapturedIdsStore,
  type CapturedIdsRecord,
  type CapturedIdsStore,
} from './captured-ids-store.js';
export { STATE_MIGRATIONS, type Migration } from './migrations.js';
export { loadOrCreatePairingSecret, PAIRING_SECRET_KEY } from './pairing-secret.js';
export { currentVersion, runMigrations } from './run-migrations.js';
export {
  openStateDatabase,
  STATE_DATABASE_FILE,
  type OpenStateDatabaseOptions,
  type StateDatabase,
} from './state-database.js';
export {
  createSqliteConversationStore,
  type SqliteConversationStore,
  type SqliteConversationStoreOptions,
  type StoredConversation,
} from './sqlite-conversation-store.js';
export { isStorageError, StorageError, type StorageErrorCode } from './storage-error.js';
export { writeFileAtomic, type WriteFileAtomicOptions } from './write-file-atomic.js';
export { createFileStore, FILE_ID_PATTERN, FileTooLargeError, type FileStore, type FileStoreOptions, type StoredFileInfo } from './file-store.js';
export { ACCOUNT_STATE_KEY, createAccountStateStore, DIRECT_MODE_KEY, type SqliteAccountStateStore, type StoredAccount } from './account-state-store.js';
