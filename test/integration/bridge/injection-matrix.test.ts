/**
 * Every failure the fake LMArena can inject on a stream endpoint (arena-protocol.md §13.3), through
 * the whole bridge with the official openai client: each one either ends in the documented
 * OpenAI-shaped error or is recovered from, both when it persists and when it happens once.
 */
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { INJECTION_TARGETS, type InjectionName } from '../../../src/fake-arena/injections.js';
import { connectNodeAgent } from '../../support/node-agent.js';
import { startTestBridge, type TestBridge } from '../../support/test-bridge.js';

/** What the client sees: an answer (with its finish reason), or an error status and code. */
type Outcome = { answer: 'stop' | 'content_filter' } | { status: number; code: string; says?: string };

const ok: Outcome = { answer: 'stop' };
const fail = (status: number, code: string, says?: string): Outcome => (says === undefined ? { status, code } : { status, code, says });

/** [persistent, once]. The Node agent cannot reload a page, so a challenge holds its only worker. */
const EXPECTED: Record<string, [Outcome, Outcome]> = {
  'rate-limit': [fail(429, 'rate_limited'), fail(429, 'rate_limited')],
  // A refusal that a fresh token does not fix is the account's (§15.4): held, nothing more is sent.
  'recaptcha-reject': [fail(503, 'account_verification_required', 'Security Verification'), ok],
  'account-flag': [fail(503, 'account_verification_required', 'Security Verification'), fail(503, 'account_verification_required', 'Security Verification')],
  'recaptcha-require-v2': [ok, ok],
  challenge: [fail(503, 'no_worker_available', 'Cloudflare challenge'), fail(503, 'no_worker_available', 'Cloudflare challenge')],
  'wrong-owner': [fail(401, 'session_access_denied'), fail(401, 'session_access_denied')],
  'login-gate': [fail(401, 'login_required', 'lmarena-bridge login'), fail(401, 'login_required', 'lmarena-bridge login')],
  'expired-auth': [fail(401, 'login_required', 'Reload the arena tab'), fail(401, 'login_required', 'Reload the arena tab')],
  'no-auth': [fail(401, 'login_required'), fail(401, 'login_required')],
  moderation: [fail(422, 'content_filter'), fail(422, 'content_filter')],
  'too-large': [fail(413, 'attachment_too_large'), fail(413, 'attachment_too_large')],
  'duplicate-ids': [fail(502, 'upstream_error'), ok],
  'domain-move': [fail(502, 'upstream_error', 'Set arena_url'), fail(502, 'upstream_error', 'Set arena_url')],
  'legacy-prefix': [fail(502, 'upstream_error', 'request path'), fail(502, 'upstream_error', 'request path')],
  'model-unavailable': [fail(502, 'model_unavailable'), fail(502, 'model_unavailable')],
  'model-overloaded': [fail(502, 'upstream_error', 'overloaded'), ok],
  'provider-error': [fail(502, 'upstream_error', 'Resource exhausted'), ok],
  'content-filter': [{ answer: 'content_filter' }, { answer: 'content_filter' }],
  truncated: [fail(502, 'upstream_stream_error'), fail(502, 'upstream_stream_error')],
  'truncated-mid-record': [fail(502, 'upstream_stream_error'), fail(502, 'upstream_stream_error')],
  'truncated-mid-utf8': [fail(502, 'upstream_stream_error'), fail(502, 'upstream_stream_error')],
  'empty-stream': [fail(502, 'upstream_stream_error'), ok],
  slow: [ok, ok],
  drop: [fail(502, 'upstream_stream_error'), fail(502, 'upstream_stream_error')],
  'side-a-unknown': [ok, ok],
  'server-error-500': [fail(502, 'upstream_error', 'HTTP 500'), ok],
  'server-error-502': [fail(502, 'upstream_error', 'HTTP 502'), ok],
  'server-error-504': [fail(502, 'upstream_error', 'HTTP 504'), ok],
};

const STREAM_INJECTIONS = (Object.keys(INJECTION_TARGETS) as InjectionName[]).filter((name) =>
  (INJECTION_TARGETS[name] as readonly string[]).includes('stream'),
);

let harness: TestBridge | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function outcomeOf(prompt: string): Promise<Outcome> {
  harness = await startTestBridge({ fake: { slowGapMs: 200 }, bridge: { workers: { queueTimeoutSeconds: 1 } } });
  await connectNodeAgent(harness);
  try {
    const answer = await harness.client().chat.completions.create({ model: 'fake-echo', messages: [{ role: 'user', content: prompt }] });
    const choice = answer.choices[0];
    expect(choice?.message.content).toContain('hi');
    return { answer: choice?.finish_reason === 'content_filter' ? 'content_filter' : 'stop' };
  } catch (error) {
    if (!(error instanceof OpenAI.APIError)) throw error;
    return { status: error.status ?? 0, code: String(error.code), says: error.message };
  }
}

describe('every stream injection of the fake, through the bridge', () => {
  it('has an expectation for each injection the fake offers on stream endpoints', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...STREAM_INJECTIONS].sort());
  });

  for (const name of STREAM_INJECTIONS) {
    const [persistent, once] = EXPECTED[name] ?? [ok, ok];
    for (const [suffix, expected] of [['', persistent], ['-once', once]] as const) {
      const label = 'answer' in expected ? `answers (${expected.answer})` : `fails with ${expected.status} ${expected.code}`;
      it(`${name}${suffix}: ${label}`, async () => {
        const outcome = await outcomeOf(`[[fake:${name}${suffix}]] hi`);
        if ('answer' in expected) expect(outcome).toEqual(expected);
        else expect(outcome).toMatchObject({ status: expected.status, code: expected.code, says: expect.stringContaining(expected.says ?? '') });
      });
    }
  }
});
