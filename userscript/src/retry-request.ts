const RETRY_PATH = /\/(?:nextjs-)?api\/stream\/retry-evaluation-session-message\/([^/?#]+)\/messages\/([^/?#]+)/;

/**
 * The session and message ids of the site's own Retry request
 * (`…/retry-evaluation-session-message/<sid>/messages/<mid>`, with either path prefix), or undefined.
 */
export function matchRetryRequest(url: string): { sessionId: string; messageId: string } | undefined {
  const match = RETRY_PATH.exec(url);
  const sessionId = match?.[1];
  const messageId = match?.[2];
  if (!sessionId || !messageId) return undefined;
  try {
    return { sessionId: decodeURIComponent(sessionId), messageId: decodeURIComponent(messageId) };
  } catch {
    return undefined;
  }
}
