/**
 * The settings the bridge embeds around the in-page agent bundle (the free identifier
 * `__LMARENA_BRIDGE_SETTINGS__`): the renderer writes them, the agent validates them on start.
 */
import * as z from 'zod/mini';

/** Validates `__LMARENA_BRIDGE_SETTINGS__`. */
export const agentSettingsSchema = z.object({
  /** Worker endpoint of the bridge, e.g. `ws://127.0.0.1:5102/ws/worker`. */
  bridgeUrl: z.string().check(z.regex(/^wss?:\/\//, 'must be a ws:// or wss:// URL')),
  /** Pairing secret proving the script was served by this bridge. */
  secret: z.string(),
  /** `userscript` (Tampermonkey) or `browser` (injected into the bridge's own Chromium). */
  host: z.enum(['userscript', 'browser']),
  /** Set by the Chromium host so the pool can tie the agent to the page it launched. */
  pageToken: z.optional(z.string()),
  agentVersion: z.string(),
  /**
   * Origins the agent may run on (and their subdomains); anywhere else it does nothing. Required:
   * the script holds the pairing secret, so an agent that does not know where it belongs stays off.
   */
  arenaOrigins: z.array(z.string()),
});

/** Settings the served script defines around the bundle. */
export type AgentSettings = z.infer<typeof agentSettingsSchema>;
