/**
 * The one place the bench touches anywire. Everything that depends on anywire's API shape, on
 * where it is loaded from, or on the options a benchmark passes lives here, so a rename in the
 * library is a one-file change in the bench.
 *
 * Loaded from `dist/index.js` (what ships) when it exists, else from `src/index.ts` through tsx.
 * `ANYWIRE_FROM=dist` or `ANYWIRE_FROM=src` forces one; `ANYWIRE_FROM=/abs/path/index.js` loads
 * that module (a build of another commit, say). Child processes get the module the parent loaded
 * this way, as an absolute path. `loadAnywire('node')` loads the Node entry beside it
 * (`dist/node.js`, what `import 'anywire'` resolves to on Node).
 */

import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { WebSocket } from 'ws';

/** The slice of a subscription the bench uses. */
export interface AnywireSubscription {
  on(event: 'message', listener: (message: { data: unknown }) => void): () => void;
  on(event: 'status', listener: (status: string) => void): () => void;
  on(event: 'error', listener: (error: unknown) => void): () => void;
  close(): void;
}

/** The slice of the module the bench uses. */
export interface AnywireApi {
  subscribe(options: Record<string, unknown>): AnywireSubscription;
}

/** anywire, or why it could not be loaded. */
export type LoadedAnywire = { api: AnywireApi; from: string; url: URL } | { api: undefined; why: string };

/**
 * Which module: `index`, the entry browsers and bundlers resolve (SSE over fetch), or `node`, the
 * one Node resolves (the `node` export condition: SSE over node:http when no `fetch` is passed).
 */
export type AnywireEntry = 'index' | 'node';

const SOURCES = {
  dist: (entry: AnywireEntry) => new URL(`../../dist/${entry}.js`, import.meta.url),
  src: (entry: AnywireEntry) => new URL(`../../src/${entry}.ts`, import.meta.url),
} as const;

/** `ANYWIRE_FROM` names an index module; the node entry is its sibling. */
function forcedUrl(forced: string, entry: AnywireEntry): URL {
  const url = forced.startsWith('file:') ? new URL(forced) : pathToFileURL(forced);
  return entry === 'index' ? url : new URL(url.href.replace(/index(\.[cm]?[jt]s)$/, `${entry}$1`));
}

/** Loads anywire's `entry` (the index by default); never throws (a missing or broken build becomes `why`). */
export async function loadAnywire(entry: AnywireEntry = 'index'): Promise<LoadedAnywire> {
  const forced = process.env.ANYWIRE_FROM;
  const candidates: [string, URL][] =
    forced === 'dist' || forced === 'src'
      ? [[forced, SOURCES[forced](entry)]]
      : forced
        ? [[forced, forcedUrl(forced, entry)]]
        : [
            ['dist', SOURCES.dist(entry)],
            ['src', SOURCES.src(entry)],
          ];
  const problems: string[] = [];
  for (const [key, url] of candidates) {
    if (!existsSync(fileURLToPath(url))) {
      problems.push(`${key}: ${fileURLToPath(url)} does not exist`);
      continue;
    }
    try {
      const mod = (await import(url.href)) as Partial<AnywireApi>;
      if (typeof mod.subscribe !== 'function') {
        problems.push(`${key}: no subscribe() export yet`);
        continue;
      }
      const from = key === 'dist' ? `dist/${entry}.js` : key === 'src' ? `src/${entry}.ts (dist not built)` : fileURLToPath(url);
      return { api: mod as AnywireApi, from, url };
    } catch (error) {
      problems.push(`${key}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
  }
  return { api: undefined, why: problems.join('; ') };
}

/** The subscribe() options of every benchmark, per transport. Edit here when the API changes. */
export const anywireOptions = {
  sse: (url: string): Record<string, unknown> => ({ url, transport: 'sse', reconnect: false }),
  websocket: (url: string): Record<string, unknown> => ({ url, transport: 'websocket', reconnect: false, WebSocket }),
};

/**
 * Subscribes and resolves after `n` messages (closing the subscription), with the data of the
 * last one; rejects if the subscription closes or reports an error first.
 */
export function consumeAnywire(api: AnywireApi, options: Record<string, unknown>, n: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let count = 0;
    let done = false;
    const sub = api.subscribe(options);
    const finish = (error?: unknown, last?: unknown): void => {
      if (done) return;
      done = true;
      sub.close();
      if (error === undefined) resolve(last);
      else reject(error instanceof Error ? error : new Error(String(error)));
    };
    sub.on('message', (m) => {
      if (++count === n) finish(undefined, m.data);
    });
    sub.on('status', (s) => {
      if (s === 'closed') finish(new Error(`anywire closed after ${count} of ${n} messages`));
    });
    sub.on('error', (error) => finish(error));
  });
}

/** Subscribes and resolves once the subscription is open, handing back the subscription. */
export function openAnywire(api: AnywireApi, options: Record<string, unknown>): Promise<AnywireSubscription> {
  return new Promise((resolve, reject) => {
    const sub = api.subscribe(options);
    const off = sub.on('status', (s) => {
      if (s === 'open') {
        off();
        resolve(sub);
      } else if (s === 'closed') {
        off();
        reject(new Error('anywire closed before opening'));
      }
    });
  });
}
