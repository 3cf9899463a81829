/**
 * Heap per idle connection: each client kind runs in its own process (lib/memory-client.ts, with
 * --expose-gc), opens K idle connections to the server process and reports heapUsed growth ÷ K.
 * Kinds are interleaved across rounds like the throughput figures.
 */

import { firstMessage, spawnTs } from './lib/children.js';
import { anywireNote, type BenchContext } from './lib/context.js';
import { type Figure, type Row, rowsFrom } from './lib/figure.js';
import type { Kind, MemoryResult } from './lib/memory-kinds.js';
import { type Contender, interleave } from './lib/stats.js';

/** Idle connections per measurement. */
const CONNECTIONS = { full: 2_000, smoke: 100 } as const;

/** 2 KB, read as 2,000 bytes (see lib/format.ts). */
const OVERHEAD_GOAL = { kind: 'delta', op: '<=', target: 2_000, text: '≤ +2 kB' } as const;

interface MemoryContender {
  kind: Kind;
  row: Omit<Row, 'samples'>;
}

function measure(kind: Kind, connections: number, ctx: BenchContext): Promise<number> {
  const child = spawnTs(new URL('./lib/memory-client.ts', import.meta.url), {
    nodeFlags: ['--expose-gc'],
    args: [kind, String(connections), JSON.stringify(ctx.ports)],
  });
  child.stdout?.pipe(process.stderr);
  return firstMessage(child, (m) => (m as { memory?: MemoryResult } | null)?.memory?.heapPerConnection, 120_000);
}

/** Runs the memory figure. */
export async function runMemoryBench(ctx: BenchContext): Promise<Figure> {
  const k = ctx.smoke ? CONNECTIONS.smoke : CONNECTIONS.full;
  const note = anywireNote(ctx);
  const contenders: MemoryContender[] = [
    { kind: 'anywire-sse', row: { id: 'anywire-sse', label: 'anywire (sse)', anywire: true, note } },
    { kind: 'anywire-ws', row: { id: 'anywire-ws', label: 'anywire (websocket)', anywire: true, note } },
    {
      kind: 'ws',
      row: { id: 'ws', label: 'raw `ws`', versus: 'anywire-ws', goal: OVERHEAD_GOAL, note: 'the transport under anywire (websocket)' },
    },
    {
      kind: 'fetch-createParser',
      row: {
        id: 'fetch-createParser',
        label: 'fetch + createParser',
        versus: 'anywire-sse',
        goal: OVERHEAD_GOAL,
        note: 'the transport under anywire (sse)',
      },
    },
    { kind: 'eventsource', row: { id: 'eventsource', label: '`eventsource`', versus: 'anywire-sse' } },
    {
      kind: 'node-http-createParser',
      row: { id: 'node-http-createParser', label: 'node:http + createParser', versus: 'anywire-sse', reference: true },
    },
  ];

  const runnable: Contender[] = contenders
    .filter(({ row }) => row.anywire !== true || ctx.anywire.api !== undefined)
    .map(({ kind, row }) => ({ id: row.id, run: () => measure(kind, k, ctx) }));
  ctx.log(`memory: ${runnable.length} kinds × ${ctx.rounds} rounds of ${k} idle connections, one process each`);
  // No warm-up round: every measurement is a fresh process that warms itself up.
  const { samples, errors } = await interleave(runnable, { rounds: ctx.rounds, warmup: 0 });

  return {
    id: 'memory',
    title: 'Heap per idle connection',
    unit: 'bytes',
    better: 'lower',
    rows: rowsFrom(contenders, samples, errors),
    notes: [
      `${k.toLocaleString('en')} idle connections per measurement (SSE: \`/idle-sse\`, a comment every 10 s; WebSocket: \`/idle-ws\`), each kind in its own \`node --expose-gc\` process.`,
      'heapUsed after a full GC, after opening them, minus heapUsed after a full GC with 20 warm connections open; ÷ K. Off-heap memory (socket buffers) is not counted.',
      `Median of ${ctx.rounds} interleaved rounds. For anywire the goal is its own cost on top of the transport under it: anywire (sse) − fetch + createParser, anywire (websocket) − raw \`ws\`.`,
    ],
  };
}
