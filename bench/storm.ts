/**
 * Reconnect-storm simulation: 10,000 clients lose their server at the same instant, the server
 * refuses connections for an outage, then accepts. How hard do the clients hit it on its return?
 *
 * Pure and seeded (the same options give the same rows), using the real {@link createBackoff}
 * for anywire's policies and a line-for-line port of socket.io-client's `Backoff` for socket.io.
 *
 * `npx tsx bench/storm.ts` prints the tables and writes docs/reconnect-storm.svg;
 * docs/reconnect-storm.md explains the results.
 */

import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReconnectPolicy } from '../src/core/types.js';
import { type Backoff, createBackoff, DEFAULT_RECONNECT } from '../src/policy/backoff.js';
import { withServerHint } from '../src/policy/retry-after.js';
import { seededRandom } from './lib/random.js';

/** A contender: a name for the table and a way to build one client's schedule. */
export interface StormPolicy {
  /** Shown in the table and the chart legend. */
  name: string;
  /** One client's schedule, drawing from the shared seeded `random`. */
  create(random: () => number): Backoff;
}

/** Options of {@link runStorm}. */
export interface StormOptions {
  /** The contenders. @defaultValue {@link STORM_POLICIES} */
  policies?: readonly StormPolicy[];
  /** How long the server refuses connections, in ms; one row per outage and policy. @defaultValue `[2000, 10000, 60000]` */
  outages?: readonly number[];
  /** Clients that lose the server at t = 0. @defaultValue `10000` */
  clients?: number;
  /** The width of the load window, in ms. @defaultValue `100` */
  window?: number;
  /** Seed of the random numbers; every (policy, outage) pair restarts from it. @defaultValue `1` */
  seed?: number;
}

/** One policy under one outage. */
export interface StormRow {
  /** {@link StormPolicy.name}. */
  policy: string;
  /** The outage, in ms. */
  outage: number;
  /** The largest share of all clients, in %, whose reconnect lands in any one window after the return. */
  peak: number;
  /** Seconds from the return until 99% of the clients are back. */
  t99: number;
  /** `peak × t99` in %·s: lower is better; an even spread over t99 gives about 10. */
  product: number;
  /** Share of all clients, in %, reconnecting in each window after the return (grid-aligned), up to the last one. */
  histogram: number[];
}

/** socket.io-client's defaults: `reconnectionDelay`, `reconnectionDelayMax`, `randomizationFactor`. */
const SOCKET_IO = { min: 1000, max: 5000, factor: 2, jitter: 0.5 };

/**
 * socket.io-client's `Backoff#duration`, ported as is (including its reuse of one random number
 * for both the size and the sign of the deviation): jitter first, then clamp to `max`.
 */
export function socketIoBackoff(random: () => number): Backoff {
  let attempts = 0;
  return {
    next() {
      let ms = SOCKET_IO.min * SOCKET_IO.factor ** attempts++;
      const rand = random();
      const deviation = Math.floor(rand * SOCKET_IO.jitter * ms);
      ms = (Math.floor(rand * 10) & 1) === 0 ? ms - deviation : ms + deviation;
      return Math.min(ms, SOCKET_IO.max) | 0;
    },
    reset() {
      attempts = 0;
    },
  };
}

/** A contender built with the real {@link createBackoff}. */
export function anywirePolicy(name: string, policy: ReconnectPolicy): StormPolicy {
  return { name, create: (random) => createBackoff(policy, random) };
}

/** The contenders of the published table: anywire's default first, then the three anchors. */
export const STORM_POLICIES: readonly StormPolicy[] = [
  anywirePolicy('anywire default', DEFAULT_RECONNECT),
  { name: 'socket.io (1 s ×2 ±50%, clamp 5 s)', create: socketIoBackoff },
  anywirePolicy('full jitter (1 s ×2, 30 s cap)', { initialDelay: 1000, factor: 2, maxDelay: 30_000, jitter: 'full' }),
  anywirePolicy('no jitter (1 s ×2, 30 s cap)', { initialDelay: 1000, factor: 2, maxDelay: 30_000, jitter: 'none' }),
];

/** The same default, as a client that also honours a server hint of 5 s (an SSE `retry: 5000`). */
function hinted(name: string, combine: (delay: number, hint: number) => number): StormPolicy {
  return {
    name,
    create(random) {
      const backoff = createBackoff(DEFAULT_RECONNECT, random);
      return { next: () => combine(backoff.next(), 5000), reset: () => backoff.reset() };
    },
  };
}

