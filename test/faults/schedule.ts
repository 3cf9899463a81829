// The fault schedule: a pure function of (seed, connection index), so a failing run replays exactly.

import { intBetween, mulberry32, seedOf, shuffled } from './random.js';

/**
 * What the proxy does to one TCP connection:
 * - `cut`: forwards `at` server→client bytes, then ends the connection (FIN) mid-whatever;
 * - `reset`: the same, but aborts it with a TCP RST;
 * - `stall`: forwards `at` bytes, then forwards nothing more either way and keeps both sockets
 *   open (half-open): only the client's heartbeat timeout can notice;
 * - `502`, `503`: answers the first request (or WebSocket upgrade) itself, then closes;
 * - `…-retry-after`: the same with `Retry-After: 1`, so the client must wait ≥ 1 s.
 */
export type FaultKind = 'cut' | 'reset' | 'stall' | '502' | '503' | '502-retry-after' | '503-retry-after';

/**
 * How many of each kind one deck of {@link DECK_SIZE} connections carries. A shuffled deck rather
 * than an independent draw per connection: every run that opens a deck's worth of connections
 * sees every kind, and the share of Retry-After answers (each costs the client ≥ 1 s) is bounded,
 * while the order of faults stays random.
 */
export const DECK: Readonly<Record<FaultKind, number>> = {
  cut: 17,
  reset: 15,
  stall: 6,
  '502': 5,
  '503': 5,
  '502-retry-after': 1,
  '503-retry-after': 1,
};

/** Every kind, in a fixed order. */
export const FAULT_KINDS: readonly FaultKind[] = Object.keys(DECK) as FaultKind[];

const CARDS: readonly FaultKind[] = FAULT_KINDS.flatMap((kind) => Array<FaultKind>(DECK[kind]).fill(kind));

/** Connections per deck. */
export const DECK_SIZE = CARDS.length;

/** One connection's fault: its kind and, for `cut`, `reset` and `stall`, after how many server→client bytes. */
export interface Plan {
  kind: FaultKind;
  /** Server→client bytes forwarded before the fault (0 for the status answers). */
  at: number;
}

/** The HTTP answer of a status fault, or undefined for the others. */
export function statusOf(kind: FaultKind): { status: 502 | 503; retryAfter: boolean } | undefined {
  if (kind === '502' || kind === '502-retry-after') return { status: 502, retryAfter: kind !== '502' };
  if (kind === '503' || kind === '503-retry-after') return { status: 503, retryAfter: kind !== '503' };
  return undefined;
}

/**
 * The plan of connection `index` (0-based, in accept order) under `seed`. Its kind comes from the
 * shuffled deck its index falls in; its offset is uniform in [0, `maxCut`], so cuts land in
 * response headers, chunk framing, the middle of an event and between events alike.
 */
export function planFor(seed: number, index: number, maxCut: number): Plan {
  const deck = Math.floor(index / DECK_SIZE);
  const kind = shuffled(CARDS, mulberry32(seedOf(seed, 'deck', deck)))[index % DECK_SIZE] as FaultKind;
  if (statusOf(kind)) return { kind, at: 0 };
  return { kind, at: intBetween(mulberry32(seedOf(seed, 'offset', index)), 0, maxCut) };
}
