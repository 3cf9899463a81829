/**
 * The clock every anywire wait goes through. Pass your own to `subscribe({ timers })` to drive
 * time by hand; the defaults are arrow wrappers that look the globals up on each call, so
 * `vi.useFakeTimers()` and jest's fake timers work even when installed after import.
 */
export interface Timers {
  /** Schedules `fn` after `ms` milliseconds and returns a handle for {@link Timers.clearTimeout}. */
  setTimeout(fn: () => void, ms: number): unknown;
  /** Cancels a handle returned by {@link Timers.setTimeout}; unknown handles are ignored. */
  clearTimeout(handle: unknown): void;
  /** The current time in ms (used to detect timer gaps after sleep). */
  now(): number;
}

/** The global timers, looked up on every call. */
export const defaultTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

/**
 * Resolves after `ms`, or rejects with the signal's reason as soon as `signal` aborts.
 * The timer is cleared on abort, so nothing is left pending.
 */
export function delay(timers: Timers, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      timers.clearTimeout(handle);
      reject(signal.reason);
    };
    const handle = timers.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
