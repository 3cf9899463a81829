/**
 * Heap per idle connection: each client kind runs in its own plain `node --expose-gc` process
 * (lib/memory-client.ts bundled to plain JavaScript, lib/bundle.ts says why), opens K idle
 * connections to the server process and reports heapUsed growth ÷ K. Kinds are interleaved across
 * rounds like the throughput figures.
 */

import { spawnBundled } from './lib/bundle.js';
import { firstMessage, stopChild } from './lib/children.js';
import { anywireNote, type BenchContext } from './lib/context.js';
import { type Figure, type Goal, type Row, rowsFrom } from './lib/figure.js';
import type { Kind, MemoryResult } from './lib/memory-kinds.js';
import { type Contender, interleave } from './lib/stats.js';

/** Idle connections per measurement: the goals are read at 1,500. */
const CONNECTIONS = { full: 1_500, smoke: 100 } as const;

/** anywire's own heap per idle subscription above the transport under it: 3 kB, read as 3,000 bytes (see lib/format.ts). */
const OVERHEAD_GOAL: Goal = { kind: 'delta', op: '<=', target: 3_000, text: '≤ +3 kB' };

/** The Node entry's heap per idle SSE subscription, everything included. */
const NODE_ENTRY_GOAL: Goal = { kind: 'absolute', op: '<=', target: 12_000, text: '≤ 12 kB' };

interface MemoryContender {
  kind: Kind;
  row: Omit<Row, 'samples'>;
}

async function measure(kind: Kind, connections: number, ctx: BenchContext): Promise<number> {
  const child = await spawnBundled(new URL('./lib/memory-client.ts', import.meta.url), {
    nodeFlags: ['--expose-gc'],
    args: [kind, String(connections), JSON.stringify(ctx.ports)],
    ...(ctx.anywire.api === undefined ? {} : { anywire: ctx.anywire.url }),
  });
  child.stdout?.pipe(process.stderr);
  try {
    return await firstMessage(child, (m) => (m as { memory?: MemoryResult } | null)?.memory?.heapPerConnection, 120_000);
  } finally {
    await stopChild(child);
  }
}

/** The rows, goals in the order; every peer reads as anywire's heap minus its own. */
function contenders(ctx: BenchContext): MemoryContender[] {
  const note = anywireNote(ctx);
  const nodeNote = ctx.anywire.api === undefined ? note : `${note.replace(/index(\.[jt]s)/, 'node$1')}, no \`fetch\` passed`;
  return [
    { kind: 'anywire-sse', row: { id: 'anywire-sse', label: 'anywire (sse over fetch)', anywire: true, note } },
    { kind: 'anywire-ws', row: { id: 'anywire-ws', label: 'anywire (websocket)', anywire: true, note } },
    {
      kind: 'fetch-createParser',
      row: {
        id: 'fetch-createParser',
        label: 'fetch + createParser',
        versus: 'anywire-sse',
        goal: OVERHEAD_GOAL,
        note: 'the transport under anywire (sse over fetch)',
      },
    },
    {
      kind: 'ws',
      row: {
        id: 'ws',
        label: 'raw `ws`',
        versus: 'anywire-ws',
        goal: OVERHEAD_GOAL,
        note: 'the transport under anywire (websocket)',
      },
    },
    { kind: 'eventsource', row: { id: 'eventsource', label: '`eventsource`', versus: 'anywire-sse', compare: 'delta' } },
    {
      kind: 'anywire-node',
      row: { id: 'anywire-node', label: 'anywire, Node entry (sse over node:http)', anywire: true, goal: NODE_ENTRY_GOAL, note: nodeNote },
    },
    {
      kind: 'node-http-createParser',
      row: {
        id: 'node-http-createParser',
        label: 'node:http + createParser',
        versus: 'anywire-node',
        compare: 'delta',
        reference: true,
        note: "the transport under anywire's Node entry",
      },
    },
  ];
}

/** Runs the memory figure. */
export async function runMemoryBench(ctx: BenchContext): Promise<Figure> {
  const k = ctx.smoke ? CONNECTIONS.smoke : CONNECTIONS.full;
  const all = contenders(ctx);
  const runnable: Contender[] = all
    .filter(({ row }) => row.anywire !== true || ctx.anywire.api !== undefined)
    .map(({ kind, row }) => ({ id: row.id, run: () => measure(kind, k, ctx) }));
  ctx.log(`memory: ${runnable.length} kinds × ${ctx.rounds} rounds of ${k} idle connections, a plain node process each`);
  // No warm-up round: every measurement is a fresh process that warms itself up.
  const { samples, errors } = await interleave(runnable, { rounds: ctx.rounds, warmup: 0 });

  return {
    id: 'memory',
    title: 'Heap per idle connection',
    unit: 'bytes',
    better: 'lower',
    rows: rowsFrom(all, samples, errors),
    notes: [
      `${k.toLocaleString('en')} idle connections per measurement (SSE: \`/idle-sse\`, a comment on opening and every 10 s; WebSocket: \`/idle-ws\`). Each kind runs in its own plain \`node --expose-gc\` process on plain JavaScript (bench/lib/memory-client.ts bundled by esbuild, no TypeScript loader) with anywire from the built module, so the heap is what a user's process holds.`,
      'heapUsed after a full GC, after opening them, minus heapUsed after a full GC with 20 warm connections open; ÷ K. Off-heap memory (socket buffers) is not counted.',
      `Median of ${ctx.rounds} interleaved rounds. "anywire vs it" is anywire's heap minus the peer's. The goal for anywire (sse over fetch) and anywire (websocket) is their own cost on top of the transport under them, ≤ +3 kB: anywire (sse over fetch) − fetch + createParser, anywire (websocket) − raw \`ws\`.`,
      "anywire's Node entry (dist/node.js, what `import 'anywire'` resolves to on Node) streams SSE over node:http when no `fetch` is passed: `subscribe({ url, transport: 'sse' })`. Its goal is absolute, ≤ 12 kB per idle SSE subscription in all; its cost over node:http + createParser, the transport under it, is shown beside that row.",
    ],
  };
}
