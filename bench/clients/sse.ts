/**
 * The SSE clients of bench/sse.ts: each receives N events of small JSON and ends with the last
 * event's parsed data. Each peer is the fastest straightforward code for its stack: one reader,
 * one TextDecoder in stream mode, JSON.parse in the event callback, nothing else per event.
 */

import { get } from 'node:http';
import { EventSource } from 'eventsource';
import { createParser } from 'eventsource-parser';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { type AnywireEntry, anywireOptions, consumeAnywire, loadAnywire } from '../lib/anywire.js';
import type { ServerPorts } from '../servers/main.js';
import type { ClientFactory } from './client.js';

function streamUrl(ports: ServerPorts, n: number): string {
  return `http://127.0.0.1:${ports.sse}/sse?n=${n}`;
}

/** fetch + getReader + TextDecoder + eventsource-parser's createParser, JSON.parse per event. */
const fetchCreateParserJson: ClientFactory = (ports) => async (n) => {
  let count = 0;
  let last: unknown;
  const parser = createParser({
    onEvent(event) {
      last = JSON.parse(event.data);
      count++;
    },
  });
  const response = await fetch(streamUrl(ports, n));
  if (response.body === null) throw new Error('no body');
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.feed(decoder.decode(value, { stream: true }));
  }
  if (count !== n) throw new Error(`got ${count} of ${n} events`);
  return last;
};

/** The same without JSON.parse: the parser's own cost, a ceiling. Parses the last event only. */
const fetchCreateParser: ClientFactory = (ports) => async (n) => {
  let count = 0;
  let last = '';
  const parser = createParser({
    onEvent(event) {
      last = event.data;
      count++;
    },
  });
  const response = await fetch(streamUrl(ports, n));
  if (response.body === null) throw new Error('no body');
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.feed(decoder.decode(value, { stream: true }));
  }
  if (count !== n) throw new Error(`got ${count} of ${n} events`);
  return JSON.parse(last);
};

/** fetch + TextDecoderStream + EventSourceParserStream, JSON.parse per event. */
const fetchParserStreamJson: ClientFactory = (ports) => async (n) => {
  let count = 0;
  let last: unknown;
  const response = await fetch(streamUrl(ports, n));
  if (response.body === null) throw new Error('no body');
  const reader = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    last = JSON.parse(value.data);
    count++;
  }
  if (count !== n) throw new Error(`got ${count} of ${n} events`);
  return last;
};

/** node:http with setEncoding + createParser + JSON.parse: the leanest Node-only stack. */
const nodeHttpCreateParserJson: ClientFactory = (ports) => (n) =>
  new Promise((resolve, reject) => {
    let count = 0;
    let last: unknown;
    const parser = createParser({
      onEvent(event) {
        last = JSON.parse(event.data);
        count++;
      },
    });
    const req = get(streamUrl(ports, n), (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => parser.feed(chunk));
      res.on('end', () => (count === n ? resolve(last) : reject(new Error(`got ${count} of ${n} events`))));
      res.on('error', reject);
    });
    req.on('error', reject);
  });

/** The `eventsource` package (WHATWG EventSource on fetch), JSON.parse in `onmessage`. */
const eventSourceJson: ClientFactory = (ports) => (n) =>
  new Promise((resolve, reject) => {
    let count = 0;
    const es = new EventSource(streamUrl(ports, n));
    es.onmessage = (event) => {
      const data: unknown = JSON.parse(event.data);
      if (++count === n) {
        es.close();
        resolve(data);
      }
    };
    // The server ends the stream after the n-th event; an error before it is a failure.
    es.onerror = (event) => {
      es.close();
      reject(new Error(`eventsource error after ${count} events: ${event.message ?? ''}`));
    };
  });

/**
 * anywire's `subscribe`, SSE transport; anywire parses the JSON itself. From the `index` entry
 * (what browsers resolve: SSE over fetch) or the `node` entry (dist/node.js, what `import
 * 'anywire'` resolves to on Node: with no `fetch` option it streams over node:http).
 */
const anywireSse =
  (entry: AnywireEntry): ClientFactory =>
  async (ports) => {
    const loaded = await loadAnywire(entry);
    if (loaded.api === undefined) throw new Error(`anywire (${entry} entry) not loaded: ${loaded.why}`);
    const { api } = loaded;
    return (n) => consumeAnywire(api, anywireOptions.sse(streamUrl(ports, n)), n);
  };

/** Every SSE client, by the row id of bench/sse.ts. */
export const clients = {
  anywire: anywireSse('index'),
  'anywire-node': anywireSse('node'),
  'fetch-createParser-json': fetchCreateParserJson,
  'eventsource-json': eventSourceJson,
  'parser-stream-json': fetchParserStreamJson,
  'node-http-createParser-json': nodeHttpCreateParserJson,
  'fetch-createParser': fetchCreateParser,
} satisfies Record<string, ClientFactory>;
