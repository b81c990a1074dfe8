import type { JobFailureReason } from '../../src/shared/worker-protocol.js';

/** A job failure with the reason reported to the bridge in `job-error`. */
export class JobFailure extends Error {
  readonly reason: JobFailureReason;

  constructor(reason: JobFailureReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JobFailure';
    this.reason = reason;
  }
}

/** Matches by name so failures thrown across bundles are still recognised. */
export function isJobFailure(value: unknown): value is JobFailure {
  return value instanceof Error && value.name === 'JobFailure' && 'reason' in value;
}

/** A short English description of any throwable. */
export function describeError(value: unknown): string {
  if (value instanceof Error) return value.message || value.name;
  return String(value);
}
