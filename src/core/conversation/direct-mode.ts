import type { BridgeEvents } from '../../observability/bridge-events.js';
import type { Logger } from '../../observability/logger.js';

/** The two spellings of a single-model evaluation's `mode` (§5.4, §15.1). */
export type DirectModeValue = 'direct' | 'direct-battle';

/** A key-value slot in the data directory. */
export interface SettingSlot {
  get(): string | undefined;
  set(value: string): void;
}

/** Which `mode` value a new single-model evaluation starts with, learned from the site. */
export interface DirectModeMemory {
  current(): DirectModeValue;
  /** The site refused `value` for a new conversation: switch to the other one and remember it. */
  refused(value: DirectModeValue): DirectModeValue;
}

/** Options of {@link createDirectModeMemory}. */
export interface DirectModeMemoryOptions {
  /** `direct_mode_value`: the starting point, and the key of what is remembered. */
  configured: DirectModeValue;
  /** Where the working value is kept; without it the switch lasts until the process ends. */
  slot?: SettingSlot;
  logger: Logger;
  events?: BridgeEvents;
  now?: () => number;
}

const other = (value: DirectModeValue): DirectModeValue => (value === 'direct' ? 'direct-battle' : 'direct');

/**
 * Remembers the working value per configured value: changing `direct_mode_value` starts over from
 * the new setting, so the override always wins until the site refuses it again.
 */
export function createDirectModeMemory(options: DirectModeMemoryOptions): DirectModeMemory {
  let working = options.configured;
  try {
    const stored: unknown = JSON.parse(options.slot?.get() ?? 'null');
    if (typeof stored === 'object' && stored !== null && 'configured' in stored && 'working' in stored) {
      const value = stored.working;
      if (stored.configured === options.configured && (value === 'direct' || value === 'direct-battle')) working = value;
    }
  } catch {
    // An unreadable value is forgotten; the next refusal writes a good one.
  }
  return {
    current: () => working,
    refused(value) {
      // Concurrent requests may all see the refusal of the same value: switch once.
      if (value !== working) return working;
      working = other(value);
      options.logger.warn(`LMArena refused mode "${value}" for a new conversation; using "${working}" from now on (remembered in the data directory)`, {
        configured: options.configured,
      });
      options.events?.emit({ type: 'mode.switched', at: (options.now ?? Date.now)(), from: value, to: working });
      try {
        options.slot?.set(JSON.stringify({ configured: options.configured, working }));
      } catch (error) {
        options.logger.warn('Remembering the working mode value failed', { error: error instanceof Error ? error.message : String(error) });
      }
      return working;
    },
  };
}
