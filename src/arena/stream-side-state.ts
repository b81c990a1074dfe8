/** What the parser remembers about one side (`a` or `b`) of a stream. */
export interface StreamSideState {
  /** At least one well-formed record arrived for this side. */
  seen: boolean;
  /** Its `d` finish record arrived. */
  finished: boolean;
  /** An in-band error (`3` record or `hasArenaError`) arrived; no truncation is reported then. */
  failed: boolean;
  /** Citation urls already emitted (duplicates are dropped). */
  citationUrls: Set<string>;
  /** Citation tool-call text that did not parse yet, per `toolCallId` (deltas may be split). */
  pendingCitations: Map<string, string>;
}

/** A fresh side state. */
export function createSideState(): StreamSideState {
  return { seen: false, finished: false, failed: false, citationUrls: new Set(), pendingCitations: new Map() };
}
