// The browser suite: the built bundle in headless Chromium (Debian's `chromium`, driven by
// playwright-core; no browser download), subscribing over all four transports with the browser's
// own fetch streaming and WebSocket, against the reference server on 127.0.0.1.
//
//   npm run build && node --import tsx test/browser/run.ts
//
// Set CHROMIUM_PATH to use another Chromium or Chrome binary. Output ends with `N passed, N failed`.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TransportName } from 'anywire';
import { build } from 'esbuild';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import type { Condition, Harness, OpenOptions, Seen } from './harness.js';
import { type PageServer, startPageServer } from './page-server.js';
import { startRefusingSocketServer } from './refusing-socket-server.js';
import { assert, assertEqual, type Case, runCases, runSuite, summary } from './runner.js';

const TRANSPORTS: TransportName[] = ['sse', 'long-poll', 'poll', 'websocket'];
/** Per case; the whole suite has its own bound below. */
const CASE_TIMEOUT = 20_000;
/** One wait inside a case. */
const WAIT = 8000;
const SUITE_TIMEOUT = 110_000;
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The Chromium to drive: CHROMIUM_PATH, else the first of these on PATH. */
function findChromium(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim();
    } catch {
      // not this one
    }
  }
  throw new Error('no Chromium found: `apt-get install -y chromium`, or set CHROMIUM_PATH');
}

