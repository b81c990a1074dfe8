import { accountOf } from '../accounts/account-key.js';
import { capOf, type PoolEntry } from './pool-entry.js';

/** An eligible worker with what the choice weighs. */
interface Candidate {
  entry: PoolEntry;
  /** Capacity − leases. */
  free: number;
  /** Leases in flight on all the workers of its account. */
  accountLeases: number;
}

function isBetter(candidate: Candidate, best: Candidate): boolean {
  if (candidate.free !== best.free) return candidate.free > best.free;
  if (candidate.accountLeases !== best.accountLeases) return candidate.accountLeases < best.accountLeases;
  return candidate.entry.lastLeasedAt < best.entry.lastLeasedAt;
}

/**
 * The worker to lease next among `eligible`: the most free slots (capacity − leases), so jobs
 * spread over pages by what each can still take (an HTTP/2 page with 64 slots before HTTP/1.1 pages
 * with 6); on a tie, the one whose account has fewer leases in flight across `all` the pool's
 * workers; then the least recently leased. `null` when nothing is eligible.
 */
export function pickEntry(eligible: readonly PoolEntry[], all: Iterable<PoolEntry>): PoolEntry | null {
  if (eligible.length <= 1) return eligible[0] ?? null;
  const accountLeases = new Map<string, number>();
  for (const entry of all) {
    if (entry.leases === 0) continue;
    const account = accountOf(entry.worker);
    accountLeases.set(account, (accountLeases.get(account) ?? 0) + entry.leases);
  }
  let best: Candidate | null = null;
  for (const entry of eligible) {
    const candidate = { entry, free: capOf(entry) - entry.leases, accountLeases: accountLeases.get(accountOf(entry.worker)) ?? 0 };
    if (best === null || isBetter(candidate, best)) best = candidate;
  }
  return best?.entry ?? null;
}
