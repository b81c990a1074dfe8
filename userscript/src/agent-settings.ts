import * as z from 'zod/mini';
import type { AgentSettings } from './agent-environment.js';

/** Validates `__LMARENA_BRIDGE_SETTINGS__` as defined by the served script. */
export const agentSettingsSchema = z.object({
  bridgeUrl: z.string().check(z.regex(/^wss?:\/\//, 'must be a ws:// or wss:// URL')),
  secret: z.string(),
  host: z.enum(['userscript', 'browser']),
  pageToken: z.optional(z.string()),
  arenaOrigins: z.optional(z.array(z.string())),
  agentVersion: z.string(),
});

/** Parses the injected settings, or throws with every problem listed. */
export function parseAgentSettings(value: unknown): AgentSettings {
  const result = agentSettingsSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new Error(`Invalid LMArena Bridge settings: ${problems.join('; ')}. Reinstall the script from the bridge.`);
  }
  return result.data;
}
