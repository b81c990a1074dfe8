import { RECAPTCHA_V2_FIELD, RECAPTCHA_V2_SITE_KEY, RECAPTCHA_V3_FIELD } from '../arena/constants.js';
import type { ArenaHttpRequest } from '../arena/types.js';
import type { JobRequest } from '../shared/worker-protocol.js';

/**
 * Converts an arena request into the job an in-page agent performs: same-origin path, the built
 * headers, the JSON body (the agent adds the token field and sends it as text), and how to mint
 * the token.
 */
export function toJobRequest(request: ArenaHttpRequest): JobRequest {
  const job: JobRequest = { method: request.method, url: request.path, headers: { ...request.headers } };
  if (request.body !== undefined) job.body = { kind: 'json', value: request.body };
  if (request.recaptcha) {
    job.recaptcha = {
      action: request.recaptcha.action,
      version: request.recaptcha.version,
      field: request.recaptcha.version === 'v3' ? RECAPTCHA_V3_FIELD : RECAPTCHA_V2_FIELD,
      v2SiteKey: RECAPTCHA_V2_SITE_KEY,
    };
  }
  return job;
}
