/**
 * When an S3-style presigned URL stops working: `X-Amz-Date` (`20260101T000000Z`) plus
 * `X-Amz-Expires` seconds (§8.2), in epoch milliseconds. Undefined when the URL carries neither.
 *
 * @example signedUrlExpiresAt('https://r2/x?X-Amz-Date=20260101T000000Z&X-Amz-Expires=60') // 1767225660000
 */
export function signedUrlExpiresAt(url: string): number | undefined {
  let query: URLSearchParams;
  try {
    query = new URL(url).searchParams;
  } catch {
    return undefined;
  }
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(query.get('X-Amz-Date') ?? '');
  const expires = Number(query.get('X-Amz-Expires'));
  if (date === null || !Number.isFinite(expires) || expires <= 0) return undefined;
  const signedAt = Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]), Number(date[4]), Number(date[5]), Number(date[6]));
  return signedAt + expires * 1000;
}
