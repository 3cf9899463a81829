/**
 * SSE events/s end to end: a client connects to the server process, receives N events of small
 * JSON, and hands each event's parsed data to the app. Every client does the same JSON.parse of
 * `data`; the time runs from the request to the last event.
 */

import { get } from 'node:http';
import { EventSource } from 'eventsource';
import { createParser } from 'eventsource-parser';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { anywireOptions, consumeAnywire } from './lib/anywire.js';
import { anywireNote, type BenchContext } from './lib/context.js';
import { type Figure, type Row, rowsFrom } from './lib/figure.js';
import { rateContender } from './lib/rate.js';
import { type Contender, interleave } from './lib/stats.js';

/** Events per stream: long enough that connection setup is noise. */
const EVENTS = { full: 300_000, smoke: 2_000 } as const;

type Client = (url: string, n: number, signal: AbortSignal) => Promise<unknown>;

/** fetch + TextDecoder + eventsource-parser's createParser, optionally JSON.parse per event. */
function viaCreateParser(parse: boolean): Client {
  return async (url, n, signal) => {
    let count = 0;
    let last: unknown;
    const parser = createParser({
      onEvent: (event) => {
        last = parse ? JSON.parse(event.data) : event.data;
        count++;
      },
    });
    const res = await fetch(url, { signal });
    if (res.body === null) throw new Error('no body');
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
    }
    if (count !== n) throw new Error(`got ${count} of ${n} events`);
    return parse ? last : JSON.parse(last as string);
  };
}

/** fetch + TextDecoderStream + EventSourceParserStream, JSON.parse per event. */
const viaParserStream: Client = async (url, n, signal) => {
  let count = 0;
  let last: unknown;
  const res = await fetch(url, { signal });
  if (res.body === null) throw new Error('no body');
  const reader = res.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    last = JSON.parse(value.data);
    count++;
  }
  if (count !== n) throw new Error(`got ${count} of ${n} events`);
  return last;
};

/** node:http + createParser + JSON.parse: the leanest Node-only stack (reference). */
const viaNodeHttp: Client = (url, n, signal) =>
  new Promise((resolve, reject) => {
    let count = 0;
    let last: unknown;
    const parser = createParser({
      onEvent: (event) => {
        last = JSON.parse(event.data);
        count++;
      },
    });
    const req = get(url, { signal }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => parser.feed(chunk));
      res.on('end', () => (count === n ? resolve(last) : reject(new Error(`got ${count} of ${n} events`))));
      res.on('error', reject);
    });
    req.on('error', reject);
  });

/** The `eventsource` package (WHATWG EventSource on fetch), JSON.parse in `onmessage`. */
const viaEventSource: Client = (url, n, signal) =>
  new Promise((resolve, reject) => {
    let count = 0;
    const es = new EventSource(url);
    const fail = (error: Error): void => {
      es.close();
      reject(error);
    };
    signal.addEventListener('abort', () => fail(new Error('aborted')), { once: true });
    es.onmessage = (event) => {
      const data: unknown = JSON.parse(event.data);
      if (++count === n) {
        es.close();
        resolve(data);
      }
    };
    // The server ends the stream after N events; an error before that is a failure.
    es.onerror = (event) => fail(new Error(`eventsource error after ${count} events: ${event.message ?? ''}`));
  });

interface SseContender {
  row: Omit<Row, 'samples'>;
  client: Client | undefined;
}

/** Runs the SSE figure. */
export async function runSseBench(ctx: BenchContext): Promise<Figure> {
  const n = ctx.smoke ? EVENTS.smoke : EVENTS.full;
  const url = `http://127.0.0.1:${ctx.ports.sse}/sse?n=${n}`;
  const { api } = ctx.anywire;
  const anywireClient: Client | undefined =
    api === undefined ? undefined : (u, count, signal) => consumeAnywire(api, anywireOptions.sse(u), count, signal);

  const contenders: SseContender[] = [
    {
      row: { id: 'anywire', label: 'anywire (sse)', anywire: true, note: anywireNote(ctx) },
      client: anywireClient,
    },
    {
      row: {
        id: 'fetch-createParser-json',
        label: 'fetch + TextDecoder + createParser + JSON.parse',
        versus: 'anywire',
        goal: { kind: 'ratio', op: '>=', target: 0.9, text: '≥ 0.9×' },
      },
      client: viaCreateParser(true),
    },
    {
      row: {
        id: 'eventsource-json',
        label: '`eventsource` + JSON.parse',
        versus: 'anywire',
        goal: { kind: 'ratio', op: '>=', target: 1.5, text: '≥ 1.5×' },
      },
      client: viaEventSource,
    },
    {
      row: { id: 'parser-stream-json', label: 'fetch + EventSourceParserStream + JSON.parse', versus: 'anywire' },
      client: viaParserStream,
    },
    {
      row: { id: 'node-http-createParser-json', label: 'node:http + createParser + JSON.parse', versus: 'anywire', reference: true },
      client: viaNodeHttp,
    },
    {
      row: {
        id: 'fetch-createParser',
        label: 'fetch + TextDecoder + createParser, no JSON.parse',
        versus: 'anywire',
        reference: true,
        note: 'parser alone: the ceiling',
      },
      client: viaCreateParser(false),
    },
  ];

  const runnable: Contender[] = [];
  for (const { row, client } of contenders) {
    if (client === undefined) continue;
    runnable.push(rateContender(row.id, row.label, n, 60_000, (signal) => client(url, n, signal)));
  }
  ctx.log(`sse: ${runnable.length} clients × ${ctx.warmup}+${ctx.rounds} rounds of ${n} events`);
  const { samples, errors } = await interleave(runnable, { rounds: ctx.rounds, warmup: ctx.warmup });

  return {
    id: 'sse',
    title: 'SSE events/s (JSON data)',
    unit: 'rate',
    better: 'higher',
    rows: rowsFrom(contenders, samples, errors),
    notes: [
      `${n.toLocaleString('en')} events per stream, each \`id: i\` + \`data: {"sym":"ABC","px":123.45,"t":…}\`, served from a pre-built buffer in 64 KiB writes by a separate process.`,
      `Median of ${ctx.rounds} interleaved rounds after ${ctx.warmup} warm-up round(s); full GC before each stream. Ratios are anywire's median ÷ the peer's median, from the same run.`,
    ],
  };
}
