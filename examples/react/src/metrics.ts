/**
 * The dashboard's state and the changes the server makes to it. Pure: the server (server.ts)
 * runs it, the page only needs the types and the empty state.
 */

/** One tile of the dashboard. */
export interface Metric {
  /** Unique, stable: the React key. */
  name: string;
  unit: string;
  value: number;
}

/** What the server publishes: a `snapshot` of this, then JSON Patch `delta`s against it. */
export interface DashboardState {
  metrics: Metric[];
}

/** One RFC 6902 operation of the kind this server sends. */
export interface ReplaceOp {
  op: 'replace';
  path: string;
  value: number;
}

/** The state before the first snapshot arrives (and the server-rendered one). */
export const EMPTY: DashboardState = { metrics: [] };

/** What each host reports, with the range its values wander in. */
const KINDS = [
  { kind: 'cpu', unit: '%', min: 0, max: 100 },
  { kind: 'mem', unit: '%', min: 10, max: 95 },
  { kind: 'p50', unit: 'ms', min: 2, max: 80 },
  { kind: 'p99', unit: 'ms', min: 40, max: 900 },
  { kind: 'rps', unit: 'req/s', min: 0, max: 5000 },
  { kind: 'errors', unit: '/min', min: 0, max: 50 },
  { kind: 'queue', unit: 'jobs', min: 0, max: 400 },
  { kind: 'conns', unit: '', min: 0, max: 2000 },
] as const;

const round = (n: number): number => Math.round(n * 10) / 10;
const kindOf = (index: number): (typeof KINDS)[number] => KINDS[index % KINDS.length] as (typeof KINDS)[number];

/** `count` metrics: hosts `api-01`, `api-02`, … each with the eight kinds above. */
export function createMetrics(count: number, random: () => number = Math.random): DashboardState {
  const metrics = Array.from({ length: count }, (_, i): Metric => {
    const { kind, unit, min, max } = kindOf(i);
    const host = `api-${String(Math.floor(i / KINDS.length) + 1).padStart(2, '0')}`;
    return { name: `${host}.${kind}`, unit, value: round(min + random() * (max - min)) };
  });
  return { metrics };
}

/**
 * The next tick's delta: 1–4 `replace` operations, each moving one metric's value by up to 10% of
 * its range (kept inside it). Every operation changes its value, so every delta changes the state.
 */
export function nextPatch(state: DashboardState, random: () => number = Math.random): ReplaceOp[] {
  const count = 1 + Math.floor(random() * 4);
  const ops: ReplaceOp[] = [];
  const touched = new Set<number>();
  while (ops.length < Math.min(count, state.metrics.length)) {
    const i = Math.floor(random() * state.metrics.length);
    const metric = state.metrics[i];
    if (!metric || touched.has(i)) continue;
    touched.add(i);
    const { min, max } = kindOf(i);
    const step = (random() - 0.5) * 0.2 * (max - min);
    let value = round(Math.min(max, Math.max(min, metric.value + step)));
    if (value === metric.value) value = round(value === max ? value - 0.1 : value + 0.1);
    ops.push({ op: 'replace', path: `/metrics/${i}/value`, value });
  }
  return ops;
}
