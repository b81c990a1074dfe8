import { withTitlePrefix } from './title-prefix.js';

/**
 * Keeps one status prefix in front of `document.title`, re-applying it when the site changes its
 * title (client-side navigation) without ever stacking prefixes.
 */
export function createTitleController(document: Document): (prefix: string) => void {
  let prefix = '';
  let observer: MutationObserver | undefined;
  let observedHead = false;

  function apply(): void {
    const wanted = withTitlePrefix(document.title, prefix);
    if (document.title !== wanted) document.title = wanted;
  }

  function observe(): void {
    if (observedHead || typeof MutationObserver === 'undefined') return;
    observer?.disconnect();
    observer = new MutationObserver(() => {
      if (!observedHead && document.head) observe();
      apply();
    });
    // Before <head> exists (document-start) watch only the root's children, not the whole DOM.
    if (document.head) {
      observedHead = true;
      observer.observe(document.head, { childList: true, subtree: true, characterData: true });
    } else {
      observer.observe(document.documentElement, { childList: true });
    }
  }

  return (next) => {
    prefix = next;
    observe();
    apply();
  };
}
