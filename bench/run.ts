/**
 * `npm run bench` / `npm run bench:smoke`: starts the servers in their own process, runs every
 * figure (bundle size, SSE and WebSocket throughput, idle memory, plus the optional benchmarks
 * other files provide), prints the goals and the tables, and on a full run rewrites
 * docs/benchmarks.md and docs/benchmarks.svg.
 *
 *   tsx bench/run.ts [--smoke] [--only=size,sse,ws,memory,delta,storm,sse-parser] [--rounds=N] [--no-write]
 *
 * The smoke run uses tiny counts and checks that the harness runs; it asserts no throughput. Any
 * run exits non-zero when a client fails (as opposed to being slow) or the deadline passes.
 */

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { measureSizes } from '../scripts/size.js';
import { type LoadedAnywire, loadAnywire } from './lib/anywire.js';
import type { BenchContext } from './lib/context.js';
import { type Figure, figureMarkdown, goalsMarkdown } from './lib/figure.js';
import { markdownTable } from './lib/format.js';
import { currentLoad, describeMachine } from './lib/machine.js';
import { type ExtraSection, writeReport } from './lib/report.js';
import { startServers } from './lib/servers.js';
import { runMemoryBench } from './memory.js';
import { runSseBench } from './sse.js';
import { runWsBench } from './ws.js';

const FIGURES = ['size', 'sse', 'ws', 'memory'] as const;

/**
 * Benchmarks that live in their own files, run when the file exists. Each export is called with
 * the {@link BenchContext} (or `options(ctx)` when given) and may return a {@link Figure} (added to
 * the tables and the chart), a Markdown string, `{ markdown }`, or rows that the module's own
 * `formatTable(rows)` turns into Markdown.
 */
const OPTIONAL = [
  { key: 'delta', file: './delta.ts', exports: ['runDeltaBench'], title: 'JSON Patch deltas' },
  {
    key: 'storm',
    file: './storm.ts',
    exports: ['runStorm'],
    title: 'Reconnect storm (simulation)',
    // StormOptions: in a smoke run, fewer simulated clients.
    options: (ctx: BenchContext): unknown => (ctx.smoke ? { clients: 1_000 } : {}),
  },
  {
    key: 'sse-parser',
    file: './sse-parser.ts',
    exports: ['runSseParserBench'],
    title: 'SSE parser layer vs bare createParser',
    // SseBenchOptions: the run's rounds; in a smoke run, short streams.
    options: (ctx: BenchContext): unknown => ({ rounds: ctx.rounds, warmup: ctx.warmup, ...(ctx.smoke ? { events: 2_000 } : {}) }),
  },
] as const;

interface Args {
  smoke: boolean;
  only: Set<string> | undefined;
  rounds: number | undefined;
  write: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { smoke: false, only: undefined, rounds: undefined, write: true };
  for (const arg of argv) {
    if (arg === '--smoke') args.smoke = true;
    else if (arg === '--no-write') args.write = false;
    else if (arg.startsWith('--only=')) args.only = new Set(arg.slice('--only='.length).split(','));
    else if (arg.startsWith('--rounds=')) args.rounds = Number(arg.slice('--rounds='.length));
    else throw new Error(`unknown argument ${arg}; see the comment at the top of bench/run.ts`);
  }
  return args;
}

function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

/** Rows of plain objects as a table, one column per key; fractions to three decimals. */
function objectsTable(rows: readonly Record<string, unknown>[]): string {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown): string => (typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(3) : String(v ?? ''));
  return markdownTable(
    keys,
    rows.map((r) => keys.map((k) => cell(r[k]))),
  );
}

/** Adapts whatever an optional benchmark returns into a figure or a Markdown section. */
function adaptResult(result: unknown, mod: Record<string, unknown>, title: string): Figure | ExtraSection {
  if (typeof result === 'string') return { title, markdown: result };
  if (result !== null && typeof result === 'object') {
    if ('rows' in result && 'unit' in result && 'title' in result) return result as Figure;
    if ('markdown' in result && typeof result.markdown === 'string') return { title, markdown: result.markdown };
    const formatTable = mod.formatTable;
    if (Array.isArray(result) && typeof formatTable === 'function') {
      return { title, markdown: String(formatTable(result)) };
    }
    if (Array.isArray(result) && result.every((r) => r !== null && typeof r === 'object')) {
      return { title, markdown: objectsTable(result as Record<string, unknown>[]) };
    }
  }
  return { title, markdown: `\`\`\`json\n${JSON.stringify(result, null, 2)}\n\`\`\`` };
}

