// Issue 4: the same delta stream over all four transports gives the same final state, through a
// dropped connection and a hostile patch (which triggers a resync from a fresh snapshot).
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type ReferenceServer, startReferenceServer } from '../../examples/server.js';
import { applyJsonPatch, jsonPatch, mergePatch, type Subscription, subscribe, type TransportName } from '../../src/index.js';
import { next, until } from '../helpers/wait.js';

type State = { items: number[]; meta: { n: number; label: string } };
const TRANSPORTS: TransportName[] = ['sse', 'long-poll', 'poll', 'websocket'];

/** A seeded stream of valid patches: adds, replaces, removes, moves, tests. */
function patches(count: number, seed: number): unknown[][] {
  let x = seed;
  const random = (): number => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const out: unknown[][] = [];
  let length = 0;
  for (let i = 0; i < count; i++) {
    const r = random();
    if (r < 0.4 || length < 2) {
      out.push([{ op: 'add', path: '/items/-', value: i }]);
      length++;
    } else if (r < 0.6) {
      out.push([{ op: 'remove', path: `/items/${Math.floor(random() * length)}` }]);
      length--;
    } else if (r < 0.8) {
      out.push([{ op: 'move', from: '/items/0', path: `/items/${length - 1}` }]);
    } else {
      out.push([
        { op: 'replace', path: '/meta/n', value: i },
        { op: 'replace', path: '/meta/label', value: `v${i}` },
      ]);
    }
  }
  return out;
}

describe.each(TRANSPORTS)('%s transport with json-patch deltas', (transport) => {
  let server: ReferenceServer;
  let sub: Subscription<unknown, State | null> | undefined;
  afterEach(async () => {
    sub?.close();
    await server.close();
  });

  it('converges to the server state through a drop and a hostile patch', async () => {
    let state: State = { items: [], meta: { n: 0, label: 'start' } };
    server = await startReferenceServer({ snapshot: () => state });
    sub = subscribe<unknown, State | null>({
      url: server.url,
      transport,
      delta: jsonPatch,
      initial: null,
      WebSocket: WebSocket as never,
      requirements: { staleness: 20 },
      reconnect: { initialDelay: 20, maxDelay: 50 },
    });
    const s = sub;
    await until(s as never, () => s.getSnapshot() !== null);
    const stream = patches(60, 7);
    const errors: string[] = [];
    s.on('error', (e) => errors.push(e.code));
    for (const [i, patch] of stream.entries()) {
      state = applyJsonPatch(state, patch) as State;
      server.publish(patch, 'delta');
      if (i === 20) server.dropAll();
      if (i === 40) server.publish([{ op: 'test', path: '/meta/n', value: 'never' }], 'delta');
    }
    await until(s as never, () => JSON.stringify(s.getSnapshot()) === JSON.stringify(state));
    expect(s.getSnapshot()).toEqual(state);
    expect(errors).toContain('delta');
  });

  it('keeps identity for unchanged subtrees and notifies only when the state changed (once per task, not per message)', async () => {
    const state = { a: { x: 1 }, b: { y: 2 } };
    server = await startReferenceServer({ snapshot: () => state });
    sub = subscribe<unknown, State | null>({
      url: server.url,
      transport,
      delta: mergePatch,
      initial: null,
      WebSocket: WebSocket as never,
      requirements: { staleness: 20 },
    }) as never;
    const s = sub as unknown as Subscription<unknown, typeof state | null>;
    await until(s as never, () => s.getSnapshot() !== null);
    const before = s.getSnapshot() as typeof state;
    let notified = 0;
    s.subscribe(() => notified++);
    server.publish({ b: { y: 3 } }, 'delta');
    server.publish({ a: { x: 1 } }, 'delta'); // changes nothing: no notification
    await next(s as never, 'message', (m) => m.event === 'delta' && JSON.stringify(m.data) === '{"a":{"x":1}}');
    const after = s.getSnapshot() as typeof state;
    expect(after).toEqual({ a: { x: 1 }, b: { y: 3 } });
    expect(after.a).toBe(before.a);
    expect(before).toEqual({ a: { x: 1 }, b: { y: 2 } });
    expect(notified).toBe(1);
  });
});
