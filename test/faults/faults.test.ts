// Fault injection: every transport, through a proxy that cuts, resets, stalls and refuses
// connections on a seeded schedule, still delivers 1,000 events exactly once and in order.
// Reproduce a run with FAULT_SEED=<seed> npx vitest run test/faults

import { describe, it } from 'vitest';
import WebSocket from 'ws';
import { type ReferenceServer, startReferenceServer } from '../../examples/server.js';
import { type AnywireError, type Subscription, subscribe, type TransportName } from '../../src/index.js';
import { MIN_POLL_INTERVAL } from '../../src/policy/choose.js';
import { silenceBudget } from '../../src/policy/liveness.js';
import { type ConnectionRecord, type FaultProxy, startFaultProxy } from './proxy.js';
import { mulberry32, seedOf } from './random.js';
import { FAULT_KINDS } from './schedule.js';

const SEED = Number(process.env.FAULT_SEED ?? 1);
const EVENTS = 1000;
const MIN_FAULTS = 50;
/** Events published at a time, and the most the client may be behind before the next burst. */
const BURST = 5;
const WINDOW = 20;
/** ms between publishing ticks (pacing only). */
const TICK = 3;
/**
 * Hard limit of one transport's run; the test itself times out a little later. The polls take
 * longest (~22–25 s): a poll comes every MIN_POLL_INTERVAL ms at most, and the client may be only
 * WINDOW events behind, so each poll carries at most WINDOW events.
 */
const DEADLINE = 40_000;

/**
 * `maxCut` per transport, from its measured server→client bytes per event without faults (SSE 40
 * with chunk framing, WebSocket 43, poll 53 and long-poll 66 with their response headers), plus
 * ~200 bytes of headers per connection and, for the polls, the empty answers that keep coming
 * while the client recovers. A cut or stall then lets ~15 events through on average, so 1,000
 * events take ~65 of them and, with the status answers (a quarter of the deck), ~85 faults in all:
 * a wide margin above 50 (the fewest seen over seeds 1–12 is 67), while each transport still
 * finishes in ~10 s (a stall costs ~0.3 s, a Retry-After 1 s).
 */
const CASES: ReadonlyArray<{ transport: TransportName; maxCut: number }> = [
  { transport: 'sse', maxCut: 1600 },
  { transport: 'long-poll', maxCut: 3000 },
  { transport: 'poll', maxCut: 2500 },
  { transport: 'websocket', maxCut: 1600 },
];

const HEARTBEAT = { interval: 100, timeout: 300 };
/** staleness 20 asks for more than the floor allows: polls come every MIN_POLL_INTERVAL ms. */
const POLL_INTERVAL = MIN_POLL_INTERVAL;
/**
 * A stalled connection must be given up within the client's silence budget for the transport
 * (the client's own formula: for a long poll it covers the server's hold, since a stalled long
 * poll cannot be told from a held one sooner), with room for a busy machine.
 */
const STALL_SLACK = 700;
/** `Retry-After: 1` is 1,000 ms; 10 ms of slack for the two clocks' rounding. */
const RETRY_AFTER_MIN = 990;