/** dist/index.js and the page harness as one browser script; fails on anything Node-only. */
async function bundle(): Promise<string> {
  const dist = `${root}dist/index.js`;
  if (!existsSync(dist)) throw new Error('dist/index.js is missing: run `npm run build` first');
  const result = await build({
    entryPoints: [fileURLToPath(new URL('harness.ts', import.meta.url))],
    // The harness imports 'anywire' as an app does: tsc checks it against src/ (tsconfig paths),
    // the browser runs the build. The alias wins over tsconfig paths; the check below proves it.
    alias: { anywire: dist },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2020',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  assert(
    inputs.some((path) => path.endsWith('dist/index.js')),
    `the bundle must be built from dist/index.js, got ${inputs.join(', ')}`,
  );
  assert(!inputs.some((path) => /(^|\/)src\//.test(path)), 'the bundle must not include src/');
  return result.outputFiles[0]?.text ?? '';
}

/** Calls a harness method inside the page. */
function call<K extends keyof Harness>(page: Page, method: K, ...args: Parameters<Harness[K]>): Promise<Awaited<ReturnType<Harness[K]>>> {
  return page.evaluate(
    ([name, list]) => (globalThis as unknown as { harness: Record<string, (...a: unknown[]) => unknown> }).harness[name]?.(...list),
    [method, args] as const,
  ) as Promise<Awaited<ReturnType<Harness[K]>>>;
}

/** One case's world: a fresh reference server, browser context and page. */
interface World {
  server: PageServer;
  context: BrowserContext;
  page: Page;
  open(options: OpenOptions): Promise<number>;
  until(id: number, want: Condition, ms?: number): Promise<Seen>;
}

async function withWorld(browser: Browser, script: string, body: (world: World) => Promise<void>): Promise<void> {
  const server = await startPageServer(script);
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(String(error)));
    await page.goto(server.page, { timeout: WAIT });
    assert(await page.evaluate(() => 'harness' in globalThis), `the page did not load the harness: ${problems.join('; ')}`);
    await body({
      server,
      context,
      page,
      open: (options) => call(page, 'open', options),
      until: (id, want, ms = WAIT) => call(page, 'until', id, want, ms),
    });
    assert(problems.length === 0, `uncaught errors in the page: ${problems.join('; ')}`);
  } finally {
    await context.close();
    await server.close();
  }
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

function casesFor(browser: Browser, script: string, transport: TransportName): Case[] {
  const world = (body: (world: World) => Promise<void>) => () => withWorld(browser, script, body);
  return [
    {
      name: `${transport}: delivers events in order, over the browser's own fetch / WebSocket`,
      run: world(async ({ server, open, until }) => {
        const id = await open({ transport });
        await until(id, { status: 'open' });
        server.publish({ n: 1 });
        server.publish({ n: 2 }, 'price');
        server.publish({ n: 3 });
        const seen = await until(id, { messages: 3 });
        assertEqual(
          seen.messages.map((m) => [m.data, m.event, m.id, m.transport]),
          [
            [{ n: 1 }, 'message', '1', transport],
            [{ n: 2 }, 'price', '2', transport],
            [{ n: 3 }, 'message', '3', transport],
          ],
          'messages',
        );
        assertEqual(seen.lastEventId, '3', 'lastEventId');
        // The browser's network stack made the request: its User-Agent and Fetch Metadata, an Origin.
        const first = server.protocol()[0];
        assert(first !== undefined, 'the server saw no request');
        assert(first.kind === transport, `the server saw ${first.kind}, not ${transport}`);
        assert(
          /HeadlessChrome|Chromium|Chrome/.test(String(first.headers['user-agent'])),
          `not a browser request: ${first.headers['user-agent']}`,
        );
        assert(
          first.headers.origin === new URL(server.url).origin || first.headers['sec-fetch-site'] === 'same-origin',
          'no Origin / Sec-Fetch-Site',
        );
      }),
    },
    {
      name: `${transport}: resumes after the server drops the connection, nothing lost and nothing twice`,
      run: world(async ({ server, open, until }) => {
        const id = await open({ transport });
        await until(id, { status: 'open' });
        for (const n of range(1, 5)) server.publish(n);
        await until(id, { lastEventId: '5' });
        server.dropAll();
        for (const n of range(6, 10)) server.publish(n);
        await until(id, { messages: 10 });
        // A sentinel after the resume: a late duplicate of 1–10 would land before it.
        server.publish(11);
        const seen = await until(id, { messages: 11 });
        assertEqual(
          seen.messages.map((m) => m.data),
          range(1, 11),
          'messages',
        );
        assert(
          server.protocol().some((c) => c.kind === transport && c.lastEventId === '5'),
          'no reconnect resumed from Last-Event-ID 5',
        );
      }),
    },
    {
      name: `${transport}: a 401 is fatal: error http-status 401, status closed, no retry`,
      run: world(async ({ server, open, until }) => {
        // Browsers hide a refused upgrade's status, so a server refuses a socket by closing it with 4401.
        const sockets = transport === 'websocket' ? await startRefusingSocketServer() : undefined;
        try {
          server.refuse(401);
          const id = await open({ transport, ...(sockets ? { websocket: sockets.url } : {}) });
          const seen = await until(id, { status: 'closed', errors: 1 });
          const error = seen.errors[0];
          assertEqual([error?.code, error?.status, error?.transport], ['http-status', 401, transport], 'the error');
          assertEqual(seen.messages.length, 0, 'messages');
          const attempts = sockets ? sockets.upgrades() : server.protocol().length;
          assertEqual(attempts, 1, 'connection attempts');
        } finally {
          await sockets?.close();
        }
      }),
    },
    {
      name: `${transport}: offline (DevTools network emulation) then online: reconnects and resumes`,
      run: world(async ({ server, context, page, open, until }) => {
        const id = await open({ transport });
        await until(id, { status: 'open' });
        for (const n of range(1, 3)) server.publish(n);
        await until(id, { lastEventId: '3' });
        await context.setOffline(true);
        assert((await call(page, 'platform')).onLine === false, 'navigator.onLine is still true');
        const before = server.protocol().length;
        // DevTools' offline emulation fails new requests but leaves an established SSE stream or
        // socket alone (frames are held), so the server ends it; every retry then fails inside
        // the browser, before reaching the server.
        server.dropAll();
        const offline = await until(id, { status: 'reconnecting' });
        for (const n of range(4, 6)) server.publish(n);
        const errorsSoFar = offline.errors.length;
        await until(id, { errors: errorsSoFar + 1 });
        assertEqual(server.protocol().length, before, 'requests that reached the server while offline');
        await context.setOffline(false);
        await until(id, { messages: 6, status: 'open' });
        server.publish(7);
        const seen = await until(id, { messages: 7 });
        assertEqual(
          seen.messages.map((m) => m.data),
          range(1, 7),
          'messages',
        );
        assert(
          server.protocol().some((c) => c.kind === transport && c.lastEventId === '3'),
          'no reconnect resumed from Last-Event-ID 3',
        );
      }),
    },
  ];
}

async function main(): Promise<number> {
  const started = performance.now();
  const executablePath = findChromium();
  const script = await bundle();
  const browser = await chromium.launch({ executablePath, args: ARGS, headless: true, timeout: 30_000 });
  const tally = { passed: 0, failed: 0 };
  try {
    console.log(
      `# ${browser.browserType().name()} ${browser.version()} (${executablePath}); bundle ${(script.length / 1024).toFixed(1)} KiB`,
    );
    await runCases(
      [
        {
          name: "the page's fetch, ReadableStream and WebSocket are the browser's own",
          run: () =>
            withWorld(browser, script, async ({ page }) => {
              const platform = await call(page, 'platform');
              assertEqual([platform.fetch, platform.ReadableStream, platform.WebSocket], [true, true, true], 'native');
            }),
        },
        ...TRANSPORTS.flatMap((transport) => casesFor(browser, script, transport)),
      ],
      CASE_TIMEOUT,
      tally,
    );
  } finally {
    await browser.close();
  }
  console.log(`# ${((performance.now() - started) / 1000).toFixed(1)} s`);
  console.log(summary(tally));
  return tally.failed === 0 ? 0 : 1;
}

runSuite('browser', SUITE_TIMEOUT, main);
