/**
 * `npx tsx examples/binance-style.ts`: anywire on a WebSocket server that speaks its own frames.
 * A local stand-in for Binance's combined streams (`/stream?streams=a/b`, frames
 * `{"stream":"btcusdt@trade","data":{…}}`, `SUBSCRIBE` messages answered `{"result":null,"id":1}`)
 * runs on 127.0.0.1 for about 3 s; a subscription with a frame codec prints its trades, then
 * everything closes and the script exits.
 */
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { subscribe } from '../src/index.js';

interface Trade {
  e: 'trade';
  s: string; // symbol
  t: number; // trade id
  p: string; // price
  q: string; // quantity
}

// ---- The server: what an exchange would run, not anywire ----
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/stream' });
await new Promise((resolve) => wss.once('listening', resolve));
let tradeId = 0;
wss.on('connection', (ws, req) => {
  const streams = new Set(new URL(req.url ?? '', 'http://x').searchParams.get('streams')?.split('/'));
  ws.on('message', (raw) => {
    const { method, params, id } = JSON.parse(String(raw));
    if (method === 'SUBSCRIBE') for (const stream of params) streams.add(stream);
    ws.send(JSON.stringify({ result: null, id }));
  });
  const timer = setInterval(() => {
    for (const stream of streams) {
      const symbol = stream.split('@')[0]?.toUpperCase() ?? '';
      const base = symbol.startsWith('BTC') ? 100_000 : 3_500;
      const data: Trade = {
        e: 'trade',
        s: symbol,
        t: ++tradeId,
        p: (base * (1 + (Math.random() - 0.5) / 100)).toFixed(2),
        q: Math.random().toFixed(4),
      };
      ws.send(JSON.stringify({ stream, data }));
    }
  }, 250);
  ws.on('close', () => clearInterval(timer));
});
const url = `http://127.0.0.1:${(wss.address() as AddressInfo).port}/stream?streams=btcusdt@trade`;
console.log(`Binance-style server at ${url}\n`);

// ---- The client ----
const sub = subscribe<Trade>({
  url,
  transport: 'websocket', // a foreign server speaks no SSE or polling: nothing to fall back to
  WebSocket: WebSocket as never,
  frame: {
    // {"stream":"btcusdt@trade","data":{…}} → event 'btcusdt@trade'; {"result":null,"id":1}
    // acknowledges a SUBSCRIBE and is not an event. No `id`: the server cannot replay from a
    // trade id, so there is no position to resume from.
    decode: (frame) => {
      const { stream, data } = JSON.parse(frame);
      return typeof stream === 'string' ? { event: stream, data } : undefined;
    },
    // Sent right after every (re)connect: streams beyond those in the URL.
    open: () => [JSON.stringify({ method: 'SUBSCRIBE', params: ['ethusdt@trade'], id: 1 })],
    // Binance pings at the WebSocket level (ws answers by itself) and sends no pings of its own
    // in text frames, so no `ping` or `reply`: its steady traffic proves the socket alive.
  },
});

sub.on('status', (status) => console.log(`status: ${status}`));
sub.on('error', (error) => console.error(`error: ${error.message}`));
sub.on('message', ({ event, data }) => console.log(`${event.padEnd(14)} ${data.s} ${data.p} × ${data.q} (trade ${data.t})`));

// Bounded: stop after ~3 s, and never hang past 10 s whatever happens.
setTimeout(() => process.exit(1), 10_000).unref();
await new Promise((resolve) => setTimeout(resolve, 3000));
sub.close();
await new Promise((resolve) => wss.close(resolve));
console.log('\ndone');
