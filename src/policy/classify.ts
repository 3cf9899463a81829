import type { AnywireError } from '../core/errors.js';

/** Statuses that mean "this request will never succeed as it is": stop, don't retry. */
const FATAL_STATUSES = new Set([400, 401, 403, 404, 405, 406, 410, 422]);

/**
 * The one place that decides fatal versus retryable (docs/resilience.md has the table):
 *
 * | error | retried? |
 * |---|---|
 * | `http-status` 401, 403, 404, 410 (and 400, 405, 406, 422) | no |
 * | `http-status` 204 on SSE (the spec's "stop reconnecting") | no |
 * | `http-status` 408, 425, 429, 5xx, and anything else odd | yes |
 * | `content-type` | no |
 * | `network`, `closed-before-open`, `heartbeat-timeout`, `first-frame-timeout` | yes |
 *
 * A 401 may first be recovered once by calling an async `headers` function again; that is the
 * caller's step, not this predicate's. `reconnect.shouldRetry` overrides this result.
 */
export function isRetryable(error: AnywireError): boolean {
  if (error.code === 'content-type' || error.code === 'unsupported-transport') return false;
  if (error.code !== 'http-status' || error.status === undefined) return true;
  if (error.status === 204) return false;
  return !FATAL_STATUSES.has(error.status);
}
