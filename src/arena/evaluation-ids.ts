import type { RecaptchaJob, TokenPoolSettings } from '../shared/worker-protocol.js';
import { ArenaInputError } from './arena-input-error.js';
import { RECAPTCHA_V2_FIELD, RECAPTCHA_V2_SITE_KEY, RECAPTCHA_V3_FIELD, RECAPTCHA_V3_TOKEN_MAX_AGE_MS } from './constants.js';
import type { EvaluationIds } from './request-types.js';
import type { ArenaMode, RecaptchaRequirement } from './types.js';
import { isUuid, uuidv7 } from './uuidv7.js';

/** Headers of every stream request: what `fetch(url, { body: string })` sends from the page (§2.4). */
export const STREAM_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Type': 'text/plain;charset=UTF-8',
  Accept: '*/*',
});

/** The token create/post requests need when the caller does not say otherwise (§6.1). */
export const DEFAULT_SUBMIT_RECAPTCHA: RecaptchaRequirement = Object.freeze({ action: 'chat_submit', version: 'v3' });

/**
 * The job's `recaptcha` for a token requirement: the action and version, the body field the agent
 * puts the token in (§6.1, §6.4), and the v2 site key (the v3 key is read from the page).
 */
export function recaptchaJob(requirement: RecaptchaRequirement): RecaptchaJob {
  return {
    action: requirement.action,
    version: requirement.version,
    field: requirement.version === 'v3' ? RECAPTCHA_V3_FIELD : RECAPTCHA_V2_FIELD,
    v2SiteKey: RECAPTCHA_V2_SITE_KEY,
  };
}

const MODES: ReadonlySet<string> = new Set<ArenaMode>(['direct', 'direct-battle', 'battle', 'side-by-side']);

/**
 * How pages keep v3 tokens minted ahead (the worker protocol's `hello-ack`): `size` per action,
 * dropped before they expire, the site's submit action minted for as soon as a page is ready.
 */
export function tokenPoolSettings(size: number): TokenPoolSettings {
  return { size, maxAgeMs: RECAPTCHA_V3_TOKEN_MAX_AGE_MS, actions: [DEFAULT_SUBMIT_RECAPTCHA.action] };
}

/** True for modes whose assistant replies come from two sides. */
export function isTwoSided(mode: ArenaMode): boolean {
  return mode === 'battle' || mode === 'side-by-side';
}

/**
 * Checks the mode/model-field combinations of §5.4: direct modes name model A only, side-by-side
 * names both, battle names none (the arena picks).
 */
export function assertModeModels(mode: ArenaMode, modelAId: string | undefined, modelBId: string | undefined): void {
  if (!MODES.has(mode)) {
    throw new ArenaInputError('mode', `Unknown arena mode "${String(mode)}"; use direct, direct-battle, battle or side-by-side.`);
  }
  const needsA = mode !== 'battle';
  const needsB = mode === 'side-by-side';
  if (needsA && !modelAId) throw new ArenaInputError('modelAId', `Mode "${mode}" needs modelAId (the chosen model's id).`);
  if (!needsA && modelAId !== undefined) throw new ArenaInputError('modelAId', 'Mode "battle" picks its models itself; do not pass modelAId.');
  if (needsB && !modelBId) throw new ArenaInputError('modelBId', 'Mode "side-by-side" needs modelBId (the second model\'s id).');
  if (!needsB && modelBId !== undefined) throw new ArenaInputError('modelBId', `Mode "${mode}" takes no modelBId; use side-by-side for two chosen models.`);
}

/** Throws unless `value` is a UUID; `field` names it in the error. */
export function assertUuid(field: string, value: string): void {
  if (!isUuid(value)) throw new ArenaInputError(field, `${field} must be a UUID, got "${value}".`);
}

/**
 * Fresh UUIDv7s for every id the caller did not supply; `modelBMessageId` only when wanted.
 * Supplied ids must be UUIDs and all ids distinct (the server answers 400 on re-used ids, §2.5).
 */
export function resolveEvaluationIds(
  given: Partial<EvaluationIds> | undefined,
  withModelB: boolean,
  now: () => number,
): EvaluationIds {
  const fresh = (): string => uuidv7({ now: now() });
  const ids: EvaluationIds = {
    sessionId: given?.sessionId ?? fresh(),
    userMessageId: given?.userMessageId ?? fresh(),
    modelAMessageId: given?.modelAMessageId ?? fresh(),
  };
  if (withModelB) ids.modelBMessageId = given?.modelBMessageId ?? fresh();
  const seen = new Set<string>();
  for (const [field, value] of Object.entries(ids)) {
    assertUuid(field, value);
    if (seen.has(value)) throw new ArenaInputError(field, `${field} repeats another id of the same request; every id must be distinct.`);
    seen.add(value);
  }
  return ids;
}
