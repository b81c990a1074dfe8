import { agentSettingsSchema, type AgentSettings } from '../../src/shared/agent-settings.js';
import { formatZodIssues } from '../../src/shared/format-zod-issues.js';

/** Parses the injected settings, or throws with every problem listed. */
export function parseAgentSettings(value: unknown): AgentSettings {
  const result = agentSettingsSchema.safeParse(value);
  if (!result.success) {
    throw new Error(`Invalid LMArena Bridge settings: ${formatZodIssues(result.error.issues)}. Reinstall the script from the bridge.`);
  }
  return result.data;
}
