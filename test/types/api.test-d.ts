// Type tests: the public API's inference and narrowing, checked by `vitest --typecheck`.
import { describe, expectTypeOf, it } from 'vitest';
import {
  type AnywireError,
  type AnywireErrorCode,
  type Choice,
  chooseTransport,
  createSubscribe,
  type DeltaCodec,
  isAnywireError,
  jsonPatch,
  type Message,
  mergePatch,
  type Status,
  type Subscription,
  spreadJitter,
  sse,
  subscribe,
  type TransportName,
} from '../../src/index.js';
import { createMockServer, type MockServer } from '../../src/testing/index.js';

interface Price {
  symbol: string;
  price: number;
}

describe('subscribe()', () => {
  it('types messages, the iterator and the snapshot from its type parameters', () => {
    const sub = subscribe<Price, Record<string, number>>({ url: '/prices', delta: mergePatch, initial: {} });
    expectTypeOf(sub).toEqualTypeOf<Subscription<Price, Record<string, number>>>();
    sub.on('message', (m) => {
      expectTypeOf(m).toEqualTypeOf<Message<Price>>();
      expectTypeOf(m.data.price).toBeNumber();
      expectTypeOf(m.transport).toEqualTypeOf<TransportName>();
    });
    sub.on('status', (s) => expectTypeOf(s).toEqualTypeOf<Status>());
    sub.on('error', (e) => expectTypeOf(e.code).toEqualTypeOf<AnywireErrorCode>());
    sub.on('gap', (g) => expectTypeOf(g.lastEventId).toEqualTypeOf<string | undefined>());
    expectTypeOf(sub.on('message', () => {})).toEqualTypeOf<() => void>();
    expectTypeOf(sub.getSnapshot()).toEqualTypeOf<Record<string, number>>();
    expectTypeOf(sub[Symbol.asyncIterator]).returns.toMatchTypeOf<AsyncIterator<Message<Price>>>();
    expectTypeOf(sub.send).parameters.toEqualTypeOf<[data: unknown, event?: string]>();
    sub.close();
  });

  it('rejects unknown events, transports and options', () => {
    const sub = subscribe({ url: '/x' });
    // @ts-expect-error: not an event of a subscription
    sub.on('messages', () => {});
    // @ts-expect-error: not a transport
    subscribe({ url: '/x', transport: 'http2' });
    // @ts-expect-error: url is required
    subscribe({});
    // @ts-expect-error: a codec for numbers cannot apply to a string snapshot
    subscribe<unknown, string>({ url: '/x', delta: { apply: (s: number) => s + 1 }, initial: 'a' });
    // @ts-expect-error: status is read-only
    sub.status = 'open';
    sub.close();
  });

  it('accepts a custom DeltaCodec typed by the snapshot', () => {
    const append: DeltaCodec<string[]> = { apply: (state, patch) => [...state, String(patch)] };
    const sub = subscribe<unknown, string[]>({ url: '/log', delta: append, initial: [] });
    expectTypeOf(sub.getSnapshot()).toEqualTypeOf<string[]>();
    sub.close();
  });

  it('createSubscribe returns a subscribe of the same shape', () => {
    const lean = createSubscribe({ transports: [sse] });
    expectTypeOf(lean<Price>({ url: '/p' })).toEqualTypeOf<Subscription<Price, Price | undefined>>();
  });

  it('the built-in codecs fit any snapshot type', () => {
    const sub = subscribe<unknown, { a: number }>({ url: '/p', delta: jsonPatch, initial: { a: 1 } });
    expectTypeOf(sub.getSnapshot()).toEqualTypeOf<{ a: number }>();
    sub.close();
  });

  it('without deltas, getSnapshot() is the latest data or undefined', () => {
    const sub = subscribe<Price>({ url: '/p' });
    expectTypeOf(sub.getSnapshot()).toEqualTypeOf<Price | undefined>();
    expectTypeOf(createSubscribe({ transports: [sse] })<Price>({ url: '/p' }).getSnapshot()).toEqualTypeOf<Price | undefined>();
    sub.close();
  });

  it('headers take every form fetch takes, from the object and from the function', () => {
    subscribe({ url: '/p', headers: new Headers({ a: '1' }) }).close();
    subscribe({ url: '/p', headers: [['a', '1']] }).close();
    subscribe({ url: '/p', headers: { a: '1' } }).close();
    subscribe({ url: '/p', headers: async () => new Headers({ a: '1' }) }).close();
    subscribe({ url: '/p', headers: () => [['a', '1']] as const }).close();
    // @ts-expect-error: header values are strings
    subscribe({ url: '/p', headers: { a: 1 } });
  });
});

describe('errors and choice', () => {
  it('isAnywireError narrows unknown', () => {
    const e: unknown = new Error('x');
    if (isAnywireError(e)) {
      expectTypeOf(e).toEqualTypeOf<AnywireError>();
      expectTypeOf(e.status).toEqualTypeOf<number | undefined>();
    }
  });

  it('spreadJitter plugs into the reconnect policy', () => {
    subscribe({ url: '/x', reconnect: { jitter: spreadJitter } }).close();
    expectTypeOf(spreadJitter).returns.toBeNumber();
  });

  it('chooseTransport is pure and typed', () => {
    expectTypeOf(chooseTransport).returns.toEqualTypeOf<Choice>();
    expectTypeOf(chooseTransport({ direction: 'both' }).fallbacks).toEqualTypeOf<TransportName[]>();
    // @ts-expect-error: direction is 'receive' | 'both'
    chooseTransport({ direction: 'send' });
  });
});

describe('anywire/testing', () => {
  it('createMockServer gives options to spread into subscribe()', () => {
    const server = createMockServer();
    expectTypeOf(server).toEqualTypeOf<MockServer>();
    const sub = subscribe({ url: server.url, ...server.options });
    expectTypeOf(sub.transport).toEqualTypeOf<TransportName>();
  });
});
