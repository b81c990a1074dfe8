/** Automated Chromium workers: the bridge's own browser running the in-page agent, and `login`. */
export { createBrowserHost } from './browser-host.js';
export { createBrowserFleet } from './browser-fleet.js';
export type { BrowserFleetOptions } from './browser-fleet.js';
export { pageTokenOf } from './page-token-of.js';
export { DEFAULT_LIFECYCLE } from './browser-host-options.js';
export type {
  BrowserHost,
  BrowserHostOptions,
  BrowserHostSnapshot,
  BrowserLoginState,
  BrowserPageSnapshot,
  BrowserPageState,
  BrowserProfileSnapshot,
  BrowserTrouble,
  LifecycleOptions,
} from './browser-host-options.js';
export { profileDirFor } from './browser-profile.js';
export { chooseLoginProfile } from './choose-login-profile.js';
export type { LoginProfileChoice, LoginProfileInput } from './choose-login-profile.js';
export { describeLogin, LOGIN_HINT } from './describe-login.js';
export { planBrowserWorkers } from './plan-browser-workers.js';
export type { BrowserPlanInput, BrowserWorkerPlan } from './plan-browser-workers.js';
export { runLogin } from './run-login.js';
export type { LoginResult, RunLoginOptions } from './run-login.js';
