import { z } from 'zod';
import type { StateDatabase } from './state-database.js';

/** Settings key of the global ids written by `lmarena-bridge capture-ids`. */
export const CAPTURED_GLOBAL_IDS_KEY = 'captured_ids.global';
/** Settings key of the per-model pools written by `lmarena-bridge capture-ids --model`. */
export const CAPTURED_MODEL_POOLS_KEY = 'captured_ids.models';

const recordSchema = z.object({
  sessionId: z.string().min(1),
  messageId: z.string().min(1),
  mode: z.enum(['direct_chat', 'battle']),
  battleTarget: z.enum(['A', 'B']),
  capturedAt: z.string(),
});
const poolsSchema = z.record(z.string().min(1), z.array(recordSchema));

/** One session/message pair captured from the site's Retry request, with how it was captured. */
export type CapturedIdsRecord = z.infer<typeof recordSchema>;

/**
 * Ids captured by `lmarena-bridge capture-ids`, kept in the state database (settings table) so the
 * user's config files are never rewritten. Values that do not parse (hand-edited, from another
 * release) read as absent rather than failing the bridge.
 */
export interface CapturedIdsStore {
  /** The latest global capture, if any. */
  global(): CapturedIdsRecord | undefined;
  /** Replaces the global capture. */
  setGlobal(record: CapturedIdsRecord): void;
  /** Model name → captured pool, oldest first. */
  pools(): Record<string, CapturedIdsRecord[]>;
  /** Adds a pair to a model's pool; a pair already in it is not added twice. @returns the pool size afterwards. */
  appendToPool(model: string, record: CapturedIdsRecord): number;
  /** Forgets every captured id (global and pools). */
  clear(): void;
  /** Increases on every write, so readers can rebuild what they derive from the store. */
  readonly version: number;
}

function parse<T>(schema: z.ZodType<T>, text: string | undefined): T | undefined {
  if (text === undefined) return undefined;
  try {
    const result = schema.safeParse(JSON.parse(text) as unknown);
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

/** The captured-ids store over the state database's settings table. */
export function createCapturedIdsStore(database: StateDatabase): CapturedIdsStore {
  let version = 0;
  const pools = (): Record<string, CapturedIdsRecord[]> => parse(poolsSchema, database.getSetting(CAPTURED_MODEL_POOLS_KEY)) ?? {};
  return {
    global: () => parse(recordSchema, database.getSetting(CAPTURED_GLOBAL_IDS_KEY)),
    setGlobal(record) {
      database.setSetting(CAPTURED_GLOBAL_IDS_KEY, JSON.stringify(recordSchema.parse(record)));
      version += 1;
    },
    pools,
    appendToPool(model, record) {
      const all = pools();
      const pool = all[model] ?? [];
      const known = pool.some((entry) => entry.sessionId === record.sessionId && entry.messageId === record.messageId);
      if (!known) pool.push(recordSchema.parse(record));
      all[model] = pool;
      database.setSetting(CAPTURED_MODEL_POOLS_KEY, JSON.stringify(all));
      version += 1;
      return pool.length;
    },
    clear() {
      database.deleteSetting(CAPTURED_GLOBAL_IDS_KEY);
      database.deleteSetting(CAPTURED_MODEL_POOLS_KEY);
      version += 1;
    },
    get version() {
      return version;
    },
  };
}
