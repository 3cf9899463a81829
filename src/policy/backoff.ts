import type { Jitter, ReconnectPolicy } from '../core/types.js';

/**
 * A reconnect schedule: one delay per failed attempt. Create one with {@link createBackoff}.
 *
 * @example
 * const backoff = createBackoff();
 * // after a failed attempt:
 * await delay(timers, backoff.next(), signal);
 * // once a connection has proved stable:
 * backoff.reset();
 */
export interface Backoff {
  /** The delay in ms to wait before the next attempt; each call moves the schedule one step on. */
  next(): number;
  /** Starts the schedule over, as if no attempt had failed yet. */
  reset(): void;
}

/** {@link ReconnectPolicy} with every field the schedule and the reconnect loop read filled in. */
export interface ReconnectDefaults {
  /** Base delay of the first retry, in ms. */
  readonly initialDelay: number;
  /** Cap of the exponential schedule, in ms. */
  readonly maxDelay: number;
  /** Growth of the base delay per failed attempt. */
  readonly factor: number;
  /** How the delay is randomised. */
  readonly jitter: Jitter;
  /** Failed attempts in a row before the subscription gives up. */
  readonly maxAttempts: number;
}

/**
 * The share of the cap below which {@link spreadJitter} never waits once it has settled: delays at
 * the cap are drawn from [0.75 × cap, cap]. A narrower range spaces clients more evenly after an
 * outage (docs/reconnect-storm.md); a quarter of the cap still re-randomises every attempt.
 */
const SETTLED_LOW = 0.75;

/**
 * The mean of the settled draw, in units of the cap: (1 + SETTLED_LOW) / 2, written out because
 * esbuild keeps module-level arithmetic in every bundle, used or not.
 */
const SETTLED_MEAN = 0.875;

/**
 * anywire's default jitter. When a crowd of clients loses the server at the same instant, it
 * keeps their attempts spread evenly in time, whenever the server returns.
 *
 * - Attempt 0: full jitter, uniform in [0, delay]. A lone client retries within `initialDelay`,
 *   and a crowd is spread over all of it.
 * - Attempt 1: the bridge, drawn from the *equilibrium distribution* of the settled draw below
 *   (density proportional to the chance that a settled delay is longer than x). By renewal
 *   theory, a schedule that starts with that draw is stationary from its first step: the crowd's
 *   attempts arrive at a constant rate, and a server returning at any moment sees them trickle
 *   in evenly over one cap rather than in waves. Plain equal jitter takes several attempts to
 *   smooth out, and a server returning before then sees a peak.
 * - Attempt 2 and later (settled): uniform in [0.75 × delay, delay]. Never the same for two
 *   clients, never far below the cap.
 *
 * It assumes the base reaches the cap at attempt 1 (`factor >= maxDelay / initialDelay`), as in
 * {@link DEFAULT_RECONNECT}. With a slower ramp it still spreads clients, just less evenly.
 *
 * @param delay - The capped exponential base of this attempt, in ms.
 * @param random - A number in [0, 1).
 * @param _previous - The previous delay; not used.
 * @param attempt - 0 for the first retry after a loss or a reset.
 * @returns The delay in ms, in [0, delay].
 *
 * @example
 * createBackoff({ initialDelay: 500, maxDelay: 5000, factor: 10, jitter: spreadJitter });
 */
export function spreadJitter(delay: number, random: number, _previous: number, attempt: number): number {
  if (attempt === 0) return random * delay;
  // The constants are SETTLED_LOW and SETTLED_MEAN worked out (0.25 = 1 - SETTLED_LOW, 0.4375 =
  // 2 × 0.25 × SETTLED_MEAN): esbuild folds none of that arithmetic, and every app ships this.
  if (attempt > 1) return delay * (SETTLED_LOW + 0.25 * random);
  // Inverse CDF of the equilibrium distribution of uniform [a, 1] (in units of `delay`, a =
  // SETTLED_LOW, mean m): flat density 1/m up to a, then falling linearly to 0 at 1.
  if (random <= SETTLED_LOW / SETTLED_MEAN) return delay * random * SETTLED_MEAN;
  return delay * (1 - Math.sqrt(0.4375 * (1 - random)));
}

/**
 * The default reconnect policy, chosen by the reconnect-storm simulation (`bench/storm.ts`;
 * the numbers and the reasoning are in docs/reconnect-storm.md):
 * - a lone client retries within 1 s (`initialDelay`, full jitter);
 * - after that, every 6–8 s (`maxDelay`, reached at once with `factor` 8);
 * - with {@link spreadJitter}, 10,000 clients that lose the server together come back at most
 *   ~2% of them in any 100 ms, 99% within ~7.5 s of its return, whether it was down 2 s or 60 s.
 *
 * @defaultValue `{ initialDelay: 1000, maxDelay: 8000, factor: 8, jitter: spreadJitter, maxAttempts: Infinity }`
 */
export const DEFAULT_RECONNECT: ReconnectDefaults = /* @__PURE__ */ Object.freeze({
  initialDelay: 1000,
  maxDelay: 8000,
  factor: 8,
  jitter: spreadJitter,
  maxAttempts: Infinity,
});

