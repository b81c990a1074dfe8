import type { ArenaError } from './types.js';

const MODERATION_WORDS: readonly string[] = ['moderation', 'violates', 'content policy', 'terms of use', 'safety system', 'flagged'];
const UNAVAILABLE_WORDS: readonly string[] = ['not found', 'not available', 'unavailable', 'does not exist', 'no longer', 'unknown model'];
const TRANSIENT_WORDS: readonly string[] = [
  'overloaded',
  'exhausted',
  'capacity',
  'try again',
  'rate limit',
  'too many requests',
  'temporarily',
  'timed out',
  'timeout',
];

/**
 * Classifies the text of an in-band `a3:`/`b3:` error record (§2.6): moderation refusals,
 * unavailable models, and provider errors, the latter marked `transient` when the text says the
 * provider is overloaded or out of quota (worth another attempt before any output).
 */
export function classifyProviderMessage(message: string): ArenaError {
  const lower = message.toLowerCase();
  if (MODERATION_WORDS.some((word) => lower.includes(word)) || (lower.includes('blocked') && lower.includes('content'))) {
    return { kind: 'moderation', message };
  }
  const transient = TRANSIENT_WORDS.some((word) => lower.includes(word));
  if (!transient && UNAVAILABLE_WORDS.some((word) => lower.includes(word))) {
    return { kind: 'model-unavailable', message };
  }
  return { kind: 'provider-error', message, transient };
}
