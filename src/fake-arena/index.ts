/**
 * The fake LMArena: a real HTTP server that behaves like arena.ai as §13 of
 * ../shared/arena-protocol.md describes, failures included. See README.md.
 */
export { startFakeArena } from './start-fake-arena.js';
export type { FakeArena, FakeArenaSnapshot } from './fake-arena-types.js';
export type { FakeArenaOptions, FakeArenaPacing, FakeArenaRateLimit, ResolvedFakeArenaOptions } from './options.js';
export { parseAccountFlagSpec, DEFAULT_ACCOUNT_FLAG_HOLD_SECONDS } from './account-flag-options.js';
export type { FakeArenaAccountFlag } from './account-flag-options.js';
export type { AccountFlagInfo } from './account-flags.js';
export { DEFAULT_MODELS } from './models.js';
export { SELF_SIGNED_NAMES, SELF_SIGNED_VALIDITY_DAYS, spkiSha256 } from './tls-certificate.js';
export type { TlsCredentials } from './tls-certificate.js';
export type { FakeModel, FakeModelInput, FakeModelBehavior } from './models.js';
export { INJECTION_NAMES } from './injections.js';
export type { Injection, InjectionName } from './injections.js';
export type { FakeRequestLogEntry } from './state.js';
export type { FakeSession, FakeMessage, FakeAttachment } from './session-store.js';
export type { MintTokenRequest, TokenVersion } from './token-registry.js';
export type { CreateIdentityOptions, CreatedIdentity, CreateSessionOptions, CreatedSession } from './fake-arena-api.js';
