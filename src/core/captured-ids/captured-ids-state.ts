import type { GenAMode } from '../chat/chat-service-options.js';

/** One session/message pair captured from the site's Retry request (what capture-ids stores). */
export interface CapturedIdsEntry {
  sessionId: string;
  messageId: string;
  mode: GenAMode;
  battleTarget: 'A' | 'B';
  /** ISO-8601 time of the capture. */
  capturedAt: string;
}

/**
 * Where captured ids persist (the state database in production, see src/storage). Core only
 * needs this shape; the composition root hands in the implementation.
 */
export interface CapturedIdsState {
  global(): CapturedIdsEntry | undefined;
  setGlobal(entry: CapturedIdsEntry): void;
  pools(): Record<string, CapturedIdsEntry[]>;
  /** @returns the pool size afterwards (a pair already present is not added twice). */
  appendToPool(model: string, entry: CapturedIdsEntry): number;
  /** Increases on every write. */
  readonly version: number;
}
