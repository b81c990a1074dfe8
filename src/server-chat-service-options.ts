/**
 * Maps the validated configuration onto the chat service options of core, so core never reads config
 * files or the environment. Part of the composition root.
 */
import type { ArenaMode } from './arena/types.js';
import type { BridgeConfig } from './config/index.js';
import type { ChatServiceOptions } from './core/index.js';

/** Chat service options from the configuration (seconds become milliseconds here). */
export function chatServiceOptionsFrom(config: BridgeConfig): ChatServiceOptions {
  const ids = config.capturedIds;
  return {
    tavernMode: config.chat.tavernMode,
    bypassMode: config.chat.bypass,
    protocol: config.arena.protocol,
    directModeValue: config.arena.directModeValue,
    historyMode: 'transcript',
    globalIds:
      ids.sessionId !== undefined && ids.messageId !== undefined
        ? { sessionId: ids.sessionId, messageId: ids.messageId, mode: ids.mode, battleTarget: ids.battleTarget }
        : undefined,
    endpointMap: Object.fromEntries(Object.entries(config.endpointMap).map(([model, pool]) => [model, [...pool]])),
    useDefaultIdsIfMappingNotFound: ids.useDefaultIdsIfMappingNotFound,
    firstTokenTimeoutMs: config.chat.firstTokenTimeoutSeconds * 1000,
    idleTimeoutMs: config.chat.streamResponseTimeoutSeconds * 1000,
    retryAttempts: config.chat.retryAttempts,
    unhealthySessionRestMs: config.chat.unhealthySessionRestMinutes * 60_000,
    promptCharacterLimit: config.chat.promptCharacterLimit,
  };
}

/** Every arena mode a stored conversation may hold (the record type makes the list complete). */
export const ARENA_MODES: readonly ArenaMode[] = Object.keys({
  direct: true,
  'direct-battle': true,
  battle: true,
  'side-by-side': true,
} satisfies Record<ArenaMode, true>) as ArenaMode[];
