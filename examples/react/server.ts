/**
 * `npm run dev`: anywire's reference server with 200 live metrics, behind Vite's dev server.
 *
 * Every tick changes 1–4 metrics and publishes the change as a JSON Patch `delta` event. A client
 * without a usable position gets a `snapshot` of the current state first; a client that resumes
 * gets the deltas it missed. Vite proxies `/live` (HTTP and WebSocket upgrades) to the reference
 * server, so the page and the stream share one origin and the server needs no CORS headers.
 *
 * Environment: PORT (default 5173), TICK_MS (default 250).
 */
import { applyJsonPatch } from 'anywire';
import { createServer } from 'vite';
import { startReferenceServer } from '../server.js';
import { createMetrics, type DashboardState, nextPatch } from './src/metrics.js';

const port = Number(process.env.PORT ?? 5173);
const tickMs = Number(process.env.TICK_MS ?? 250);

let state: DashboardState = createMetrics(200);
const reference = await startReferenceServer({ snapshot: () => state, keepalive: 5000 });

const ticker = setInterval(() => {
  const patch = nextPatch(state);
  // The server's copy goes through the same JSON Patch code as the clients' copies, so the
  // snapshot a new client gets is exactly what the earlier clients have after the same deltas.
  state = applyJsonPatch(state, patch);
  reference.publish(patch, 'delta');
}, tickMs);

const vite = await createServer({
  configFile: new URL('./vite.config.ts', import.meta.url).pathname,
  root: new URL('.', import.meta.url).pathname,
  server: {
    host: '127.0.0.1',
    port,
    proxy: { '/live': { target: reference.url, ws: true } },
  },
});
await vite.listen();
console.log(`reference server at ${reference.url} (proxied as /live), a delta every ${tickMs} ms`);
vite.printUrls();

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(ticker);
  await vite.close();
  await reference.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
