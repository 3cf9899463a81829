import { AnywireError } from '../core/errors.js';
import type { Capabilities, Choice, Requirements, TransportName } from '../core/types.js';

/** The requirement defaults, declared once. */
export const DEFAULT_REQUIREMENTS: Required<Requirements> = { direction: 'receive', staleness: 1000, frequency: 1 };

/** At or above this staleness (ms) a short poll every `staleness` ms is the cheapest way to be fresh enough. */
export const POLL_STALENESS = 5000;
/** Below this many messages per second a held stream mostly carries nothing: long polling costs less. */
export const RARE_FREQUENCY = 0.1;

/**
 * The shortest interval between two polls (ms), whatever `staleness` asks for: four requests a
 * second per client at most, so no configuration turns a poll into a flood (staleness 0 once sent
 * 440 a second). Low enough that a poll fallback still meets a sub-second staleness nearly.
 */
export const MIN_POLL_INTERVAL = 250;

/**
 * Picks a transport from what the caller needs and what the runtime and server offer. Pure: the
 * same arguments always give the same choice.
 *
 * - direction `'both'` → websocket, then sse and long-poll (sends go out as HTTP POST);
 * - receive with staleness ≥ 5 s → poll every `staleness` ms;
 * - receive, staleness < 5 s, fewer than 0.1 messages/s → long-poll, then poll;
 * - otherwise → sse, then long-poll, then poll.
 *
 * Transports the runtime lacks (no WebSocket, no streaming fetch body) or the server does not offer
 * are removed from the list. See docs/choosing-a-transport.md for the reasoning.
 *
 * @throws AnywireError with code `'unsupported-transport'` when nothing is left.
 * @example
 * chooseTransport({ staleness: 30_000 }); // { transport: 'poll', pollInterval: 30000, ... }
 */
export function chooseTransport(requirements: Requirements = {}, capabilities: Capabilities = {}): Choice {
  const { direction, staleness, frequency } = { ...DEFAULT_REQUIREMENTS, ...requirements };
  let order: TransportName[];
  let reason: string;
  if (direction === 'both') {
    order = ['websocket', 'sse', 'long-poll'];
    reason = "direction 'both': websocket; sse and long-poll send by POST";
  } else if (staleness >= POLL_STALENESS) {
    order = ['poll'];
    reason = `staleness ${staleness} ms ≥ ${POLL_STALENESS} ms: a poll every ${staleness} ms holds no connection`;
  } else if (frequency < RARE_FREQUENCY) {
    order = ['long-poll', 'poll'];
    reason = `frequency ${frequency}/s < ${RARE_FREQUENCY}/s: rare events, a held request costs less`;
  } else {
    order = ['sse', 'long-poll', 'poll'];
    reason = `receive only, staleness ${staleness} ms, frequency ${frequency}/s: sse`;
  }
  return narrow(order, capabilities, staleness, [reason]);
}

/**
 * Removes from `order` what the runtime or server cannot do, and shapes the {@link Choice}.
 * Also used for a transport list the caller forced.
 */
export function narrow(order: readonly TransportName[], capabilities: Capabilities, staleness: number, reasons: string[]): Choice {
  const kept = order.filter((name) => {
    const why = missing(name, capabilities);
    if (why) reasons.push(`${name} skipped: ${why}`);
    return !why;
  });
  const [transport, ...fallbacks] = kept;
  if (!transport) {
    const hint = order.includes('websocket') && capabilities.websocket === false ? " (on Node 20, pass `WebSocket` from 'ws')" : '';
    throw new AnywireError('unsupported-transport', `no usable transport among ${order.join(', ')}${hint}: ${reasons.join('; ')}`);
  }
  const choice: Choice = { transport, fallbacks, reasons };
  if (kept.includes('poll')) {
    choice.pollInterval = Math.max(staleness, MIN_POLL_INTERVAL);
    if (staleness < MIN_POLL_INTERVAL) reasons.push(`poll interval ${MIN_POLL_INTERVAL} ms, the floor (staleness ${staleness} ms)`);
  }
  return choice;
}

function missing(name: TransportName, { websocket = true, streaming = true, offered }: Capabilities): string | undefined {
  if (offered && !offered.includes(name)) return 'the server does not offer it';
  if (name === 'websocket' && !websocket) return 'no WebSocket constructor in this runtime';
  if (name === 'sse' && !streaming) return 'fetch cannot stream response bodies here';
  return undefined;
}
