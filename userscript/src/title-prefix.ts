/** Title status prefixes, as the original userscript showed them. */
export const TITLE_PREFIXES = Object.freeze({
  connected: '✅ ',
  busy: '⏳ ',
  disconnected: '❌ ',
  capture: '🎯 ',
  /** The site shows its Security Verification check: a person has to pass it in this tab. */
  verification: '⚠️ ',
});

const ALL_PREFIXES: readonly string[] = Object.values(TITLE_PREFIXES);

/** The site's own title: every status prefix of ours removed from the front. */
export function stripTitlePrefix(title: string): string {
  let rest = title;
  for (let found = true; found; ) {
    found = false;
    for (const prefix of ALL_PREFIXES) {
      if (rest.startsWith(prefix)) {
        rest = rest.slice(prefix.length);
        found = true;
      }
    }
  }
  return rest;
}

/** `title` with exactly one status prefix (or none when `prefix` is empty). */
export function withTitlePrefix(title: string, prefix: string): string {
  return prefix + stripTitlePrefix(title);
}

/**
 * What the agent shows, by priority: disconnected, Security Verification showing, capture armed,
 * jobs running, connected.
 */
export function chooseTitlePrefix(status: { connected: boolean; captureArmed: boolean; activeJobs: number; verification?: boolean }): string {
  if (!status.connected) return TITLE_PREFIXES.disconnected;
  if (status.verification === true) return TITLE_PREFIXES.verification;
  if (status.captureArmed) return TITLE_PREFIXES.capture;
  if (status.activeJobs > 0) return TITLE_PREFIXES.busy;
  return TITLE_PREFIXES.connected;
}
