import { VERIFICATION_SELECTOR, type DialogSignals } from './page-state.js';

/** Which elements {@link readDialogSignals} reads, and how much of their text. */
export interface DialogQuery {
  /** CSS selector of the candidate dialogs. */
  selector: string;
  /** Text kept per rendered element; dialogs are short, a page's stray match may not be. */
  maxTextChars: number;
}

/** The elements that may be the Security Verification modal, as the agent reads them. */
export const VERIFICATION_QUERY: Readonly<DialogQuery> = Object.freeze({ selector: VERIFICATION_SELECTOR, maxTextChars: 4000 });

/**
 * Reads the {@link DialogSignals} of every element matching `query.selector` under `root` (the
 * page's document by default), for `detectVerification`. Self-contained — it uses only its
 * arguments and DOM globals — so the bridge can run the very same code in a page it drives.
 *
 * @example
 * detectVerification(readDialogSignals(VERIFICATION_QUERY, document));
 * detectVerification(await page.evaluate(readDialogSignals, VERIFICATION_QUERY)); // Playwright
 */
export function readDialogSignals(query: DialogQuery, root: ParentNode = document): DialogSignals[] {
  return Array.from(root.querySelectorAll(query.selector), (element) => {
    // checkVisibility is missing before Chrome 105, Firefox 106 and Safari 17.4.
    const visible = typeof element.checkVisibility === 'function'
      ? element.checkVisibility({ visibilityProperty: true })
      : element.getClientRects().length > 0;
    return { id: element.id, visible, text: visible ? (element.textContent ?? '').slice(0, query.maxTextChars) : '' };
  });
}
