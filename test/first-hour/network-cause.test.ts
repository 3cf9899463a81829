// A network error's message says why: the root cause from the cause chain, not only "failed".

import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { type AnywireError, subscribe } from '../../src/index.js';
import { rootCause } from '../../src/transports/http.js';
import { next } from '../helpers/wait.js';

/** A port on 127.0.0.1 with nothing listening: bound, read, and released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('network error messages', () => {
  it('name the root cause of a refused connection, keeping the cause chain', async () => {
    const port = await closedPort();
    const sub = subscribe({ url: `http://127.0.0.1:${port}/`, transport: 'sse', reconnect: { initialDelay: 50, maxDelay: 50 } });
    const error = (await next(sub, 'error')) as AnywireError;
    sub.close();
    expect(error.code).toBe('network');
    expect(error.message).toBe(`[anywire] sse: request to http://127.0.0.1:${port}/ failed: connect ECONNREFUSED 127.0.0.1:${port}`);
    expect(error.cause).toBeInstanceOf(Error);
    expect((error.cause as Error).message).toBe('fetch failed');
  });

  it('rootCause follows the chain to its end, and stops on a cycle', () => {
    const inner = new Error('connect ECONNRESET');
    expect(rootCause(new Error('fetch failed', { cause: new Error('socket', { cause: inner }) }))).toBe('connect ECONNRESET');
    expect(rootCause('plain')).toBe('plain');
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(['a', 'b']).toContain(rootCause(a));
  });
});
