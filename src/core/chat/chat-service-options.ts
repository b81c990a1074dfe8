/**
 * Settings of the chat service, as a plain object. The composition root maps BridgeConfig into it,
 * so core never reads config files or the environment itself.
 */
import type { BattleTarget, CapturedMode, EndpointMapping, ModelsFileEntry } from '../../config/index.js';

/** The Gen A mode the ids were captured in (§4.2 of arena-protocol.md). */
export type GenAMode = CapturedMode;

/** One captured session/message pair for the retry-replay protocol (model_endpoint_map.json). */
export type { EndpointMapping, ModelsFileEntry };

/** The global captured ids (`session_id`, `message_id`, `id_updater_last_mode`, `id_updater_battle_target`). */
export interface GlobalIds {
  sessionId: string;
  messageId: string;
  mode: GenAMode;
  battleTarget: BattleTarget;
}

/** How core talks to the arena and treats conversations. */
export interface ChatServiceOptions {
  /** Merge all system messages into one, placed first (§11.6.3). @default false */
  tavernMode: boolean;
  /** Gen A only: append an empty user turn for text models (§11.6.5). @default false */
  bypassMode: boolean;
  /**
   * `current`: create-evaluation / post-to-evaluation (§5, §7).
   * `retry-replay`: the original bridge's replay of captured ids (§4).
   * @default 'current'
   */
  protocol: 'current' | 'retry-replay';
  /** The `mode` a new single-model evaluation starts with (§5.4, §15.1). @default 'direct-battle' */
  directModeValue: 'direct' | 'direct-battle';
  /** Longest prompt sent as one message, in characters (`prompt_character_limit`). @default 50000 */
  promptCharacterLimit?: number;
  /**
   * How an unknown conversation with earlier turns is carried into a new evaluation:
   * `transcript` flattens them into the prompt; `messages` sends them as the B-messages history.
   * @default 'transcript'
   */
  historyMode: 'transcript' | 'messages';
  /** Gen A global ids; `undefined` when none were captured. */
  globalIds: GlobalIds | undefined;
  /** Gen A per-model id pools (round-robin per model). */
  endpointMap: Record<string, EndpointMapping[]>;
  /** Gen A: use the global ids for a model without a mapping. @default true */
  useDefaultIdsIfMappingNotFound: boolean;
  /** Deadline for the first output, including every retry. @default 120000 */
  firstTokenTimeoutMs: number;
  /** Longest silence between upstream chunks once streaming (`stream_response_timeout_seconds`). @default 360000 */
  idleTimeoutMs: number;
  /** Attempts before the first output, the first included. @default 3 */
  retryAttempts: number;
  /**
   * Gen A: how long a pool entry the arena refused (access denied, not found, bad request) is
   * skipped. @default 600000 (10 minutes)
   */
  unhealthySessionRestMs?: number;
}

/** Defaults for every {@link ChatServiceOptions} field. */
export function defaultChatServiceOptions(): ChatServiceOptions {
  return {
    tavernMode: false,
    bypassMode: false,
    protocol: 'current',
    directModeValue: 'direct-battle',
    historyMode: 'transcript',
    globalIds: undefined,
    endpointMap: {},
    useDefaultIdsIfMappingNotFound: true,
    firstTokenTimeoutMs: 120_000,
    idleTimeoutMs: 360_000,
    retryAttempts: 3,
  };
}
