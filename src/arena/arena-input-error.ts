/**
 * Thrown by the request builders and model-list parsers when the caller's input cannot become a
 * valid upstream request (for example `side-by-side` without `modelBId`). Deliberately not a
 * BridgeError: src/arena knows nothing of HTTP statuses; core translates it.
 */
export class ArenaInputError extends Error {
  /** The input field that is wrong, e.g. `modelAId`. */
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.name = 'ArenaInputError';
    this.field = field;
  }
}

/** Guard that works across package copies (matches by `name`, not `instanceof`). */
export function isArenaInputError(value: unknown): value is ArenaInputError {
  return value instanceof Error && value.name === 'ArenaInputError' && typeof (value as { field?: unknown }).field === 'string';
}
