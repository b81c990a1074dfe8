import { describe, expect, it } from 'vitest';
import type { PageWindow } from './page-state-reader.js';
import { watchVerification } from './watch-verification.js';

/** A window whose MutationObserver the test fires by hand and whose timers run when `runTimers()` says. */
function fakeView(): { view: PageWindow; mutate(): void; runTimers(): void; observed: unknown[]; pendingTimers(): number; disconnected(): boolean } {
  let callback: (() => void) | undefined;
  let disconnected = false;
  const observed: unknown[] = [];
  const timers = new Map<number, () => void>();
  let nextTimer = 1;
  class FakeObserver {
    constructor(onMutation: () => void) {
      callback = onMutation;
    }
    observe(_target: unknown, options: unknown): void {
      observed.push(options);
    }
    disconnect(): void {
      disconnected = true;
    }
  }
  const view = {
    MutationObserver: FakeObserver,
    document: { documentElement: {} },
    setTimeout: (run: () => void) => {
      timers.set(nextTimer, run);
      return nextTimer++;
    },
    clearTimeout: (handle: number) => timers.delete(handle),
  };
  return {
    view: view as unknown as PageWindow,
    mutate: () => callback?.(),
    runTimers: () => {
      const due = [...timers.values()];
      timers.clear();
      for (const run of due) run();
    },
    observed,
    pendingTimers: () => timers.size,
    disconnected: () => disconnected,
  };
}

describe('watchVerification', () => {
  it('calls the listener once per change of the modal, coalescing bursts of DOM changes', () => {
    const page = fakeView();
    let showing = false;
    let calls = 0;
    let reads = 0;
    const stop = watchVerification(page.view, () => (reads++, showing), () => calls++);
    expect(page.observed).toEqual([expect.objectContaining({ childList: true, subtree: true })]);

    page.mutate();
    page.mutate();
    page.mutate();
    expect(page.pendingTimers()).toBe(1);
    page.runTimers();
    expect(calls).toBe(0);

    showing = true;
    page.mutate();
    page.mutate();
    page.runTimers();
    expect(calls).toBe(1);
    page.mutate();
    page.runTimers();
    expect(calls).toBe(1);

    showing = false;
    page.mutate();
    page.runTimers();
    expect(calls).toBe(2);
    // One read at the start and one per timer, never one per mutation.
    expect(reads).toBe(5);

    page.mutate();
    stop();
    expect(page.disconnected()).toBe(true);
    expect(page.pendingTimers()).toBe(0);
  });

  it('does nothing where MutationObserver is missing', () => {
    const view = { document: { documentElement: {} } } as unknown as PageWindow;
    let calls = 0;
    const stop = watchVerification(view, () => true, () => calls++);
    stop();
    expect(calls).toBe(0);
  });
});
