// A fatal error is never silent: with no `error` listener and no running iterator it goes to the
// console once; a listener (or an iterator) turns that off.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { subscribe } from '../../src/index.js';
import { serve, type TestServer } from '../helpers/http-server.js';
import { next } from '../helpers/wait.js';

describe('fatal errors without a listener', () => {
  let server: TestServer;
  afterEach(async () => {
    vi.restoreAllMocks();
    await server.close();
  });
  const notFound = async (): Promise<void> => {
    server = await serve((_req, res) => res.writeHead(404).end());
  };

  it('reports a 404 on the console once when only a message listener is attached', async () => {
    await notFound();
    const console_ = vi.spyOn(console, 'error').mockImplementation(() => {});
    const sub = subscribe({ url: server.url, transport: 'sse' });
    sub.on('message', () => {});
    await next(sub, 'status', (s) => s === 'closed');
    await Promise.resolve();
    expect(console_).toHaveBeenCalledTimes(1);
    expect(console_.mock.calls[0]?.[0]).toMatchObject({ code: 'http-status', status: 404 });
    sub.close();
  });

  it('stays off the console when an error listener is attached', async () => {
    await notFound();
    const console_ = vi.spyOn(console, 'error').mockImplementation(() => {});
    const sub = subscribe({ url: server.url, transport: 'sse' });
    const fatal = next(sub, 'error');
    await expect(fatal).resolves.toMatchObject({ status: 404 });
    expect(sub.status).toBe('closed');
    expect(console_).not.toHaveBeenCalled();
  });

  it('stays off the console when a for-await loop receives the error', async () => {
    await notFound();
    const console_ = vi.spyOn(console, 'error').mockImplementation(() => {});
    const sub = subscribe({ url: server.url, transport: 'sse' });
    const loop = (async () => {
      for await (const _ of sub);
    })();
    await expect(loop).rejects.toMatchObject({ code: 'http-status', status: 404 });
    expect(console_).not.toHaveBeenCalled();
  });
});
