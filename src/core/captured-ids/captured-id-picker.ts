import type { EndpointMapping } from '../chat/chat-service-options.js';
import type { CapturedIdsState } from './captured-ids-state.js';
import { createGenAIdPicker, type GenAIdPicker, type GenAIdPickerOptions } from './gen-a-id-picker.js';

/** Options for {@link createCapturedIdPicker}. */
export interface CapturedIdPickerOptions {
  /** The ids from the configuration (config.jsonc and model_endpoint_map.json). */
  configured: GenAIdPickerOptions;
  /** Ids written by `lmarena-bridge capture-ids`. */
  captured: Pick<CapturedIdsState, 'global' | 'pools' | 'version'>;
}

/**
 * The Gen A picker over configured and captured ids. A global capture replaces the configured
 * global ids, as the original's id updater overwrote `session_id`/`message_id` in config.jsonc;
 * a capture for a model extends that model's model_endpoint_map.json pool. A new capture takes
 * effect on the next request (the round-robin then starts over).
 */
export function createCapturedIdPicker(options: CapturedIdPickerOptions): GenAIdPicker {
  const { configured, captured } = options;
  let builtFor = -1;
  let inner: GenAIdPicker | undefined;

  function merged(): GenAIdPickerOptions {
    const endpointMap: Record<string, EndpointMapping[]> = {};
    for (const [model, pool] of Object.entries(configured.endpointMap)) endpointMap[model] = [...pool];
    for (const [model, pool] of Object.entries(captured.pools())) {
      const target = (endpointMap[model] ??= []);
      for (const entry of pool) {
        if (target.some((known) => known.sessionId === entry.sessionId && known.messageId === entry.messageId)) continue;
        target.push({ sessionId: entry.sessionId, messageId: entry.messageId, mode: entry.mode, battleTarget: entry.battleTarget });
      }
    }
    const global = captured.global();
    return {
      endpointMap,
      globalIds: global === undefined
        ? configured.globalIds
        : { sessionId: global.sessionId, messageId: global.messageId, mode: global.mode, battleTarget: global.battleTarget },
      useDefaultIdsIfMappingNotFound: configured.useDefaultIdsIfMappingNotFound,
    };
  }

  return {
    pick(model) {
      if (inner === undefined || builtFor !== captured.version) {
        builtFor = captured.version;
        inner = createGenAIdPicker(merged());
      }
      return inner.pick(model);
    },
  };
}
