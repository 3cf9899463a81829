/**
 * Micro-benchmark: what src/transports/sse-parser.ts costs over eventsource-parser's bare `createParser` on
 * the hot path, 200,000 small JSON events in ~16 KB chunks, with and without ids (and two more
 * shapes: the id after the data, and CRLF line endings, which the layer rewrites to LF).
 *
 * Each workload runs twice: with a handler that only counts (the parsers alone), and with one that
 * `JSON.parse`s every event's data, as a real client does. The chunks are the stream's UTF-8 cut
 * every 16,384 bytes and decoded with a streaming TextDecoder, as the SSE transport feeds them.
 * Every contender runs once per round in a rotating order, and the figure is the median of the
 * rounds (bench/lib/stats.ts). `createParser` here is bench/node_modules' copy of
 * eventsource-parser 3.1.1, byte-identical to the one src/ uses, so the two do not share the JIT's
 * type feedback.
 *
 * Run `npx tsx bench/sse-parser.ts`.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createParser } from 'eventsource-parser';
import { createSseParser } from '../src/transports/sse-parser.js';
import { formatRatio, markdownTable } from './lib/format.js';
import { interleave, median } from './lib/stats.js';

/** One stream shape: its name and how to write the event numbered `n`. */
export interface Workload {
  name: string;
  event(n: number): string;
}

const json = (n: number): string => `{"seq":${n},"type":"tick","price":${(n % 997) / 10},"ok":true}`;

/** The stream shapes measured. */
export const WORKLOADS: readonly Workload[] = [
  { name: 'data only', event: (n) => `data: ${json(n)}\n\n` },
  { name: 'id + data', event: (n) => `id: ${n}\ndata: ${json(n)}\n\n` },
  { name: 'data + id (id last)', event: (n) => `data: ${json(n)}\nid: ${n}\n\n` },
  { name: 'id + data, CRLF', event: (n) => `id: ${n}\r\ndata: ${json(n)}\r\n\r\n` },
];

/** What the handler does with each event's data. */
export type HandlerWork = 'count' | 'JSON.parse';

/** Options of {@link runSseParserBench}. */
export interface SseBenchOptions {
  /** Events per stream. @defaultValue `200000` */
  events?: number;
  /** Bytes per chunk; the cuts fall mid-line. @defaultValue `16384` */
  chunkSize?: number;
  /** Measured rounds. @defaultValue `5` */
  rounds?: number;
  /** Unmeasured rounds first, so both parsers are optimised. @defaultValue `2` */
  warmup?: number;
  /** The handlers to measure with. @defaultValue `['count', 'JSON.parse']` */
  work?: readonly HandlerWork[];
}

/** One workload and handler: the medians. */
export interface SseBenchRow {
  /** {@link Workload.name}. */
  workload: string;
  /** What the handler did per event. */
  work: HandlerWork;
  /** Chunks fed per run. */
  chunks: number;
  /** Median ms per run of bare `createParser`. */
  rawMs: number;
  /** Median ms per run of `createSseParser`. */
  wrapperMs: number;
  /** `wrapperMs / rawMs`: 1.05 means 5% slower. */
  ratio: number;
}

/** The stream's UTF-8, cut every `size` bytes and decoded as a fetch body is (flat strings). */
function cut(text: string, size: number): string[] {
  const bytes = new TextEncoder().encode(text);
  const decoder = new TextDecoder();
  const chunks: string[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(decoder.decode(bytes.subarray(i, i + size), { stream: true }));
  return chunks;
}

/** Feeds every chunk to a fresh parser; returns the ms taken, after checking every event arrived. */
function time(parser: 'raw' | 'wrapper', work: HandlerWork, chunks: readonly string[], events: number): number {
  let count = 0;
  let sum = 0;
  const handle =
    work === 'count'
      ? (data: string): void => {
          count++;
          sum += data.length;
        }
      : (data: string): void => {
          count++;
          sum += (JSON.parse(data) as { seq: number }).seq;
        };
  const started = performance.now();
  const p =
    parser === 'raw'
      ? createParser({ onEvent: (e) => handle(e.data) })
      : createSseParser({ onEvent: (_id, _event, data) => handle(data), onPosition: () => {}, onRetry: () => {} });
  for (const chunk of chunks) p.feed(chunk);
  const ms = performance.now() - started;
  if (count !== events || sum === 0) throw new Error(`${parser}: ${count} of ${events} events`);
  return ms;
}

/** Runs every workload and handler through both parsers in interleaved rounds. */
export async function runSseParserBench(options: SseBenchOptions = {}): Promise<SseBenchRow[]> {
  const { events = 200_000, chunkSize = 16_384, rounds = 5, warmup = 2, work = ['count', 'JSON.parse'] } = options;
  const cases = work.flatMap((w) =>
    WORKLOADS.map((workload) => {
      let text = '';
      for (let n = 0; n < events; n++) text += workload.event(n);
      return { id: `${workload.name} / ${w}`, workload: workload.name, work: w, chunks: cut(text, chunkSize) };
    }),
  );
  const contenders = cases.flatMap((c) =>
    (['raw', 'wrapper'] as const).map((parser) => ({
      id: `${c.id} / ${parser}`,
      run: async (): Promise<number> => time(parser, c.work, c.chunks, events),
    })),
  );
  const { samples, errors } = await interleave(contenders, { rounds, warmup });
  if (errors.size > 0) throw new Error([...errors].map(([id, message]) => `${id}: ${message}`).join('; '));
  return cases.map((c) => {
    const rawMs = median(samples.get(`${c.id} / raw`) ?? []);
    const wrapperMs = median(samples.get(`${c.id} / wrapper`) ?? []);
    return { workload: c.workload, work: c.work, chunks: c.chunks.length, rawMs, wrapperMs, ratio: wrapperMs / rawMs };
  });
}

/** `npx tsx bench/sse-parser.ts`: print the table. */
async function main(): Promise<void> {
  const options = { events: 200_000, rounds: 5 };
  const rows = await runSseParserBench(options);
  const table = markdownTable(
    ['workload', 'handler', 'chunks', 'createParser', 'createSseParser', 'ratio'],
    rows.map((r) => [
      r.workload,
      r.work,
      String(r.chunks),
      `${r.rawMs.toFixed(1)} ms`,
      `${r.wrapperMs.toFixed(1)} ms`,
      formatRatio(r.ratio),
    ]),
  );
  console.log(
    `${options.events.toLocaleString('en')} events per run, 16 KB chunks, median of ${options.rounds} interleaved rounds, node ${process.version}\n\n${table}`,
  );
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
