import { InvalidRequestError } from '../errors/index.js';
import type { EndpointMapping, GenAMode, GlobalIds } from '../chat/chat-service-options.js';

/** The ids one Gen A request replays (§4). */
export interface GenAIds {
  sessionId: string;
  messageId: string;
  mode: GenAMode;
  battleTarget: 'A' | 'B';
}

/** Picks captured ids per model. */
export interface GenAIdPicker {
  /** Throws InvalidRequestError when the model has no ids and no fallback is allowed. */
  pick(model: string): GenAIds;
}

/** Options for {@link createGenAIdPicker}. */
export interface GenAIdPickerOptions {
  endpointMap: Record<string, EndpointMapping[]>;
  globalIds: GlobalIds | undefined;
  useDefaultIdsIfMappingNotFound: boolean;
}

/**
 * Gen A id selection as the original bridge did it: the model's pool in model_endpoint_map.json
 * (round-robin here, instead of random, so load spreads evenly), else the global ids when
 * `use_default_ids_if_mapping_not_found` is on. A mapping without a mode uses the global mode.
 */
export function createGenAIdPicker(options: GenAIdPickerOptions): GenAIdPicker {
  const cursors = new Map<string, number>();
  const fallbackMode: GenAMode = options.globalIds?.mode ?? 'direct_chat';
  const fallbackTarget = options.globalIds?.battleTarget ?? 'A';

  return {
    pick(model) {
      const name = poolName(options.endpointMap, model);
      const pool = name === undefined ? [] : (options.endpointMap[name] ?? []);
      if (pool.length > 0) {
        const cursor = cursors.get(model.toLowerCase()) ?? 0;
        cursors.set(model.toLowerCase(), (cursor + 1) % pool.length);
        const mapping = pool[cursor % pool.length] as EndpointMapping;
        return {
          sessionId: mapping.sessionId,
          messageId: mapping.messageId,
          mode: mapping.mode ?? fallbackMode,
          battleTarget: mapping.battleTarget ?? fallbackTarget,
        };
      }
      if (options.globalIds && options.useDefaultIdsIfMappingNotFound) return { ...options.globalIds };
      const reason = options.globalIds
        ? 'use_default_ids_if_mapping_not_found is false'
        : 'no global session_id/message_id are configured';
      throw new InvalidRequestError(
        `Model "${model}" has no entry in model_endpoint_map.json and ${reason}. ` +
          'Capture ids with `lmarena-bridge capture-ids` (or add the model to model_endpoint_map.json), ' +
          'or set protocol to "current".',
        { param: 'model' },
      );
    },
  };
}

/** The pool's key for a model name: exact, else ignoring case (model names resolve that way too). */
function poolName(endpointMap: Readonly<Record<string, readonly EndpointMapping[]>>, model: string): string | undefined {
  if (model in endpointMap) return model;
  const lower = model.toLowerCase();
  return Object.keys(endpointMap).find((name) => name.toLowerCase() === lower);
}
