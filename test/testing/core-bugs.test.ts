// Core behaviour found wrong while building anywire/testing. Each test states the correct
// behaviour and fails until the core is fixed; the mock server only supplies the bytes.
import { expect, it } from 'vitest';
import { type AnywireError, subscribe } from '../../src/index.js';
import { createMockServer, flush } from '../../src/testing/index.js';

// CORE BUG: a fatal error reaches 'error' listeners twice, the same object both times. The loop
// reports every failed attempt (loop.ts run(): `host.report(outcome.error)`), then nextStep says
// close and `host.giveUp(step.error)` reports the same error again (subscription.ts giveUp:
// `report(error)`). An app that shows a toast or counts errors sees a 401 twice.
it('a fatal 401 is reported once on "error"', async () => {
  const server = createMockServer();
  server.fail(401);
  const sub = subscribe({ url: server.url, ...server.options, transport: 'sse' });
  const errors: AnywireError[] = [];
  sub.on('error', (error) => errors.push(error));
  await flush();
  expect(sub.status).toBe('closed');
  expect(errors.map((e) => e.status)).toEqual([401]);
});
