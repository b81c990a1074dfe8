import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics, type AccountState, type BridgeMetrics, type MetricsState } from './metrics.js';

let metrics: BridgeMetrics | undefined;
afterEach(() => {
  metrics?.close();
  metrics = undefined;
});

const idle: MetricsState = { workers: () => [], activeJobs: () => 0, capacity: () => 0, queued: () => 0, liveModels: () => 0 };

/** The sample lines of `name` (without HELP/TYPE), as exposed. */
async function samples(name: string): Promise<string[]> {
  const { body } = await (metrics as BridgeMetrics).render();
  return body.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

describe('account metrics', () => {
  it('counts accounts by state on every scrape, each state always present', async () => {
    let accounts: Array<{ state: AccountState }> = [{ state: 'serving' }, { state: 'held' }, { state: 'serving' }, { state: 'probing' }, { state: 'held' }];
    metrics = createMetrics({ ...idle, accounts: () => accounts });
    expect(await samples('bridge_account_holds')).toEqual([
      'bridge_account_holds{state="serving"} 2',
      'bridge_account_holds{state="held"} 2',
      'bridge_account_holds{state="probing"} 1',
    ]);
    accounts = [{ state: 'serving' }];
    expect(await samples('bridge_account_holds')).toEqual([
      'bridge_account_holds{state="serving"} 1',
      'bridge_account_holds{state="held"} 0',
      'bridge_account_holds{state="probing"} 0',
    ]);
  });

  it('reports no accounts when the state has no accounts reader', async () => {
    metrics = createMetrics(idle);
    expect(await samples('bridge_account_holds')).toEqual([
      'bridge_account_holds{state="serving"} 0',
      'bridge_account_holds{state="held"} 0',
      'bridge_account_holds{state="probing"} 0',
    ]);
  });

  it('counts holds started and probes rejected', async () => {
    metrics = createMetrics(idle);
    expect(await samples('bridge_account_holds_started_total')).toEqual(['bridge_account_holds_started_total 0']);
    metrics.accountHoldStarted();
    metrics.accountHoldStarted();
    metrics.accountProbeRejected();
    expect(await samples('bridge_account_holds_started_total')).toEqual(['bridge_account_holds_started_total 2']);
    expect(await samples('bridge_account_probes_rejected_total')).toEqual(['bridge_account_probes_rejected_total 1']);
    const { body } = await metrics.render();
    expect(body).toContain('# TYPE bridge_account_holds gauge');
    expect(body).toContain('# TYPE bridge_account_holds_started_total counter');
    expect(body).toContain('# TYPE bridge_account_probes_rejected_total counter');
  });
});
