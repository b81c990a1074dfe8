/** Why persisted state could not be used. Stable snake_case codes; messages say what to do. */
export type StorageErrorCode =
  | 'data_dir_unusable'
  | 'sqlite_unavailable'
  | 'database_unusable'
  | 'database_too_new'
  | 'migration_failed';

/** A failure of the data directory or the state database. */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  readonly code: StorageErrorCode;

  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** True for a {@link StorageError}, also across module copies. */
export function isStorageError(value: unknown): value is StorageError {
  return value instanceof Error && value.name === 'StorageError' && typeof (value as { code?: unknown }).code === 'string';
}
