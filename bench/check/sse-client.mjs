// @ts-check
/**
 * One SSE client run for bench/check/sse-independent.ts, in plain JavaScript for plain `node` (no
 * TypeScript loader, nothing shared with bench/lib): what a user's process runs.
 *
 *   node --expose-gc bench/check/sse-client.mjs <fetch|eventsource|anywire|anywire-node> <url> <n> <warm-up streams>
 *
 * anywire comes from `$ANYWIRE_DIST` (a dist/ directory; default: this repository's dist/):
 * `anywire` is index.js's `createSubscribe({ transports: [sse] })`, SSE over fetch; `anywire-node`
 * is node.js's `subscribe` (the entry Node resolves), which streams SSE over node:http.
 *
 * Receives `warm` unmeasured streams, then one measured stream, and prints one JSON line:
 * `{ who, n, ms, cpuUs }`: wall time from the request to the n-th event, and this process's CPU
 * time (user + system, all threads) over the same span.
 */

import { pathToFileURL } from 'node:url';
import { EventSource } from 'eventsource';
import { createParser } from 'eventsource-parser';

const T0 = 1_700_000_000_000;

/** fetch + getReader + one TextDecoder (stream: true) + createParser + JSON.parse in onEvent. */
async function viaFetch(url, n) {
  let count = 0;
  let last;
  const parser = createParser({
    onEvent(event) {
      last = JSON.parse(event.data);
      count++;
    },
  });
  const response = await fetch(url);
  if (!response.ok || response.body === null) throw new Error(`HTTP ${response.status}`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.feed(decoder.decode(value, { stream: true }));
  }
  if (count !== n) throw new Error(`fetch: ${count} of ${n} events`);
  return last;
}

/** The `eventsource` package, JSON.parse in onmessage, closed at the n-th event. */
function viaEventSource(url, n) {
  return new Promise((resolve, reject) => {
    let count = 0;
    const es = new EventSource(url);
    es.onmessage = (event) => {
      const data = JSON.parse(event.data);
      if (++count === n) {
        es.close();
        resolve(data);
      }
    };
    es.onerror = () => {
      es.close();
      reject(new Error(`eventsource: error after ${count} of ${n} events`));
    };
  });
}

/** Where anywire's build is: a dist/ directory. */
const DIST = process.env.ANYWIRE_DIST
  ? pathToFileURL(process.env.ANYWIRE_DIST.replace(/\/?$/, '/'))
  : new URL('../../dist/', import.meta.url);

/** Resolves after the n-th message of a subscription, with its data; closes the subscription. */
function consume(subscribe, url, n) {
  return new Promise((resolve, reject) => {
    let count = 0;
    const sub = subscribe({ url, transport: 'sse', reconnect: false });
    sub.on('message', (message) => {
      if (++count === n) {
        sub.close();
        resolve(message.data);
      }
    });
    sub.on('error', (error) => {
      sub.close();
      reject(error);
    });
  });
}

/** anywire as published for browsers and everywhere (dist/index.js), SSE only: over fetch. */
async function anywireClient() {
  const { createSubscribe, sse } = await import(new URL('index.js', DIST).href);
  const subscribe = createSubscribe({ transports: [sse] });
  return (url, n) => consume(subscribe, url, n);
}

/** anywire's Node entry (dist/node.js), its default `subscribe`: SSE over node:http. */
async function anywireNodeClient() {
  const { subscribe } = await import(new URL('node.js', DIST).href);
  return (url, n) => consume(subscribe, url, n);
}

const [who, url, nText, warmText] = process.argv.slice(2);
const n = Number(nText);
const warm = Number(warmText ?? 1);
const clients = {
  fetch: async () => viaFetch,
  eventsource: async () => viaEventSource,
  anywire: anywireClient,
  'anywire-node': anywireNodeClient,
};
const make = clients[/** @type {keyof typeof clients} */ (who)];
if (make === undefined || url === undefined || !(n > 0))
  throw new Error('usage: sse-client.mjs <fetch|eventsource|anywire|anywire-node> <url> <n> [warm]');
const client = await make();

for (let i = 0; i < warm; i++) await client(url, n);
/** @type {() => void} */ (globalThis.gc)?.();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const last = await client(url, n);
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
if (last?.t !== T0 + n - 1) throw new Error(`${who}: last event t=${last?.t}, expected ${T0 + n - 1}`);
process.stdout.write(`${JSON.stringify({ who, n, ms, cpuUs: cpu.user + cpu.system })}\n`);
// Nothing keeps the loop alive after close; exit anyway so a lingering socket cannot hold the run.
process.exit(0);
