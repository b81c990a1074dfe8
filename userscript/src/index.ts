/**
 * The in-page agent as a library, for tests elsewhere that run a worker with the agent's own job
 * code in Node (real WebSocket client, real fetch, fake page).
 */
export { createAgent } from './agent.js';
export type { Agent } from './agent.js';
export { DEFAULT_AGENT_TIMINGS } from './agent-environment.js';
export type { AgentSettings } from '../../src/shared/agent-settings.js';
export type {
  AgentEnvironment,
  AgentLogger,
  AgentTimers,
  AgentTimings,
  RecaptchaApi,
  RecaptchaClient,
  RecaptchaContainer,
  RecaptchaRenderParameters,
  TimerHandle,
} from './agent-environment.js';
export { TITLE_PREFIXES } from './title-prefix.js';
