import { describe, expect, it } from 'vitest';
import { createHealthReport } from './health-report.js';

describe('createHealthReport', () => {
  it('reports workers, queue and model list age without secrets', () => {
    const report = createHealthReport(
      {
        snapshot: () => ({
          workers: [{
            id: 'w1', kind: 'userscript', activeJobs: 1, maxConcurrency: 4, connectedAt: 0, lastHeartbeatAt: 5_000, agentVersion: '1.0.0',
            held: 'challenge', coolDownUntil: null,
            page: { url: 'https://arena.ai/', origin: 'https://arena.ai', title: 'Arena', challenge: true, recaptchaReady: false, siteKey: 'k', auth: 'signed-in', email: 'a@b.c', identity: 'secret-user-id', httpProtocol: 'h2' },
          }],
          queued: 2,
          capacity: 4,
        }),
      },
      { status: () => ({ liveModels: 10, fileEntries: 2, updatedAt: 40_000, lastError: null }) },
      () => 100_000,
    );
    expect(report.workers.count).toBe(1);
    expect(report.workers.items[0]).toMatchObject({ id: 'w1', kind: 'userscript', url: 'https://arena.ai/', auth: 'signed-in', email: 'a@b.c', challenge: true, httpProtocol: 'h2', activeJobs: 1, maxConcurrency: 4, held: 'challenge', lastHeartbeatAt: '1970-01-01T00:00:05.000Z' });
    expect(report.queue).toEqual({ queued: 2, capacity: 4 });
    expect(report.models).toEqual({ live: 10, fromFile: 2, updatedAt: '1970-01-01T00:00:40.000Z', ageSeconds: 60, lastError: null });
    expect(JSON.stringify(report)).not.toContain('secret-user-id');
  });
});
