// `headers` takes every form fetch takes (a Headers, [name, value] pairs, a record), from the
// object and from the function; today's server saw no header for the first two.

import { afterEach, describe, expect, it } from 'vitest';
import { type HeaderValues, type Subscription, subscribe } from '../../src/index.js';
import { serve, sseHead, type TestServer } from '../helpers/http-server.js';
import { next } from '../helpers/wait.js';

describe('headers', () => {
  let server: TestServer;
  let sub: Subscription | undefined;
  afterEach(async () => {
    sub?.close();
    await server.close();
  });

  const forms: Array<[string, () => HeaderValues]> = [
    ['a Headers instance', () => new Headers({ Authorization: 'Bearer t', 'X-Tenant': 'acme' })],
    [
      'an entries array',
      () => [
        ['Authorization', 'Bearer t'],
        ['X-Tenant', 'acme'],
      ],
    ],
    ['a record', () => ({ Authorization: 'Bearer t', 'X-Tenant': 'acme' })],
  ];

  it.each(forms)('sends %s, given as the object and from the function', async (_form, make) => {
    server = await serve((_req, res) => {
      sseHead(res);
      res.write('data: 1\n\n');
    });
    for (const headers of [make(), async () => make()]) {
      sub = subscribe({ url: server.url, transport: 'sse', headers });
      await next(sub, 'message');
      sub.close();
    }
    expect(server.requests).toHaveLength(2);
    for (const request of server.requests) {
      expect(request.authorization).toBe('Bearer t');
      expect(request['x-tenant']).toBe('acme');
    }
  });
});
