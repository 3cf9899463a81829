import type { Timers } from './timers.js';

/** Watches one connection for silence. */
export interface Watchdog {
  /** Something arrived: the connection is alive. Cheap: one clock read, no timer churn. */
  touch(): void;
  /** Stops watching. */
  stop(): void;
}

/**
 * Calls `onSilence` once when nothing was touched for `timeout` ms. Instead of re-arming a timer
 * on every message (costly at a million messages a second), it stores the time of the last touch
 * and, when the timer fires, re-arms for the time that is left.
 */
export function startWatchdog(timers: Timers, timeout: number, onSilence: () => void): Watchdog {
  let last = timers.now();
  let handle: unknown;
  const check = (): void => {
    const left = last + timeout - timers.now();
    if (left > 0) handle = timers.setTimeout(check, left);
    else onSilence();
  };
  handle = timers.setTimeout(check, timeout);
  return {
    touch: () => {
      last = timers.now();
    },
    stop: () => timers.clearTimeout(handle),
  };
}
