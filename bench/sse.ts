/**
 * SSE events/s end to end: a client connects to the server process, receives N events of small
 * JSON, and hands each event's parsed data to the app. Every client does the same JSON.parse of
 * `data`; the time runs from the request to the last event. The clients are in clients/sse.ts;
 * each sample runs one of them in a fresh process (lib/rate.ts says why).
 */

import { anywireNote, type BenchContext } from './lib/context.js';
import { type Figure, type Row, rowsFrom } from './lib/figure.js';
import { childRateContender, type RateContender } from './lib/rate.js';
import { interleave } from './lib/stats.js';

/** A client of bench/clients/sse.ts (a type-only import: this process loads none of them). */
type ClientId = keyof typeof import('./clients/sse.js').clients;

/** Events per stream: long enough that connection setup is noise. */
const EVENTS = { full: 300_000, smoke: 2_000 } as const;

/** The rows, by client id of clients/sse.ts. */
function rows(ctx: BenchContext): (Omit<Row, 'samples'> & { id: ClientId })[] {
  return [
    { id: 'anywire', label: 'anywire (sse)', anywire: true, note: anywireNote(ctx) },
    // What Node users get (the `node` export condition): SSE over node:http when no `fetch` is
    // passed. The goals compare the browser entry with the fetch peers; this row shows Node's.
    { id: 'anywire-node', label: 'anywire, Node entry (sse over node:http)', anywire: true, note: 'dist/node.js, no `fetch` passed' },
    {
      id: 'fetch-createParser-json',
      label: 'fetch + TextDecoder + createParser + JSON.parse',
      versus: 'anywire',
      goal: { kind: 'ratio', op: '>=', target: 0.85, text: '≥ 0.85×' },
    },
    {
      id: 'eventsource-json',
      label: '`eventsource` + JSON.parse',
      versus: 'anywire',
      goal: { kind: 'ratio', op: '>=', target: 1.5, text: '≥ 1.5×' },
    },
    { id: 'parser-stream-json', label: 'fetch + EventSourceParserStream + JSON.parse', versus: 'anywire' },
    // The transport under the Node entry: its ratio is the Node entry's, like for like.
    {
      id: 'node-http-createParser-json',
      label: 'node:http + createParser + JSON.parse',
      versus: 'anywire-node',
      reference: true,
      note: 'vs anywire, Node entry',
    },
    {
      id: 'fetch-createParser',
      label: 'fetch + TextDecoder + createParser, no JSON.parse',
      versus: 'anywire',
      reference: true,
      note: 'parser alone: the ceiling',
    },
  ];
}

/** Runs the SSE figure. */
export async function runSseBench(ctx: BenchContext): Promise<Figure> {
  const n = ctx.smoke ? EVENTS.smoke : EVENTS.full;
  const contenders = rows(ctx).map((row) => ({ row }));
  const anywireUrl = ctx.anywire.api === undefined ? {} : { anywire: ctx.anywire.url };
  const runnable: RateContender[] = contenders
    .filter(({ row }) => row.anywire !== true || ctx.anywire.api !== undefined)
    .map(({ row }) => childRateContender('sse', row.id, { n, warmup: ctx.warmup, ports: ctx.ports, timeoutMs: 60_000, ...anywireUrl }));
  ctx.log(`sse: ${runnable.length} clients × ${ctx.rounds} rounds of ${ctx.warmup}+1 streams of ${n} events, a fresh process each`);
  // No warm-up rounds: each sample's process warms itself up.
  const { samples, errors } = await interleave(runnable, { rounds: ctx.rounds, warmup: 0 });

  return {
    id: 'sse',
    title: 'SSE events/s (JSON data)',
    unit: 'rate',
    better: 'higher',
    cpu: 'CPU µs/event',
    rows: rowsFrom(contenders, samples, errors, new Map(runnable.map((c) => [c.id, c.cpu]))),
    notes: [
      `${n.toLocaleString('en')} events per stream, each \`id: i\` + \`data: {"sym":"ABC","px":123.45,"t":…}\`, served from a pre-built buffer in 64 KiB writes by a separate process.`,
      `Each sample is a fresh process running one client: ${ctx.warmup} untimed stream(s), a full GC, then one timed stream, from the request to the last event. CPU µs/event is that process's CPU time (user + system, all threads) over the timed stream ÷ events.`,
      `Median of ${ctx.rounds} interleaved rounds (each client once per round, order rotating). Ratios are anywire's median ÷ the peer's median, from the same run.`,
      "anywire (sse) is the browser entry's SSE over fetch, the one the goals read against the fetch peers. anywire's Node entry (dist/node.js, what `import 'anywire'` resolves to on Node) streams over node:http when no `fetch` is passed; the node:http + createParser row's ratio is that entry's, like for like.",
    ],
  };
}
