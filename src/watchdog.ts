import type { Timers } from './timers.js';

/** Watches one connection for silence. */
export interface Watchdog {
  /** Something arrived: the connection is alive. Cheap: one clock read, no timer churn. */
  touch(): void;
  /** Checks now, against the wall clock: after a laptop sleep, timers may fire late or not yet. */
  check(): void;
  /** Stops watching. */
  stop(): void;
}

/**
 * Calls `onSilence` when nothing was touched for `timeout` ms; if it returns true (the silence is
 * expected, e.g. a poll paused in a hidden tab) the watch starts over, otherwise it ends. Instead of re-arming a timer
 * on every message (costly at a million messages a second), it stores the time of the last touch
 * and, when the timer fires, re-arms for the time that is left.
 */
export function startWatchdog(timers: Timers, timeout: number, onSilence: () => boolean | undefined): Watchdog {
  let last = timers.now();
  let handle: unknown;
  const check = (): void => {
    const left = last + timeout - timers.now();
    if (left > 0) handle = timers.setTimeout(check, left);
    else if (onSilence()) {
      last = timers.now();
      handle = timers.setTimeout(check, timeout);
    }
  };
  handle = timers.setTimeout(check, timeout);
  return {
    touch: () => {
      last = timers.now();
    },
    check: () => {
      timers.clearTimeout(handle);
      check();
    },
    stop: () => timers.clearTimeout(handle),
  };
}
