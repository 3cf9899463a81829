import type { Timers } from '../core/timers.js';

/** What a {@link Watchdog} tells of silence: its owner (an attempt), not a closure per watch. */
export interface SilenceOwner {
  /** Nothing was touched for the timeout. True if that is expected: then the watch starts over. */
  _silent(): boolean | undefined;
}

/**
 * Watches one connection for silence: calls its owner's `_silent()` when nothing was touched for
 * `timeout` ms; if it returns true (the silence is expected, e.g. a poll paused in a hidden tab) the watch
 * starts over, otherwise it ends. Instead of re-arming a timer on every message (costly at a
 * million messages a second), it stores the time of the last touch and, when the timer fires,
 * re-arms for the time that is left. A class: one object and one bound callback per connection.
 */
export class Watchdog {
  // Plain fields, not TypeScript parameter properties: esbuild leaves the names of those
  // unshortened while shortening every read of them (mangleProps in tsup.config.ts).
  private readonly _timers: Timers;
  readonly _timeout: number;
  private readonly _owner: SilenceOwner;
  private _last: number;
  private _handle: unknown;
  private readonly _tick = (): void => this._fire();

  constructor(timers: Timers, timeout: number, owner: SilenceOwner) {
    this._timers = timers;
    this._timeout = timeout;
    this._owner = owner;
    this._last = timers.now();
    this._handle = timers.setTimeout(this._tick, timeout);
  }

  /** Something arrived: the connection is alive. Cheap: one clock read, no timer churn. */
  touch(): void {
    this._last = this._timers.now();
  }

  /** Checks now, against the wall clock: after a laptop sleep, timers may fire late or not yet. */
  check(): void {
    this._timers.clearTimeout(this._handle);
    this._fire();
  }

  /** Stops watching. */
  stop(): void {
    this._timers.clearTimeout(this._handle);
  }

  private _fire(): void {
    const left = this._last + this._timeout - this._timers.now();
    if (left > 0) this._handle = this._timers.setTimeout(this._tick, left);
    else if (this._owner._silent()) {
      this._last = this._timers.now();
      this._handle = this._timers.setTimeout(this._tick, this._timeout);
    }
  }
}

/** Starts a {@link Watchdog}. */
export const startWatchdog = (timers: Timers, timeout: number, onSilence: () => boolean | undefined): Watchdog =>
  new Watchdog(timers, timeout, { _silent: onSilence });
