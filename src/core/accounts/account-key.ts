import { createHash } from 'node:crypto';
import type { PageState } from '../../shared/worker-protocol.js';

/**
 * The arena account a worker belongs to: the identity its page is signed in as (an anonymous
 * identity is an account of its own, protocol §15.4). A page that exposes no identity yet is an
 * account of one worker, so it is never held for another page's sake.
 */
export function accountOf(worker: { readonly id: string; readonly page: PageState }): string {
  return worker.page.identity ?? `worker:${worker.id}`;
}

/**
 * How a person recognises the account: its email, else a short digest of its identity (the user id
 * is not shown in /health or logs, it is what the site knows the account by).
 */
export function accountLabelOf(worker: { readonly id: string; readonly page: PageState }): string {
  if (worker.page.email !== null && worker.page.email !== '') return worker.page.email;
  if (worker.page.identity !== null) {
    const digest = createHash('sha256').update(worker.page.identity).digest('hex').slice(0, 8);
    return worker.page.auth === 'anonymous' ? `anonymous account ${digest}` : `account ${digest}`;
  }
  return `the page of worker ${worker.id}`;
}
