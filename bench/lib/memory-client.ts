/**
 * One memory measurement, in its own process (spawned by bench/memory.ts with --expose-gc): opens
 * K idle connections of one client kind to the server process, and reports the heap they hold.
 *
 *   node --expose-gc memory-client.mjs <kind> <K> <ports as JSON>
 *
 * The process is a plain `node` running this file bundled to plain JavaScript (lib/bundle.ts), and
 * anywire from the module the parent loaded (`ANYWIRE_FROM`). No TypeScript loader: tsx compiles
 * with `keepNames`, whose `__name()` redefines each named function's `name` and so adds about 250
 * bytes to every such closure a connection holds (bench/check/idle-sse-node.ts), the peers' and
 * anywire's alike. The figures are what a user's process holds.
 *
 * Method: load the client's code and open WARM connections first (module state, lazy
 * initialisation and connection pools are not per-connection costs); full GC; heapUsed; open K
 * more, keeping every handle reachable; full GC; heapUsed again. Reports (after − before) ÷ K.
 */

import { get } from 'node:http';
import { EventSource } from 'eventsource';
import { createParser } from 'eventsource-parser';
import { WebSocket } from 'ws';
import type { ServerPorts } from '../servers/main.js';
import { anywireOptions, loadAnywire, openAnywire } from './anywire.js';
import { collect } from './gc.js';
import { KINDS, type Kind, type MemoryResult } from './memory-kinds.js';

/** Connections opened before the baseline. */
const WARM = 20;
/** Connections opened at once; the rest wait, so the server's accept queue never overflows. */
const BATCH = 100;

/** Opens one idle connection; resolves with something that must stay reachable. */
type Opener = () => Promise<unknown>;

async function opener(kind: Kind, ports: ServerPorts): Promise<Opener> {
  const sseUrl = `http://127.0.0.1:${ports.sse}/idle-sse`;
  const wsUrl = `ws://127.0.0.1:${ports.ws}/idle-ws`;
  const sink = (data: string): void => {
    if (data.length === 0) throw new Error('unexpected empty event');
  };
  switch (kind) {
    case 'ws':
      return () =>
        new Promise((resolve, reject) => {
          const ws = new WebSocket(wsUrl);
          ws.on('message', (data) => sink(String(data)));
          ws.once('open', () => resolve(ws));
          ws.once('error', reject);
        });
    case 'node-http-createParser':
      return () =>
        new Promise((resolve, reject) => {
          const parser = createParser({ onEvent: (e) => sink(e.data) });
          const req = get(sseUrl, (res) => {
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => parser.feed(chunk));
            res.once('data', () => resolve({ req, res, parser }));
          });
          req.once('error', reject);
        });
    case 'fetch-createParser':
      return async () => {
        const controller = new AbortController();
        const parser = createParser({ onEvent: (e) => sink(e.data) });
        const res = await fetch(sseUrl, { signal: controller.signal });
        if (res.body === null) throw new Error('no body');
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        const first = await reader.read();
        parser.feed(decoder.decode(first.value, { stream: true }));
        // Keep reading in the background, as a real client does; ends when the process exits.
        const pump = async (): Promise<void> => {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) return;
            parser.feed(decoder.decode(value, { stream: true }));
          }
        };
        pump().catch(() => {});
        return { controller, reader, parser };
      };
    case 'eventsource':
      return () =>
        new Promise((resolve, reject) => {
          const es = new EventSource(sseUrl);
          es.onmessage = (e) => sink(e.data);
          es.onopen = () => resolve(es);
          es.onerror = () => reject(new Error('eventsource failed to open'));
        });
    case 'anywire-sse':
    case 'anywire-ws':
    case 'anywire-node': {
      // anywire-node: the Node entry with no `fetch` passed, so its SSE streams over node:http.
      const loaded = await loadAnywire(kind === 'anywire-node' ? 'node' : 'index');
      if (loaded.api === undefined) throw new Error(`anywire not loaded: ${loaded.why}`);
      const api = loaded.api;
      const options = kind === 'anywire-ws' ? anywireOptions.websocket(wsUrl) : anywireOptions.sse(sseUrl);
      return () => openAnywire(api, options);
    }
  }
}

async function openMany(open: Opener, count: number, keep: unknown[]): Promise<void> {
  for (let done = 0; done < count; done += BATCH) {
    const batch = Math.min(BATCH, count - done);
    keep.push(...(await Promise.all(Array.from({ length: batch }, open))));
  }
}

async function main(): Promise<void> {
  const [kind, count, portsJson] = process.argv.slice(2);
  if (!KINDS.includes(kind as Kind) || count === undefined || portsJson === undefined) {
    throw new Error(`usage: memory-client.mjs <${KINDS.join('|')}> <K> <ports JSON>`);
  }
  const k = Number(count);
  const open = await opener(kind as Kind, JSON.parse(portsJson) as ServerPorts);
  const keep: unknown[] = [];
  await openMany(open, WARM, keep);
  await collect(4);
  const before = process.memoryUsage();
  await openMany(open, k, keep);
  await collect(4);
  const after = process.memoryUsage();
  const result: MemoryResult = {
    kind: kind as Kind,
    connections: k,
    heapPerConnection: (after.heapUsed - before.heapUsed) / k,
    externalPerConnection: (after.external - before.external) / k,
  };
  if (keep.length !== WARM + k) throw new Error('lost a connection handle');
  process.send?.({ memory: result }, () => process.exit(0));
}

// Bounded: whatever happens, this process is gone after two minutes.
setTimeout(() => {
  console.error('[memory client] deadline passed');
  process.exit(2);
}, 120_000).unref();

main().catch((error: unknown) => {
  console.error('[memory client]', error);
  process.exit(1);
});