// The transports run side by side, each with its own server, proxy and schedule: the file takes
// as long as the slowest one. Assertions use the test's own `expect`, as concurrent tests must.
describe(`fault injection (FAULT_SEED=${SEED})`, () => {
  it.concurrent.for(CASES)(
    '$transport: 1,000 events arrive exactly once, in order, across ≥ 50 injected faults',
    { timeout: DEADLINE + 5000 },
    async ({ transport, maxCut }, { expect }) => {
      const started = Date.now();
      // Keepalives well inside the heartbeat timeout, so only a stall goes silent for that long.
      const server = await startReferenceServer({ keepalive: HEARTBEAT.interval });
      const proxy = await startFaultProxy({ target: server.url, seed: seedOf(SEED, transport), maxCut });
      const sub = subscribe<number | null>({
        url: proxy.url,
        transport,
        WebSocket: WebSocket as never,
        requirements: { staleness: 20 },
        reconnect: { initialDelay: 5, maxDelay: 20 },
        heartbeat: HEARTBEAT,
        random: mulberry32(seedOf(SEED, transport, 'jitter')),
      });
      const errors: Record<string, number> = {};
      sub.on('error', (error: AnywireError) => {
        errors[error.code] = (errors[error.code] ?? 0) + 1;
      });
      try {
        const received = await publishThrough(sub, server, proxy);
        const { retryAfterWaits, stallDetections } = timings(proxy.connections);
        console.info(
          `[faults] ${transport}, seed ${SEED}: ${proxy.injected()} faults over ${proxy.connections.length} connections in ` +
            `${Date.now() - started} ms ${JSON.stringify(proxy.counts)}; stalls given up after ≤ ${Math.max(...stallDetections)} ms; ` +
            `Retry-After waits ≥ ${Math.min(...retryAfterWaits)} ms; client errors ${JSON.stringify(errors)}`,
        );

        expect(received).toEqual(Array.from({ length: EVENTS }, (_, i) => i + 1));
        expect(proxy.injected()).toBeGreaterThanOrEqual(MIN_FAULTS);
        expect(FAULT_KINDS.filter((kind) => proxy.counts[kind] === 0)).toEqual([]);
        // A truncated event or frame must never reach the parser as if it were whole.
        expect(errors.parse ?? 0).toBe(0);
        expect(errors.frame ?? 0).toBe(0);
        // Every fault was reported as an `error` event, none swallowed: each status answer as
        // `http-status`, each cut, reset or stall as a network, open or heartbeat failure.
        const { cut, reset, stall } = proxy.counts;
        expect(errors['http-status'] ?? 0).toBe(proxy.injected() - cut - reset - stall);
        const broken = ['network', 'closed-before-open', 'heartbeat-timeout', 'first-frame-timeout'].reduce(
          (n, code) => n + (errors[code] ?? 0),
          0,
        );
        expect(broken).toBeGreaterThanOrEqual(cut + reset + stall);
        expect(sub.status).not.toBe('closed');
        // Half-open connections are noticed by the heartbeat, and Retry-After is honoured.
        expect(stallDetections.filter((ms) => !(ms <= silenceBudget(transport, HEARTBEAT.timeout, POLL_INTERVAL) + STALL_SLACK))).toEqual(
          [],
        );
        expect(retryAfterWaits.filter((ms) => ms < RETRY_AFTER_MIN)).toEqual([]);
      } finally {
        sub.close();
        await proxy.close();
        await server.close();
      }
    },
  );
});

/**
 * From the proxy's log: how long the client took to give up each stalled connection (NaN if it
 * never did), and how long after each `Retry-After: 1` answer its next connection came.
 */
function timings(connections: readonly ConnectionRecord[]): { stallDetections: number[]; retryAfterWaits: number[] } {
  const stallDetections: number[] = [];
  const retryAfterWaits: number[] = [];
  connections.forEach((c, i) => {
    if (c.fired === undefined) return;
    if (c.kind === 'stall') stallDetections.push((c.closed ?? Number.NaN) - c.fired);
    const next = connections[i + 1];
    if (c.kind.endsWith('retry-after') && next) retryAfterWaits.push(next.accepted - c.fired);
  });
  return { stallDetections, retryAfterWaits };
}

/**
 * Publishes 1..EVENTS in bursts of BURST on a pacing tick, but only while the client is at most
 * WINDOW events behind: events go out live, at moments unrelated to the client's requests (so a
 * long poll is sometimes held, sometimes answered from the backlog), while the proxy breaks
 * connections. Then publishes a `done` marker and resolves with every message's data before it:
 * events arrive in order, so a duplicate or a late replay would show up there. The tick only
 * paces; progress is measured by the client's messages, and the deadline bounds the whole run.
 */
function publishThrough(sub: Subscription<number | null>, server: ReferenceServer, proxy: FaultProxy): Promise<number[]> {
  const received: number[] = [];
  let published = 0;
  return new Promise((resolve, reject) => {
    const stop = (): void => {
      clearInterval(ticker);
      clearTimeout(deadline);
      off();
    };
    const ticker = setInterval(() => {
      if (published === EVENTS || published - received.length > WINDOW - BURST) return;
      const last = Math.min(EVENTS, published + BURST);
      while (published < last) server.publish(++published);
    }, TICK);
    const deadline = setTimeout(() => {
      stop();
      reject(
        new Error(
          `got ${received.length} of ${EVENTS} (last: ${received.slice(-5).join(', ')}) within ${DEADLINE} ms; published ` +
            `${published}; faults ${JSON.stringify(proxy.counts)}; status ${sub.status}`,
        ),
      );
    }, DEADLINE);
    const off = sub.on('message', ({ event, data }) => {
      if (event === 'done') {
        stop();
        resolve(received);
        return;
      }
      received.push(data as number);
      if (received.length === EVENTS) server.publish(null, 'done');
    });
  });
}