/**
 * The other schedules tried while choosing the default (docs/reconnect-storm.md), each keeping a
 * lone client's first retry within 1 s, and two ways of honouring a server hint.
 */
export const STORM_CANDIDATES: readonly StormPolicy[] = [
  anywirePolicy('equal (1 s ×2, 8 s cap)', { initialDelay: 1000, factor: 2, maxDelay: 8000, jitter: 'equal' }),
  anywirePolicy('equal (1 s ×8, 8 s cap)', { initialDelay: 1000, factor: 8, maxDelay: 8000, jitter: 'equal' }),
  anywirePolicy('full (1 s ×2, 10 s cap)', { initialDelay: 1000, factor: 2, maxDelay: 10_000, jitter: 'full' }),
  anywirePolicy('full (1 s ×8, 8 s cap)', { initialDelay: 1000, factor: 8, maxDelay: 8000, jitter: 'full' }),
  anywirePolicy('decorrelated (333 ms, 8 s cap)', { initialDelay: 333, maxDelay: 8000, jitter: 'decorrelated' }),
  anywirePolicy('spread (1 s ×5, 5 s cap)', { ...DEFAULT_RECONNECT, factor: 5, maxDelay: 5000 }),
  anywirePolicy('spread (1 s ×6, 6 s cap)', { ...DEFAULT_RECONNECT, factor: 6, maxDelay: 6000 }),
  anywirePolicy('spread (1 s ×12, 12 s cap)', { ...DEFAULT_RECONNECT, factor: 12, maxDelay: 12_000 }),
  hinted('default + 5 s hint, max(delay, hint)', (delay, hint) => Math.max(delay, hint)),
  hinted('default + 5 s hint, withServerHint', withServerHint),
];

/**
 * When each client gets back, in ms since the loss, sorted. Every client notices the loss at
 * exactly t = 0 (the harshest case: a load balancer dropping every socket at once), then waits
 * `next()`; an attempt before `outage` fails at once, the first one at or after it succeeds.
 */
export function simulateOutage(policy: StormPolicy, outage: number, clients: number, random: () => number): Float64Array {
  const arrivals = new Float64Array(clients);
  for (let i = 0; i < clients; i++) {
    const backoff = policy.create(random);
    let t = 0;
    do t += backoff.next();
    while (t < outage);
    arrivals[i] = t;
  }
  return arrivals.sort();
}

/** Peak, t99, product and histogram of sorted arrival times, measured from the return. */
export function measure(sorted: Float64Array, outage: number, window: number): Omit<StormRow, 'policy' | 'outage'> {
  const n = sorted.length;
  // A sliding window: the worst `window` ms anywhere after the return, not only on a grid.
  let peakCount = 0;
  for (let hi = 0, lo = 0; hi < n; hi++) {
    while ((sorted[lo] ?? 0) <= (sorted[hi] ?? 0) - window) lo++;
    peakCount = Math.max(peakCount, hi - lo + 1);
  }
  const last = (sorted[n - 1] ?? outage) - outage;
  const histogram = new Array<number>(Math.floor(last / window) + 1).fill(0);
  for (const t of sorted) {
    const bucket = Math.floor((t - outage) / window);
    histogram[bucket] = (histogram[bucket] ?? 0) + 100 / n;
  }
  const peak = (100 * peakCount) / n;
  const t99 = ((sorted[Math.ceil(0.99 * n) - 1] ?? outage) - outage) / 1000;
  return { peak, t99, product: peak * t99, histogram };
}

/** Every policy under every outage, outage by outage, policies in the order given. */
export function runStorm(options: StormOptions = {}): StormRow[] {
  const { policies = STORM_POLICIES, outages = [2000, 10_000, 60_000], clients = 10_000, window = 100, seed = 1 } = options;
  const rows: StormRow[] = [];
  for (const outage of outages) {
    for (const policy of policies) {
      const arrivals = simulateOutage(policy, outage, clients, seededRandom(seed));
      rows.push({ policy: policy.name, outage, ...measure(arrivals, outage, window) });
    }
  }
  return rows;
}

/** The rows as a Markdown table. */
export function formatTable(rows: readonly StormRow[]): string {
  const lines = ['| policy | outage | peak / 100 ms | t99 | peak × t99 |', '| --- | ---: | ---: | ---: | ---: |'];
  for (const r of rows) {
    lines.push(`| ${r.policy} | ${r.outage / 1000} s | ${r.peak.toFixed(2)}% | ${r.t99.toFixed(2)} s | ${r.product.toFixed(1)} %·s |`);
  }
  return lines.join('\n');
}

