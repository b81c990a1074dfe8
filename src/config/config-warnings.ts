import type { BridgeConfig } from './bridge-config.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Valid but questionable combinations, as one sentence each. */
export function configWarnings(config: BridgeConfig): string[] {
  const warnings: string[] = [];
  if (!LOOPBACK_HOSTS.has(config.server.host) && config.server.apiKey === undefined) {
    warnings.push(
      `The bridge listens on ${config.server.host} without an api_key: anyone who can reach it can use your arena session and fetch the userscript with its pairing secret. Set "api_key" (or BRIDGE_API_KEY).`,
    );
  }
  const hasCapturedIds = config.capturedIds.sessionId !== undefined || Object.keys(config.endpointMap).length > 0;
  if (config.arena.protocol === 'current' && hasCapturedIds) {
    warnings.push(
      'session_id/message_id and model_endpoint_map.json are used only with "protocol": "retry-replay"; the default protocol ("current") starts fresh arena sessions and ignores them.',
    );
  }
  if (config.arena.protocol === 'retry-replay') {
    if (config.capturedIds.sessionId === undefined && Object.keys(config.endpointMap).length === 0) {
      warnings.push('"protocol": "retry-replay" needs captured ids, but neither session_id/message_id nor model_endpoint_map.json has any: requests fail until ids are captured with `lmarena-bridge capture-ids` (kept in the data directory, not checked here).');
    } else if ((config.capturedIds.sessionId === undefined) !== (config.capturedIds.messageId === undefined)) {
      warnings.push('Only one of session_id and message_id is set; the global ids are used only when both are.');
    }
  }
  if (config.fileBed.enabled && config.fileHost.enabled) {
    warnings.push('Both file_bed_enabled and file_host_enabled are set; enable only one, so that it is clear where attachments are uploaded.');
  }
  return warnings;
}
