/**
 * True when `origin` is one of the allowed arena origins or a subdomain of one (the site also
 * serves beta., canary. and www. hosts), with the same scheme and port.
 */
export function isArenaOrigin(origin: string, allowed: readonly string[]): boolean {
  let page: URL;
  try {
    page = new URL(origin);
  } catch {
    return false;
  }
  return allowed.some((candidate) => {
    let arena: URL;
    try {
      arena = new URL(candidate);
    } catch {
      return false;
    }
    if (page.protocol !== arena.protocol || page.port !== arena.port) return false;
    return page.hostname === arena.hostname || page.hostname.endsWith(`.${arena.hostname}`);
  });
}
