// Found while tuning the fault suite: with a heartbeat.timeout under ~1.7 s, the long poll asks the
// server to hold longer than the client waits, so an idle held request is killed as "dead".
// docs/protocol.md §5.1: "a request the server holds is never mistaken for a dead connection".

import { expect, it } from 'vitest';
import { startReferenceServer } from '../../examples/server.js';
import { subscribe } from '../../src/index.js';

it('an idle long poll held by the server is not mistaken for a dead connection, even with a short heartbeat.timeout', async () => {
  let secondRequest: () => void = () => {};
  const arrived = new Promise<void>((resolve) => (secondRequest = resolve));
  let requests = 0;
  // The server answers each request as usual; the second one is the event this test waits for.
  const server = await startReferenceServer({
    intercept: () => {
      if (++requests === 2) secondRequest();
      return undefined;
    },
  });
  const sub = subscribe({
    url: server.url,
    transport: 'long-poll',
    heartbeat: { interval: 100, timeout: 300 },
    reconnect: { initialDelay: 5, maxDelay: 20 },
  });
  const errors: string[] = [];
  sub.on('error', (error) => errors.push(`${error.code}: ${error.message}`));
  let guard: ReturnType<typeof setTimeout> | undefined;
  try {
    // Fixed, the first request ends when the server's hold does (1 s) and the second follows;
    // broken, the client gives up on it after 300 ms and reconnects.
    await Promise.race([
      arrived,
      new Promise((_, reject) => (guard = setTimeout(() => reject(new Error('no second long-poll request within 3 s')), 3000))),
    ]);
    expect(errors, `the client sent Prefer: ${server.connections[0]?.headers.prefer}`).toEqual([]);
  } finally {
    clearTimeout(guard);
    sub.close();
    await server.close();
  }
});
