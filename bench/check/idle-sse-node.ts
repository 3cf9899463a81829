/**
 * Scratch check: heap per idle SSE subscription on Node, over fetch and over node:http.
 *
 *   node --expose-gc --import tsx bench/check/idle-sse-node.ts [connections=1500] [rounds=3]
 *
 * This process runs a node:http SSE server that sends only a first comment (`: ok`) and keeps
 * every stream open; each measurement is a child process of one kind (same flags) that opens WARM
 * connections, collects, reads heapUsed (the baseline), opens N more, collects, reads it again,
 * and reports (after − baseline) ÷ N. Kinds are interleaved over rounds; medians are printed.
 *
 * anywire runs from an esbuild bundle of src/node.ts (as tsup builds dist/node.js), not from
 * source through tsx: tsx compiles with `keepNames`, whose `__name()` redefines each named
 * function's `name` and so puts it in dictionary mode, about 250 bytes more per closure (measured:
 * 29 kB instead of the bundle's figure for a subscription with no I/O).
 *
 * Kinds:
 * - anywire-node:  `subscribe` from src/node.ts, no `fetch` option: SSE over node:http
 * - anywire-fetch: the same with `fetch` passed: SSE over fetch (what index.ts does everywhere)
 * - node-floor:    raw `http.get` + `res.setEncoding('utf8')` + eventsource-parser's createParser
 * - fetch-floor:   raw `fetch` + reader + TextDecoder + createParser
 * - anywire-no-io: a subscription whose `sse` transport opens and then waits, with no I/O: what
 *                  the core costs on its own, whatever the transport
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, get } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { createParser } from 'eventsource-parser';

const KINDS = ['anywire-node', 'anywire-fetch', 'anywire-no-io', 'node-floor', 'fetch-floor'] as const;
type Kind = (typeof KINDS)[number];
const WARM = 20;
/** Opened at once; the rest wait, so the server's accept queue never overflows. */
const BATCH = 100;

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc --import tsx');

async function collect(): Promise<void> {
  for (let i = 0; i < 4; i++) {
    gc?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Opens one idle connection of `kind`; resolves, once it has read the first comment, with what must stay reachable. */
async function opener(kind: Kind, url: string, bundle: string): Promise<() => Promise<unknown>> {
  const onEvent = (): void => {
    throw new Error('the idle server sent an event');
  };
  if (kind === 'node-floor') {
    return () =>
      new Promise((resolve, reject) => {
        const parser = createParser({ onEvent });
        const req = get(url, (res) => {
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => parser.feed(chunk));
          res.once('data', () => resolve({ req, res, parser }));
        });
        req.once('error', reject);
      });
  }
  if (kind === 'fetch-floor') {
    return async () => {
      const controller = new AbortController();
      const parser = createParser({ onEvent });
      const res = await fetch(url, { signal: controller.signal });
      if (res.body === null) throw new Error('no body');
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      const first = await reader.read();
      parser.feed(decoder.decode(first.value, { stream: true }));
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
  }
  const { createSubscribe, subscribe: nodeSubscribe } = createRequire(import.meta.url)(bundle) as typeof import('../../src/node.js');
  const subscribe =
    kind === 'anywire-no-io'
      ? createSubscribe({
          transports: [
            {
              name: 'sse',
              connect: (ctx) =>
                new Promise<void>((_resolve, reject) => {
                  ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
                  ctx.onOpen();
                  ctx.onActivity();
                }),
            },
          ],
        })
      : nodeSubscribe;
  const custom = (input: string, init: RequestInit): Promise<Response> => globalThis.fetch(input, init);
  return () =>
    new Promise((resolve, reject) => {
      const sub = subscribe({ url, transport: 'sse', reconnect: false, ...(kind === 'anywire-fetch' && { fetch: custom }) });
      sub.on('error', reject);
      // 'open' comes with the response head; the comment follows in the same packet, and is read
      // well before the collection that precedes the reading of the heap.
      sub.on('status', (status) => status === 'open' && resolve(sub));
    });
}

async function openMany(open: () => Promise<unknown>, count: number, keep: unknown[]): Promise<void> {
  for (let done = 0; done < count; done += BATCH) {
    keep.push(...(await Promise.all(Array.from({ length: Math.min(BATCH, count - done) }, open))));
  }
}

/** A child: one measurement. */
async function child(kind: Kind, n: number, url: string, bundle: string): Promise<void> {
  const open = await opener(kind, url, bundle);
  const keep: unknown[] = [];
  await openMany(open, WARM, keep);
  await collect();
  const before = process.memoryUsage().heapUsed;
  await openMany(open, n, keep);
  await collect();
  const after = process.memoryUsage().heapUsed;
  if (keep.length !== WARM + n) throw new Error('lost a connection');
  process.send?.({ perConnection: (after - before) / n }, () => process.exit(0));
}

function measure(kind: Kind, n: number, url: string, bundle: string): Promise<number> {
  const args = [...process.execArgv, fileURLToPath(import.meta.url), '--child', kind, String(n), url, bundle];
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, args, {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    proc.once('message', (m) => resolve((m as { perConnection: number }).perConnection));
    proc.once('exit', (code) => reject(new Error(`${kind}: child exited with ${code}`)));
  });
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 1500);
  const rounds = Number(process.argv[3] ?? 3);
  const dir = mkdtempSync(join(tmpdir(), 'anywire-idle-'));
  const bundle = join(dir, 'node.cjs');
  await build({
    entryPoints: [fileURLToPath(new URL('../../src/node.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'es2020',
    outfile: bundle,
    logLevel: 'warning',
  });
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    res.write(': ok\n\n');
  });
  server.maxConnections = 100_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', 1024, resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/idle`;
  const samples = new Map<Kind, number[]>(KINDS.map((k) => [k, []]));
  for (let round = 0; round < rounds; round++) {
    for (const kind of KINDS) {
      const bytes = await measure(kind, n, url, bundle);
      samples.get(kind)?.push(bytes);
      console.log(`round ${round + 1}  ${kind.padEnd(14)} ${(bytes / 1000).toFixed(2)} kB`);
      server.closeAllConnections();
    }
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  console.log(`\nheap per idle connection, median of ${rounds} (N = ${n}, node ${process.version}):`);
  for (const kind of KINDS) console.log(`  ${kind.padEnd(14)} ${(median(samples.get(kind) ?? []) / 1000).toFixed(2)} kB`);
  server.close();
  rmSync(dir, { recursive: true });
}

if (process.argv[2] === '--child') {
  const [, , , kind, n, url, bundle] = process.argv;
  child(kind as Kind, Number(n), url as string, bundle as string).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
