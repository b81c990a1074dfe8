import { describe, expect, it } from 'vitest';
import { readDialogSignals, VERIFICATION_QUERY, type DialogQuery } from './read-dialog-signals.js';

function element(id: string, textContent: string, shown: boolean): object {
  return { id, textContent, checkVisibility: () => shown, getClientRects: () => (shown ? [{}] : []) };
}

function root(elements: object[], seen: string[] = []): ParentNode {
  return { querySelectorAll: (selector: string) => (seen.push(selector), elements) } as unknown as ParentNode;
}

describe('readDialogSignals', () => {
  it('queries the agent\'s selector and reads id, visibility and cut text of each match', () => {
    const seen: string[] = [];
    const signals = readDialogSignals({ selector: '[role="dialog"]', maxTextChars: 5 }, root([element('a', 'Security', true), element('b', 'hidden text', false)], seen));
    expect(seen).toEqual(['[role="dialog"]']);
    expect(signals).toEqual([{ id: 'a', visible: true, text: 'Secur' }, { id: 'b', visible: false, text: '' }]);
    expect(VERIFICATION_QUERY.selector).toContain('#security-verification');
  });

  it('is self-contained, so a page can run it from its source text (as Playwright\'s evaluate does)', () => {
    // Rebuilt from its source text, it runs without this module's scope, as in a page.
    const rebuilt = new Function(`return (${readDialogSignals.toString()});`)() as (query: DialogQuery, at: ParentNode) => unknown;
    expect(rebuilt(VERIFICATION_QUERY, root([element('security-verification', 'Security Verification', true)]))).toEqual([
      { id: 'security-verification', visible: true, text: 'Security Verification' },
    ]);
  });
});
