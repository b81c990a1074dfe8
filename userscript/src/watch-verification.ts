import type { PageWindow } from './page-state-reader.js';

/** How long after a DOM change the modal is looked for again; changes in between are coalesced. */
export const VERIFICATION_CHECK_DELAY_MS = 200;

// Attributes a modal is shown or hidden with; text and other attributes change constantly while
// the site streams an answer and never open a modal.
const ATTRIBUTES = ['open', 'hidden', 'style', 'class'];

/**
 * Calls `listener` soon after the site's Security Verification modal appears or goes away, so the
 * page state reaches the bridge within a fraction of a second instead of at the next poll. The
 * DOM is watched with one MutationObserver whose callback only arms a timer; `isShowing` runs at
 * most once per `delayMs` and `listener` only when its answer changed.
 */
export function watchVerification(
  view: PageWindow,
  isShowing: () => boolean,
  listener: () => void,
  delayMs = VERIFICATION_CHECK_DELAY_MS,
): () => void {
  if (typeof view.MutationObserver !== 'function') return () => undefined;
  let showing = isShowing();
  let timer: number | undefined;
  const check = (): void => {
    timer = undefined;
    const now = isShowing();
    if (now === showing) return;
    showing = now;
    listener();
  };
  const observer = new view.MutationObserver(() => {
    timer ??= view.setTimeout(check, delayMs);
  });
  observer.observe(view.document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ATTRIBUTES });
  return () => {
    observer.disconnect();
    if (timer !== undefined) view.clearTimeout(timer);
    timer = undefined;
  };
}
