/** The longest wait a `Retry-After` may ask for, in seconds (CloudWaddie's cap, §10.1). */
export const MAX_RETRY_AFTER_SECONDS = 3600;

/**
 * Seconds to wait from a `Retry-After` header value: delta-seconds or an HTTP-date, capped at
 * {@link MAX_RETRY_AFTER_SECONDS}. Undefined when the value is absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  let seconds: number;
  if (/^\d+(\.\d+)?$/.test(text)) {
    seconds = Math.ceil(Number(text));
  } else {
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    seconds = Math.max(0, Math.ceil((at - now) / 1000));
  }
  return Math.min(seconds, MAX_RETRY_AFTER_SECONDS);
}