const CHART = { width: 760, height: 400, left: 56, right: 20, top: 40, bottom: 116, seconds: 20, maxShare: 6 };
const COLORS = ['#1d4ed8', '#ea580c', '#16a34a', '#6b7280'];

/**
 * An SVG line chart of the histograms of `rows` (one outage): share of clients reconnecting per
 * window against seconds since the return. Values above the axis (no jitter's single spike) are
 * clipped and labelled.
 */
export function renderChart(rows: readonly StormRow[], window = 100): string {
  const { width, height, left, right, top, bottom, seconds, maxShare } = CHART;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const x = (s: number): number => round(left + (Math.min(s, seconds) / seconds) * plotW);
  const y = (share: number): number => round(top + plotH - (Math.min(share, maxShare) / maxShare) * plotH);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${left}" y="22" font-size="14" font-weight="600">10,000 clients after a ${(rows[0]?.outage ?? 0) / 1000} s outage: reconnects per ${window} ms after the return</text>`,
  );
  for (let share = 0; share <= maxShare; share++) {
    out.push(`<line x1="${left}" x2="${width - right}" y1="${y(share)}" y2="${y(share)}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${left - 8}" y="${y(share) + 4}" text-anchor="end">${share}%</text>`);
  }
  for (let s = 0; s <= seconds; s += 2) {
    out.push(`<text x="${x(s)}" y="${top + plotH + 18}" text-anchor="middle">${s} s</text>`);
  }
  out.push(`<line x1="${left}" x2="${width - right}" y1="${y(3)}" y2="${y(3)}" stroke="#dc2626" stroke-dasharray="6 4"/>`);
  out.push(`<text x="${width - right - 4}" y="${y(3) - 5}" text-anchor="end" fill="#dc2626">3% budget</text>`);
  rows.forEach((row, i) => {
    out.push(...series(row, COLORS[i % COLORS.length] ?? '#000', i, { x, y, window }));
  });
  return `${out.join('\n')}\n</svg>\n`;
}

/** One decimal is finer than a pixel and keeps the SVG small and diff-friendly. */
function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** One policy's step line, its legend entry, and a label where it leaves the chart. */
function series(
  row: StormRow,
  color: string,
  index: number,
  scale: { x: (s: number) => number; y: (share: number) => number; window: number },
): string[] {
  const { x, y, window } = scale;
  const points: string[] = [];
  const out: string[] = [];
  row.histogram.forEach((share, bucket) => {
    const from = (bucket * window) / 1000;
    if (from >= CHART.seconds) return;
    points.push(`${x(from)},${y(share)}`, `${x(from + window / 1000)},${y(share)}`);
    if (share > CHART.maxShare) {
      out.push(`<text x="${x(from) + 6}" y="${CHART.top + 14}" fill="${color}">${row.policy}: ${share.toFixed(0)}% at +${from} s ↑</text>`);
    }
  });
  const legendY = CHART.height - CHART.bottom + 44 + index * 18;
  const legendX = CHART.left;
  out.unshift(
    `<polyline fill="none" stroke="${color}" stroke-width="${index === 0 ? 2 : 1.25}" points="${points.join(' ')}"/>`,
    `<line x1="${legendX}" x2="${legendX + 18}" y1="${legendY - 4}" y2="${legendY - 4}" stroke="${color}" stroke-width="3"/>`,
    `<text x="${legendX + 24}" y="${legendY}">${row.policy} (peak ${row.peak.toFixed(1)}%, t99 ${row.t99.toFixed(1)} s)</text>`,
  );
  return out;
}

/** `npx tsx bench/storm.ts`: print both tables, write the chart of the 10 s outage. */
function main(): void {
  const started = performance.now();
  const rows = runStorm();
  console.log('## Anchors\n');
  console.log(formatTable(rows));
  console.log('\n## Candidates\n');
  console.log(formatTable(runStorm({ policies: STORM_CANDIDATES })));
  const svgPath = fileURLToPath(new URL('../docs/reconnect-storm.svg', import.meta.url));
  writeFileSync(svgPath, renderChart(rows.filter((r) => r.outage === 10_000)));
  console.log(`\nwrote ${svgPath} in ${Math.round(performance.now() - started)} ms`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();

export { seededRandom };
