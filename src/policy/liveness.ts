import type { TransportName } from '../core/types.js';

/** The share of the silence timeout a long poll may be held for (`Prefer: wait=N`). */
export const HOLD_SHARE = 0.6;

/**
 * How long, in whole seconds, a server may hold a long poll: 60% of the silence timeout, at least
 * 1 (RFC 7240's `wait` is in seconds), so a held request is never mistaken for a dead one.
 */
export function holdSeconds(timeout: number): number {
  return Math.max(1, Math.floor((timeout * HOLD_SHARE) / 1000));
}

/**
 * The silence after which a connection counts as dead (ms). It covers what is silent on purpose:
 * a poll's interval, and a long poll's hold (below a 1.7 s timeout the budget grows to cover the
 * 1 s minimum hold).
 */
export function silenceBudget(transport: TransportName, timeout: number, pollInterval: number): number {
  if (transport === 'poll') return timeout + pollInterval;
  if (transport === 'long-poll') return Math.max(timeout, Math.ceil((holdSeconds(timeout) * 1000) / HOLD_SHARE));
  return timeout;
}
