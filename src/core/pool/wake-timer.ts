/** One timer that fires at the earliest time it was asked for, then forgets it. */
export interface WakeTimer {
  /** Fire at `time` (epoch ms) unless already set to fire earlier. */
  at(time: number): void;
  clear(): void;
}

/** Creates a {@link WakeTimer} calling `wake`; the timer never keeps the process alive. */
export function createWakeTimer(wake: () => void, now: () => number): WakeTimer {
  let timer: NodeJS.Timeout | undefined;
  let due = Number.POSITIVE_INFINITY;
  return {
    at(time) {
      if (time >= due) return;
      if (timer !== undefined) clearTimeout(timer);
      due = time;
      timer = setTimeout(() => {
        timer = undefined;
        due = Number.POSITIVE_INFINITY;
        wake();
      }, Math.max(0, time - now()));
      timer.unref();
    },
    clear() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      due = Number.POSITIVE_INFINITY;
    },
  };
}
