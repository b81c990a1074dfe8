import type { BridgeEvents } from '../../observability/bridge-events.js';
import type { Logger } from '../../observability/logger.js';
import type { WorkerConnection } from '../../workers/types.js';
import { accountLabelOf } from '../accounts/account-key.js';

/** The page flags a person must act on, as last announced. */
export interface ShownFlags {
  challenge: boolean;
  verification: boolean;
}

/**
 * Announces a worker page's Cloudflare check and the site's "Security Verification" modal where a
 * person looks (a log line and the events feed), once per change. Returns the flags now shown.
 */
export function createPageAnnouncer(options: { logger: Logger; events: BridgeEvents | undefined; now: () => number }) {
  const { logger, events, now } = options;
  return (worker: WorkerConnection, before: ShownFlags): ShownFlags => {
    const shown = { challenge: worker.page.challenge, verification: worker.page.verification === true };
    for (const kind of ['challenge', 'verification'] as const) {
      if (shown[kind] === before[kind]) continue;
      const account = accountLabelOf(worker);
      const fields = { workerId: worker.id, account };
      if (kind === 'challenge') {
        if (shown[kind]) logger.warn('A worker page shows a Cloudflare check; pass it in that window if it does not clear by itself', fields);
        else logger.info('A worker page\'s Cloudflare check cleared', fields);
      } else if (shown[kind]) {
        logger.warn('A worker page shows LMArena\'s "Security Verification"; pass it in that window to release the account', fields);
      } else {
        logger.info('A worker page\'s "Security Verification" was passed', fields);
      }
      const type = shown[kind] ? 'challenge.shown' : 'challenge.cleared';
      events?.emit({ type, at: now(), workerId: worker.id, account, kind: kind === 'challenge' ? 'cloudflare' : 'verification' });
    }
    return shown;
  };
}