async function runOptional(spec: (typeof OPTIONAL)[number], ctx: BenchContext): Promise<Figure | ExtraSection> {
  const url = new URL(spec.file, import.meta.url);
  if (!existsSync(fileURLToPath(url))) {
    log(`${spec.key}: skipped, ${spec.file} is not there yet`);
    return { title: spec.title, markdown: `Not run: bench/${spec.file.slice(2)} is missing.` };
  }
  const mod = (await import(url.href)) as Record<string, unknown>;
  const name = spec.exports.find((e) => typeof mod[e] === 'function');
  const fn = name === undefined ? undefined : (mod[name] as (arg: unknown) => unknown);
  if (fn === undefined) {
    log(`${spec.key}: skipped, ${spec.file} exports none of ${spec.exports.join(', ')}`);
    return { title: spec.title, markdown: `Not run: bench/${spec.file.slice(2)} exports none of ${spec.exports.join(', ')}.` };
  }
  log(`${spec.key}: running ${name}()`);
  const arg = 'options' in spec ? spec.options(ctx) : ctx;
  return adaptResult(await fn(arg), mod, spec.title);
}

function failures(figures: readonly Figure[], extras: readonly ExtraSection[]): string[] {
  const failed: string[] = [];
  for (const f of figures) {
    for (const r of f.rows) if (r.note?.includes('failed:')) failed.push(`${f.title} / ${r.label}: ${r.note}`);
  }
  for (const e of extras) if (e.markdown.startsWith('Failed:')) failed.push(`${e.title}: ${e.markdown}`);
  return failed;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const loadAtStart = currentLoad();
  if (loadAtStart > 0.5) log(`load average ${loadAtStart.toFixed(2)}: the machine is busy, expect noisy numbers`);
  const wanted = (key: string): boolean => args.only === undefined || args.only.has(key);
  const rounds = args.rounds ?? (args.smoke ? 1 : 5);
  // Bounded: a smoke run must leave room for `npm ci` inside CI's minute.
  const deadline = setTimeout(
    () => {
      log('deadline passed; stopping');
      process.exit(3);
    },
    args.smoke ? 45_000 : 30 * 60_000,
  );
  deadline.unref();

  const anywire: LoadedAnywire = await loadAnywire();
  log(anywire.api ? `anywire from ${anywire.from}` : `anywire not loaded, its rows are TODO: ${anywire.why}`);

  const figures: Figure[] = [];
  const extras: ExtraSection[] = [];
  if (wanted('size')) figures.push(await measureSizes(log));

  const needsServers = FIGURES.some((f) => f !== 'size' && wanted(f)) || OPTIONAL.some((o) => wanted(o.key));
  const servers = needsServers ? await startServers() : undefined;
  try {
    const ctx: BenchContext = {
      ports: servers?.ports ?? { sse: 0, ws: 0, socketio: 0, centrifuge: 0 },
      anywire,
      smoke: args.smoke,
      rounds,
      warmup: args.smoke ? 0 : 1,
      log,
    };
    if (wanted('sse')) figures.push(await runSseBench(ctx));
    if (wanted('ws')) figures.push(await runWsBench(ctx));
    if (wanted('memory')) figures.push(await runMemoryBench(ctx));
    for (const spec of OPTIONAL) {
      if (!wanted(spec.key)) continue;
      try {
        const out = await runOptional(spec, ctx);
        if ('rows' in out) figures.push(out);
        else extras.push(out);
      } catch (error) {
        extras.push({ title: spec.title, markdown: `Failed: ${error instanceof Error ? error.message : String(error)}` });
      }
    }
  } finally {
    await servers?.stop();
  }

  // The goals first, as in docs/benchmarks.md, so a smoke or partial run shows them too.
  console.log(`### Goals\n\n${goalsMarkdown(figures)}\n`);
  for (const figure of figures) console.log(`${figureMarkdown(figure)}\n`);
  for (const extra of extras) console.log(`### ${extra.title}\n\n${extra.markdown}\n`);

  const write = args.write && !args.smoke && args.only === undefined;
  if (write) {
    await writeReport({
      figures,
      extras,
      machine: describeMachine(loadAtStart),
      anywireFrom: anywire.api ? anywire.from : `not measured (${anywire.why})`,
      rounds,
    });
    log('wrote docs/benchmarks.md and docs/benchmarks.svg');
  } else {
    log('docs/ left alone (smoke, --only or --no-write)');
  }

  const failed = failures(figures, extras);
  for (const f of failed) log(`FAILED ${f}`);
  clearTimeout(deadline);
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
