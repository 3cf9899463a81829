import { MAX_TIMER_DELAY } from './backoff.js';

/**
 * The longest wait a server hint can impose: 1 hour. A realtime subscription that sleeps longer
 * than that is broken for its user, and such values are far more often a misconfiguration or a
 * client clock that is days behind (HTTP dates are absolute) than a real plan. Capping costs a
 * server still in maintenance one request per client per hour, answered with a fresh
 * Retry-After. It also keeps the wait under `setTimeout`'s 24.8-day limit, beyond which timers
 * fire at once.
 */
export const MAX_RETRY_AFTER = 3_600_000;

const MONTHS = 'Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec';

// [RFC 9110 §5.6.7] The three HTTP-date forms, each as (day, month, year, hour, minute, second).
// Literals, not RegExps built from shared parts: a module-level call would stay in every bundle
// that imports anything from the package, whether it parses dates or not.
/** IMF-fixdate, the one servers must send: `Sun, 06 Nov 1994 08:49:37 GMT`. */
const IMF_FIXDATE =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
/** Obsolete RFC 850 form, two-digit year: `Sunday, 06-Nov-94 08:49:37 GMT`. */
const RFC_850 =
  /^(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, (\d{2})-(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
/** Obsolete asctime form, no zone (UTC by definition): `Sun Nov  6 08:49:37 1994`. */
const ASCTIME =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ( \d|\d{2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

/**
 * The wait a `Retry-After` header asks for, in ms from `now`.
 *
 * - delta-seconds (`"120"`): whole, non-negative seconds, as HTTP defines them. `"-1"`, `"1.5"`
 *   and `"+3"` are malformed and ignored rather than guessed at.
 * - HTTP-date in any of the three forms HTTP requires recipients to accept (IMF-fixdate and the
 *   obsolete RFC 850 and asctime forms). They are parsed here rather than by `Date.parse`, which
 *   reads asctime in local time and turns garbage such as `"garbage 12"` into a date.
 *   A date in the past gives 0.
 *
 * The result is capped at {@link MAX_RETRY_AFTER}. Surrounding whitespace is ignored.
 *
 * @param value - The header value (`response.headers.get('retry-after')`).
 * @param now - The current time in ms since the epoch, the reference for HTTP dates.
 * @returns The wait in ms, or `undefined` when the header is missing or malformed (fall back to
 *   the backoff schedule).
 *
 * @example
 * parseRetryAfter('120', Date.now()); // 120000
 * parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('2015-10-21T07:27:00Z')); // 60000
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_AFTER);
  const date = parseHttpDate(text, now);
  if (date === undefined) return undefined;
  return Math.min(Math.max(date - now, 0), MAX_RETRY_AFTER);
}

/** An HTTP-date as ms since the epoch, or `undefined` when `text` is not one. */
function parseHttpDate(text: string, now: number): number | undefined {
  let m = IMF_FIXDATE.exec(text);
  if (m) return toEpoch(Number(m[3]), m[2], m[1], m[4], m[5], m[6]);
  m = RFC_850.exec(text);
  if (m) return toEpoch(fullYear(Number(m[3]), now), m[2], m[1], m[4], m[5], m[6]);
  m = ASCTIME.exec(text);
  return m ? toEpoch(Number(m[6]), m[1], m[2], m[3], m[4], m[5]) : undefined;
}

/**
 * [RFC 9110 §5.6.7] A two-digit year that would be more than 50 years in the future means the
 * most recent past year with the same last two digits.
 */
function fullYear(twoDigits: number, now: number): number {
  const current = new Date(now).getUTCFullYear();
  const year = current - (current % 100) + twoDigits;
  return year > current + 50 ? year - 100 : year;
}

/**
 * The UTC instant of the fields (as the regexes matched them, so all present and the month one of
 * MONTHS), or `undefined` when they name no real moment (Feb 30, 25:00).
 */
function toEpoch(y: number, month?: string, ...dayAndTime: (string | undefined)[]): number | undefined {
  // Each month name is 3 letters and a '|' into MONTHS.
  const m = MONTHS.indexOf(month as string) / 4;
  const [d, h, min, s] = dayAndTime.map(Number) as [number, number, number, number];
  // 60 is allowed for a leap second; Date.UTC rolls it into the next minute.
  if (h > 23 || min > 59 || s > 60) return undefined;
  const epoch = Date.UTC(y, m, d, h, min, s);
  // Date.UTC rolls invalid days over (Feb 30 -> Mar 2); reading the day back catches them.
  return new Date(Date.UTC(y, m, d)).getUTCDate() === d ? epoch : undefined;
}

/**
 * The delay before the next attempt when the server has asked for a wait: never sooner than it
 * asked, and still spread.
 *
 * Returns `hintMs + delay`, not `max(delay, hintMs)`. A hint is often the same for every client:
 * an HTTP date (a maintenance window's end) names one instant for all of them, and an SSE
 * `retry:` or a fixed Retry-After sent to clients dropped together gives them one wait from the
 * same moment. With the max, every client whose own delay is shorter would wait exactly the
 * hint and return in lock-step, the thundering herd the jitter exists to prevent. Adding the
 * jittered delay keeps them as spread as the schedule does, at the cost of up to one extra
 * backoff delay of waiting.
 *
 * @param delay - The schedule's delay (`backoff.next()`), in ms.
 * @param hintMs - The server's wait (from {@link parseRetryAfter}, an SSE `retry:`), in ms;
 *   `undefined`, negative or `NaN` means no hint.
 * @returns The delay to wait, in ms, at most {@link MAX_TIMER_DELAY}.
 *
 * @example
 * withServerHint(backoff.next(), error.retryAfter);
 */
export function withServerHint(delay: number, hintMs: number | undefined): number {
  if (hintMs === undefined || !(hintMs > 0)) return delay;
  return Math.min(hintMs + delay, MAX_TIMER_DELAY);
}
