import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { seededRandom, socketIoBackoff } from '../bench/storm.js';
import type { Jitter, ReconnectPolicy } from '../src/core/types.js';
import { createBackoff, DEFAULT_RECONNECT, MAX_TIMER_DELAY, spreadJitter } from '../src/policy/backoff.js';

/** The first `count` delays of a schedule. */
function take(policy: ReconnectPolicy, random: () => number, count: number): number[] {
  const backoff = createBackoff(policy, random);
  return Array.from({ length: count }, () => backoff.next());
}

/** A `random` that replays `values` in a loop. */
function replay(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
}

const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const bases = [1000, 2000, 4000, 5000, 5000, 5000];
const policy = (jitter: Jitter): ReconnectPolicy => ({ initialDelay: 1000, factor: 2, maxDelay: 5000, jitter });

afterEach(() => {
  vi.restoreAllMocks();
});

describe('createBackoff: growth and cap', () => {
  it("grows by `factor` and stops at `maxDelay` with jitter 'none'", () => {
    expect(take(policy('none'), Math.random, 6)).toEqual(bases);
  });

  it('keeps growing by a fractional factor', () => {
    expect(take({ initialDelay: 100, factor: 1.5, maxDelay: 1000, jitter: 'none' }, Math.random, 4)).toEqual([100, 150, 225, 337.5]);
  });

  it('stays finite and timer-safe after thousands of attempts with no cap', () => {
    const backoff = createBackoff({ initialDelay: 1000, factor: 2, maxDelay: Number.POSITIVE_INFINITY, jitter: 'none' });
    let delay = 0;
    for (let i = 0; i < 3000; i++) delay = backoff.next();
    expect(delay).toBe(MAX_TIMER_DELAY);
  });
});

describe('createBackoff: jitter strategies', () => {
  it("'full' draws uniformly in [0, base]", () => {
    expect(take(policy('full'), replay(0), 3)).toEqual([0, 0, 0]);
    expect(take(policy('full'), replay(0.5), 4)).toEqual([500, 1000, 2000, 2500]);
    fc.assert(
      fc.property(fc.array(unit, { minLength: 6, maxLength: 6 }), (values) => {
        take(policy('full'), replay(...values), 6).forEach((d, i) => {
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThanOrEqual(bases[i] ?? 0);
        });
      }),
    );
  });

  it("'equal' draws uniformly in [base / 2, base]", () => {
    expect(take(policy('equal'), replay(0), 4)).toEqual([500, 1000, 2000, 2500]);
    expect(take(policy('equal'), replay(0.5), 4)).toEqual([750, 1500, 3000, 3750]);
    fc.assert(
      fc.property(fc.array(unit, { minLength: 6, maxLength: 6 }), (values) => {
        take(policy('equal'), replay(...values), 6).forEach((d, i) => {
          const base = bases[i] ?? 0;
          expect(d).toBeGreaterThanOrEqual(base / 2);
          expect(d).toBeLessThanOrEqual(base);
        });
      }),
    );
  });

  it("'decorrelated' draws in [initialDelay, min(maxDelay, 3 × previous)], ignoring factor", () => {
    const decorrelated: ReconnectPolicy = { initialDelay: 1000, factor: 100, maxDelay: 20_000, jitter: 'decorrelated' };
    // random → 1: the range triples each time until it meets the cap.
    expect(take(decorrelated, replay(1), 5)).toEqual([3000, 9000, 20_000, 20_000, 20_000]);
    expect(take(decorrelated, replay(0), 3)).toEqual([1000, 1000, 1000]);
    fc.assert(
      fc.property(fc.array(unit, { minLength: 8, maxLength: 8 }), (values) => {
        let previous = 1000;
        for (const d of take(decorrelated, replay(...values), 8)) {
          expect(d).toBeGreaterThanOrEqual(1000);
          expect(d).toBeLessThanOrEqual(Math.min(20_000, 3 * previous));
          previous = d;
        }
      }),
    );
  });

  it("'none' draws no random numbers", () => {
    const random = vi.fn(() => 0.5);
    take(policy('none'), random, 3);
    expect(random).not.toHaveBeenCalled();
  });

  it('passes (base, random, previous, attempt) to a custom jitter and uses its result', () => {
    const jitter = vi.fn((base: number, random: number) => base * random + 1);
    expect(take(policy(jitter), replay(0.5, 0.25), 3)).toEqual([501, 501, 2001]);
    expect(jitter.mock.calls).toEqual([
      [1000, 0.5, 0, 0],
      [2000, 0.25, 501, 1],
      [4000, 0.5, 501, 2],
    ]);
  });

  it('replaces a NaN from a custom jitter with the base and clamps the rest to [0, MAX_TIMER_DELAY]', () => {
    expect(
      take(
        policy(() => Number.NaN),
        Math.random,
        2,
      ),
    ).toEqual([1000, 2000]);
    expect(
      take(
        policy(() => -5),
        Math.random,
        1,
      ),
    ).toEqual([0]);
    expect(
      take(
        policy(() => Number.POSITIVE_INFINITY),
        Math.random,
        1,
      ),
    ).toEqual([MAX_TIMER_DELAY]);
  });
});

