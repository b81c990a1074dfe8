import { describe, expect, it } from 'vitest';
import { createCreditGate } from './credit-gate.js';

describe('createCreditGate', () => {
  it('waits at zero credit until a grant, and rejects aborted waits', async () => {
    const gate = createCreditGate(1);
    const signal = new AbortController().signal;
    await gate.available(signal);
    gate.spend();
    let woke = false;
    const waiting = gate.available(signal).then(() => void (woke = true));
    await Promise.resolve();
    expect(woke).toBe(false);
    gate.grant(2);
    await waiting;
    expect(gate.credits).toBe(2);

    const controller = new AbortController();
    gate.spend();
    gate.spend();
    const aborted = gate.available(controller.signal);
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ reason: 'aborted' });
  });
});