/**
 * The longest delay a timer can hold. `setTimeout` stores its delay in a signed 32-bit integer,
 * and browsers and Node fire a longer one almost at once: clamping keeps a huge cap (or a custom
 * jitter returning `Infinity`) from turning into a retry loop with no wait at all.
 */
export const MAX_TIMER_DELAY = 2_147_483_647;

/**
 * The reconnect delays of one connection: a capped exponential schedule with jitter.
 *
 * The cap is applied to the exponential base *before* jitter, so clients that have all reached
 * the cap still draw their delays from a range and stay spread. (socket.io-client jitters first
 * and clamps after, so from about its fifth attempt nearly every delay is exactly its 5 s cap
 * and a crowd of clients retries in lock-step.)
 *
 * Attempt `n` (0 after creation or {@link Backoff.reset}) has the base
 * `min(maxDelay, initialDelay * factor ** n)`, and the jitter strategy turns it into the delay:
 * - `'full'`: uniform in [0, base].
 * - `'equal'`: base/2 + uniform in [0, base/2].
 * - `'decorrelated'`: uniform in [initialDelay, min(maxDelay, 3 × previous delay)], starting from
 *   `previous = initialDelay` (AWS's "decorrelated jitter"; `factor` is not used, and the first
 *   delay can reach 3 × `initialDelay`). AWS takes the min with the cap *after* the draw, which
 *   makes two draws in three exactly the cap; bounding the range first keeps them spread.
 * - `'none'`: the base itself.
 * - a function `(base, random, previous, attempt)`, such as {@link spreadJitter}: your delay.
 *   `random` is in [0, 1), `previous` is the delay this schedule returned last (0 at first).
 *   A `NaN` result falls back to the base, so a bug there cannot cause a retry loop without waits.
 *
 * Every result is clamped to [0, {@link MAX_TIMER_DELAY}] and left unrounded. `maxAttempts` and
 * `shouldRetry` are for the caller's loop; `next()` never refuses. A server's Retry-After is
 * combined by the caller too: see `withServerHint` in retry-after.ts.
 *
 * @param policy - Fields left out take their value from {@link DEFAULT_RECONNECT}.
 * @param random - Numbers in [0, 1), one per call of `next()` (none for `'none'`); pass a seeded
 *   generator to make the schedule reproducible.
 * @defaultValue `random`: `Math.random`, looked up on each call so a spy installed later works
 * @throws RangeError when `initialDelay`, `maxDelay` or `factor` cannot make a schedule.
 *
 * @example
 * createBackoff({ initialDelay: 500, maxDelay: 30_000, factor: 2, jitter: 'full' });
 */
export function createBackoff(policy: ReconnectPolicy = {}, random: () => number = () => Math.random()): Backoff {
  // The policy with defaults filled in, checked so `next()` can never produce `NaN`.
  const initialDelay = policy.initialDelay ?? DEFAULT_RECONNECT.initialDelay;
  // A larger initialDelay alone should not trip the check below against the default cap.
  const maxDelay = policy.maxDelay ?? Math.max(DEFAULT_RECONNECT.maxDelay, initialDelay);
  const factor = policy.factor ?? DEFAULT_RECONNECT.factor;
  const jitter = policy.jitter ?? DEFAULT_RECONNECT.jitter;
  const bad = !(initialDelay >= 0 && Number.isFinite(initialDelay))
    ? `initialDelay must be ms >= 0, got ${initialDelay}`
    : !(maxDelay >= initialDelay)
      ? `maxDelay (${maxDelay}) must be >= initialDelay (${initialDelay})`
      : !(factor >= 1 && Number.isFinite(factor))
        ? `factor must be >= 1 (1: a constant delay), got ${factor}`
        : '';
  if (bad) throw new RangeError(`[anywire] reconnect.${bad}`);
  let attempt = 0;
  let base = initialDelay;
  let previous = 0;
  return {
    next() {
      // One delay from the capped base, by strategy.
      let delay: number;
      if (jitter === 'none') delay = base;
      else if (jitter === 'full') delay = random() * base;
      else if (jitter === 'equal') delay = base / 2 + (random() * base) / 2;
      else if (jitter === 'decorrelated') {
        const high = Math.min(maxDelay, 3 * Math.max(previous, initialDelay));
        delay = initialDelay + random() * (high - initialDelay);
      } else delay = jitter(base, random(), previous, attempt);
      // Keep it usable by `setTimeout`; `NaN` (only a custom jitter can produce it) becomes the base.
      previous = Math.min(Number.isNaN(delay) ? base : Math.max(delay, 0), MAX_TIMER_DELAY);
      attempt++;
      // Grow iteratively rather than with factor ** n: the base stops at the cap instead of
      // overflowing to Infinity after a few thousand attempts.
      base = Math.min(maxDelay, base * factor);
      return previous;
    },
    reset() {
      attempt = 0;
      base = initialDelay;
      previous = 0;
    },
  };
}