describe('createBackoff: spread at the cap', () => {
  /** Delay number `attempt` of `clients` independent schedules sharing one seeded random stream. */
  function atAttempt(make: (random: () => number) => { next(): number }, attempt: number, clients = 1000): number[] {
    const random = seededRandom(7);
    return Array.from({ length: clients }, () => {
      const backoff = make(random);
      for (let i = 0; i < attempt; i++) backoff.next();
      return backoff.next();
    });
  }

  it.each([
    ['default', DEFAULT_RECONNECT, 6000, 8000],
    ['full', policy('full'), 0, 5000],
    ['equal', policy('equal'), 2500, 5000],
    ['decorrelated', { ...policy('decorrelated'), initialDelay: 300 }, 300, 5000],
  ] as const)('%s: clients at attempt 20 draw distinct delays spread over the range below the cap', (_, p, low, high) => {
    const delays = atAttempt((random) => createBackoff(p, random), 20);
    expect(new Set(delays).size).toBeGreaterThan(990);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(low);
    expect(Math.max(...delays)).toBeLessThanOrEqual(high);
    // Spread over most of the range, not bunched at one end.
    expect(Math.max(...delays) - Math.min(...delays)).toBeGreaterThan(0.9 * (high - low));
  });

  it('unlike socket.io, which jitters then clamps: its clients at attempt 20 all wait exactly the cap', () => {
    expect(new Set(atAttempt(socketIoBackoff, 20))).toEqual(new Set([5000]));
  });
});

describe('createBackoff: reset and defaults', () => {
  it('reset() starts over from attempt 0, with no previous delay', () => {
    const jitter = vi.fn((base: number) => base);
    const backoff = createBackoff(policy(jitter));
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.next()).toBe(1000);
    expect(jitter).toHaveBeenLastCalledWith(1000, expect.any(Number), 0, 0);
  });

  it('applies DEFAULT_RECONNECT when no policy is given: within 1 s, then up to 8 s, then 6–8 s', () => {
    expect(DEFAULT_RECONNECT).toEqual({
      initialDelay: 1000,
      maxDelay: 8000,
      factor: 8,
      jitter: spreadJitter,
      maxAttempts: Number.POSITIVE_INFINITY,
    });
    expect(Object.isFrozen(DEFAULT_RECONNECT)).toBe(true);
    fc.assert(
      fc.property(fc.array(unit, { minLength: 5, maxLength: 5 }), (values) => {
        const [first, second, ...settled] = take({}, replay(...values), 5);
        expect(first).toBeLessThanOrEqual(1000);
        expect(second).toBeLessThanOrEqual(8000);
        for (const d of settled) expect(d).toBeGreaterThanOrEqual(6000);
        for (const d of settled) expect(d).toBeLessThanOrEqual(8000);
      }),
    );
  });

  it('fills the fields a partial policy leaves out from the defaults', () => {
    expect(take({ jitter: 'none' }, Math.random, 3)).toEqual([1000, 8000, 8000]);
    // A larger initialDelay alone raises the cap with it rather than failing validation.
    expect(take({ initialDelay: 20_000, jitter: 'none' }, Math.random, 2)).toEqual([20_000, 20_000]);
  });

  it('uses Math.random by default, looked up on each call so a later spy works', () => {
    const backoff = createBackoff(policy('full'));
    vi.spyOn(Math, 'random').mockReturnValue(0.25);
    expect(backoff.next()).toBe(250);
  });

  it.each([
    [{ initialDelay: -1 }, /initialDelay/],
    [{ initialDelay: Number.NaN }, /initialDelay/],
    [{ initialDelay: 5000, maxDelay: 1000 }, /maxDelay/],
    [{ factor: 0.5 }, /factor/],
    [{ factor: Number.POSITIVE_INFINITY }, /factor/],
  ] as const)('rejects %o with a RangeError that names the field', (bad, message) => {
    expect(() => createBackoff(bad)).toThrow(RangeError);
    expect(() => createBackoff(bad)).toThrow(message);
  });
});

describe('spreadJitter', () => {
  it('draws attempt 0 in [0, delay] and attempts 2+ in [0.75 × delay, delay]', () => {
    fc.assert(
      fc.property(unit, fc.integer({ min: 2, max: 1000 }), (random, attempt) => {
        expect(spreadJitter(1000, random, 0, 0)).toBeCloseTo(1000 * random, 9);
        expect(spreadJitter(8000, random, 0, attempt)).toBeCloseTo(6000 + 2000 * random, 9);
      }),
    );
  });

  it('draws attempt 1 from the equilibrium distribution of the settled draw: monotone over [0, delay], mean ≈ 0.44 × delay', () => {
    const n = 100_000;
    const draws = Array.from({ length: n }, (_, i) => spreadJitter(1, (i + 0.5) / n, 0, 1));
    expect(draws.filter((d, i) => d < (draws[i - 1] ?? 0))).toEqual([]);
    expect(draws[0]).toBeGreaterThanOrEqual(0);
    expect(draws[n - 1]).toBeLessThanOrEqual(1);
    // Mean of the equilibrium distribution of uniform [a, 1]: E[X²] / (2 E[X]) = (1 + a + a²) / (3 (1 + a)).
    const mean = draws.reduce((sum, d) => sum + d, 0) / n;
    expect(mean).toBeCloseTo((1 + 0.75 + 0.75 ** 2) / (3 * 1.75), 3);
  });

  it('makes a crowd that lost the server together attempt at a steady rate from the first second on', () => {
    const clients = 20_000;
    const random = seededRandom(3);
    const windows = [1500, 4000, 7500, 9000, 20_000, 45_000];
    const counts = windows.map(() => 0);
    for (let c = 0; c < clients; c++) {
      const backoff = createBackoff(DEFAULT_RECONNECT, random);
      for (let t = backoff.next(); t < 50_000; t += backoff.next()) {
        windows.forEach((start, i) => {
          if (t >= start && t < start + 500) counts[i] = (counts[i] ?? 0) + 1;
        });
      }
    }
    // A stationary schedule attempts once per mean settled delay (0.875 × 8 s) per client.
    const expected = (clients * 500) / 7000;
    for (const count of counts) expect(Math.abs(count - expected) / expected).toBeLessThan(0.1);
  });
});
