/**
 * Every stable error `code` the bridge can answer with, and its HTTP status and OpenAI `type`.
 * docs/errors.md lists the same codes; a test fails when the two drift apart.
 */
export const ERROR_CODES = {
  invalid_json: { status: 400, type: 'invalid_request_error' },
  invalid_request: { status: 400, type: 'invalid_request_error' },
  malformed_request: { status: 400, type: 'invalid_request_error' },
  prompt_too_long: { status: 400, type: 'invalid_request_error' },
  unsupported_attachment: { status: 400, type: 'invalid_request_error' },
  invalid_api_key: { status: 401, type: 'authentication_error' },
  login_required: { status: 401, type: 'authentication_error' },
  session_access_denied: { status: 401, type: 'authentication_error' },
  recaptcha_failed: { status: 403, type: 'permission_error' },
  route_not_found: { status: 404, type: 'invalid_request_error' },
  model_not_found: { status: 404, type: 'invalid_request_error' },
  request_timeout: { status: 408, type: 'invalid_request_error' },
  request_too_large: { status: 413, type: 'invalid_request_error' },
  unsupported_content_encoding: { status: 415, type: 'invalid_request_error' },
  host_not_allowed: { status: 421, type: 'invalid_request_error' },
  upgrade_required: { status: 426, type: 'invalid_request_error' },
  request_headers_too_large: { status: 431, type: 'invalid_request_error' },
  attachment_too_large: { status: 413, type: 'invalid_request_error' },
  content_filter: { status: 422, type: 'invalid_request_error' },
  rate_limited: { status: 429, type: 'rate_limit_error' },
  account_budget_exhausted: { status: 429, type: 'rate_limit_error' },
  too_many_connections: { status: 429, type: 'rate_limit_error' },
  internal_error: { status: 500, type: 'server_error' },
  upstream_error: { status: 502, type: 'upstream_error' },
  upstream_challenge: { status: 502, type: 'upstream_error' },
  model_unavailable: { status: 502, type: 'upstream_error' },
  upstream_stream_error: { status: 502, type: 'upstream_error' },
  worker_lost: { status: 502, type: 'upstream_error' },
  no_worker_available: { status: 503, type: 'service_unavailable' },
  queue_full: { status: 503, type: 'service_unavailable' },
  account_verification_required: { status: 503, type: 'service_unavailable' },
  shutting_down: { status: 503, type: 'service_unavailable' },
  upstream_timeout: { status: 504, type: 'timeout_error' },
  client_closed_request: { status: 499, type: 'client_error' },
} as const satisfies Record<string, { status: number; type: string }>;

/** A stable snake_case error code. */
export type ErrorCode = keyof typeof ERROR_CODES;
