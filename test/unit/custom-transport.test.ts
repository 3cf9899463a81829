import { describe, expect, it } from 'vitest';
import { type ConnectContext, createSubscribe, type Message, type Transport } from '../../src/index.js';

/**
 * A transport written against the public ConnectContext, the way 0.1's own transports were:
 * it takes the callbacks off the context and calls them unbound. anywire's transports call them
 * as methods, so the context binds them only when one is read (core/attempt.ts).
 */
describe('a custom transport', () => {
  it('may take the callbacks off the context and call them unbound', async () => {
    const seen: ConnectContext[] = [];
    const custom: Transport = {
      name: 'sse',
      connect(ctx) {
        seen.push(ctx);
        const { onOpen, onActivity, onText, onValue, onPosition, lastEventId } = ctx;
        onOpen();
        onActivity();
        onText('1', 'message', '{"n":1}');
        onValue('2', 'message', { n: 2 });
        onPosition(`${lastEventId()}-moved`);
        return new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
      },
    };
    const sub = createSubscribe({ transports: [custom] })<{ n: number }>({ url: 'https://example.test/e', transport: 'sse' });
    const messages: Message<{ n: number }>[] = [];
    sub.on('message', (m) => messages.push(m));
    await new Promise<void>((resolve) => sub.on('status', (s) => s === 'open' && resolve()));
    await Promise.resolve();
    expect(messages.map((m) => [m.id, m.data.n])).toEqual([
      ['1', 1],
      ['2', 2],
    ]);
    expect(sub.lastEventId).toBe('2-moved');
    const ctx = seen[0] as ConnectContext;
    expect(ctx.onText).toBe(ctx.onText); // bound once, the same function every read
    sub.close();
  });

  it('sees its signal aborted, with the reason, even when it first reads it after the end', async () => {
    let ctx: ConnectContext | undefined;
    const custom: Transport = {
      name: 'sse',
      connect(c) {
        ctx = c;
        c.onOpen();
        return new Promise(() => {}); // never settles by itself
      },
    };
    const sub = createSubscribe({ transports: [custom] })({ url: 'https://example.test/e', transport: 'sse', heartbeat: false });
    await new Promise<void>((resolve) => sub.on('status', (s) => s === 'open' && resolve()));
    sub.reconnect(); // ends this attempt (and starts another)
    const signal = (ctx as ConnectContext).signal; // the first read of it
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toMatchObject({ name: 'AnywireError' });
    sub.close();
  });
});
