// A long-poll or poll body is read as a stream and never held past maxEventSize: a 50 MB body is
// cut with a `too-large` error, and the next request resumes from the last event that fit.

import { afterEach, describe, expect, it } from 'vitest';
import { type AnywireError, type Subscription, subscribe } from '../../src/index.js';
import { serve, type TestServer } from '../helpers/http-server.js';
import { collect } from '../helpers/wait.js';

describe.each(['poll', 'long-poll'] as const)('%s: a body over maxEventSize', (transport) => {
  let server: TestServer;
  let sub: Subscription | undefined;
  afterEach(async () => {
    sub?.close();
    await server.close();
  });

  it('is cut with too-large, not read whole, and the next request resumes from the position', async () => {
    const MAX = 64 * 1024;
    let sentOfHuge = 0;
    server = await serve((req, res, index) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (index === 0) return res.end(JSON.stringify({ events: [{ id: '1', data: 1 }] }));
      if (index === 1) {
        // 50 MB in 64 kB writes, stopped as soon as the client goes away.
        const filler = 'x'.repeat(64 * 1024);
        const pump = (): void => {
          while (sentOfHuge < 50 * 1024 * 1024 && !res.destroyed) {
            sentOfHuge += filler.length;
            if (!res.write(filler)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.write('{"events":[{"id":"2","data":"');
        return pump();
      }
      if (req.headers['last-event-id'] === '1') return res.end(JSON.stringify({ events: [{ id: '3', data: 3 }] }));
      res.end(JSON.stringify({ events: [] }));
    });
    sub = subscribe({ url: server.url, transport, maxEventSize: MAX, reconnect: { initialDelay: 10, maxDelay: 20 } });
    const errors: AnywireError[] = [];
    sub.on('error', (e) => errors.push(e));
    const got = await collect(sub, 2);
    expect(got.map((m) => m.data)).toEqual([1, 3]);
    expect(errors.map((e) => e.code)).toContain('too-large');
    expect(errors.find((e) => e.code === 'too-large')?.message).toMatch(/over maxEventSize \(65536 characters\)/);
    expect(server.requests[2]?.['last-event-id']).toBe('1');
    // The client stopped reading long before the server's 50 MB were written.
    expect(sentOfHuge).toBeLessThan(50 * 1024 * 1024);
  });
});
