import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../bench/storm.js';
import { createBackoff, MAX_TIMER_DELAY } from '../src/policy/backoff.js';
import { MAX_RETRY_AFTER, parseRetryAfter, withServerHint } from '../src/policy/retry-after.js';

/** 1994-11-06T08:49:37Z, the RFC's example instant. */
const EXAMPLE = Date.UTC(1994, 10, 6, 8, 49, 37);
const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

describe('parseRetryAfter: delta-seconds', () => {
  it.each([
    ['120', 120_000],
    ['0', 0],
    ['007', 7000],
    [' 5 ', 5000],
  ])('%j → %d ms', (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });

  it('caps absurd waits at MAX_RETRY_AFTER (1 hour)', () => {
    expect(MAX_RETRY_AFTER).toBe(3_600_000);
    expect(parseRetryAfter('86400', NOW)).toBe(MAX_RETRY_AFTER);
    expect(parseRetryAfter('99999999999999999999999999', NOW)).toBe(MAX_RETRY_AFTER);
  });

  it.each(['-1', '1.5', '0.5', '+3', '1e3', '120 s', '12 34', '0x10'])(
    'ignores %j: only whole, non-negative seconds are delta-seconds',
    (value) => {
      expect(parseRetryAfter(value, NOW)).toBeUndefined();
    },
  );

  it('does not depend on now', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3600 }), fc.integer({ min: 0, max: 4e12 }), (seconds, now) => {
        expect(parseRetryAfter(String(seconds), now)).toBe(seconds * 1000);
      }),
    );
  });
});

describe('parseRetryAfter: HTTP-date', () => {
  it.each([
    ['IMF-fixdate', 'Sun, 06 Nov 1994 08:49:37 GMT'],
    ['RFC 850', 'Sunday, 06-Nov-94 08:49:37 GMT'],
    ['asctime', 'Sun Nov  6 08:49:37 1994'],
  ])('reads the %s form as UTC', (_, value) => {
    expect(parseRetryAfter(value, EXAMPLE - 90_000)).toBe(90_000);
  });

  it('reads an asctime date with a two-digit day', () => {
    expect(parseRetryAfter('Wed Nov 16 08:49:37 1994', Date.UTC(1994, 10, 16, 8, 49, 0))).toBe(37_000);
  });

  it('gives 0 for a date now or in the past', () => {
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', EXAMPLE)).toBe(0);
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', NOW)).toBe(0);
  });

  it('caps a date far in the future at MAX_RETRY_AFTER', () => {
    expect(parseRetryAfter('Fri, 01 Jan 2100 00:00:00 GMT', NOW)).toBe(MAX_RETRY_AFTER);
  });

  it('reads an RFC 850 two-digit year as the nearest year not more than 50 years ahead', () => {
    // now is 2025: "30" is 2030 (5 years ahead); "80" would be 2080, so it is 1980.
    expect(parseRetryAfter('Monday, 01-Jan-30 00:00:00 GMT', Date.UTC(2029, 11, 31, 23, 59, 0))).toBe(60_000);
    expect(parseRetryAfter('Tuesday, 01-Jan-80 00:00:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfter('Tuesday, 01-Jan-80 00:00:00 GMT', Date.UTC(1979, 11, 31, 23, 59, 0))).toBe(60_000);
  });

  it.each([
    ['a day that does not exist', 'Thu, 31 Feb 1994 08:49:37 GMT'],
    ['an hour past 23', 'Sun, 06 Nov 1994 24:49:37 GMT'],
    ['a zone other than GMT', 'Sun, 06 Nov 1994 08:49:37 UTC'],
    ['a one-digit day in IMF-fixdate', 'Sun, 6 Nov 1994 08:49:37 GMT'],
    ['an unknown month', 'Sun, 06 Nox 1994 08:49:37 GMT'],
    ['ISO 8601, which is not an HTTP-date', '2015-10-21T07:28:00Z'],
    ['text Date.parse would accept', 'garbage 12'],
    ['an empty value', ''],
  ])('ignores %s', (_, value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });

  it('ignores a missing header', () => {
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
  });

  it('never throws and never returns a negative or non-finite wait, whatever the input', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 0, max: 4e12 }), (value, now) => {
        const ms = parseRetryAfter(value, now);
        if (ms !== undefined) {
          expect(ms).toBeGreaterThanOrEqual(0);
          expect(ms).toBeLessThanOrEqual(MAX_RETRY_AFTER);
        }
      }),
    );
  });
});

describe('withServerHint', () => {
  it('keeps the schedule delay when there is no hint', () => {
    expect(withServerHint(1500, undefined)).toBe(1500);
    expect(withServerHint(1500, 0)).toBe(1500);
    expect(withServerHint(1500, -10)).toBe(1500);
    expect(withServerHint(1500, Number.NaN)).toBe(1500);
  });

  it('waits the hint, then the schedule delay on top', () => {
    expect(withServerHint(1500, 30_000)).toBe(31_500);
    expect(withServerHint(8000, 1000)).toBe(9000);
  });

  it('never retries sooner than the server asked, nor sooner than the schedule', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e7, noNaN: true }), fc.double({ min: 0, max: 1e7, noNaN: true }), (delay, hint) => {
        const wait = withServerHint(delay, hint);
        expect(wait).toBeGreaterThanOrEqual(hint);
        expect(wait).toBeGreaterThanOrEqual(delay);
      }),
    );
  });

  it('keeps clients given the same hint spread, where max(delay, hint) would align them', () => {
    const random = seededRandom(5);
    const delays = Array.from({ length: 1000 }, () => {
      const backoff = createBackoff({}, random);
      backoff.next();
      return backoff.next();
    });
    const hinted = delays.map((d) => withServerHint(d, 30_000));
    expect(new Set(hinted).size).toBe(1000);
    expect(new Set(delays.map((d) => Math.max(d, 30_000)))).toEqual(new Set([30_000]));
  });

  it('stays within what a timer can hold', () => {
    expect(withServerHint(8000, MAX_TIMER_DELAY)).toBe(MAX_TIMER_DELAY);
  });
});
