import { describe, expect, it } from 'vitest';
import { createDedupeWindow } from '../../src/core/dedupe.js';
import { createEmitter } from '../../src/core/emitter.js';
import { createMessageQueue } from '../../src/core/message-queue.js';

describe('message queue (the async iterator buffer)', () => {
  it('hands buffered messages out in order, then waits for more', async () => {
    const q = createMessageQueue<number>({}, () => {});
    q.push(1);
    q.push(2);
    expect(await q.next()).toEqual({ value: 1, done: false });
    expect(await q.next()).toEqual({ value: 2, done: false });
    const pending = q.next();
    q.push(3);
    expect(await pending).toEqual({ value: 3, done: false });
  });

  it("drops the oldest when full under 'drop-oldest'", async () => {
    const q = createMessageQueue<number>({ size: 2 }, () => {});
    expect([q.push(1), q.push(2), q.push(3)]).toEqual([true, true, false]);
    expect((await q.next()).value).toBe(2);
    expect((await q.next()).value).toBe(3);
  });

  it("drops the newest when full under 'drop-newest'", async () => {
    const q = createMessageQueue<number>({ size: 2, overflow: 'drop-newest' }, () => {});
    expect([q.push(1), q.push(2), q.push(3)]).toEqual([true, true, false]);
    expect((await q.next()).value).toBe(1);
    expect((await q.next()).value).toBe(2);
  });

  it("ends with an overflow error under 'error', after the buffered messages", async () => {
    const q = createMessageQueue<number>({ size: 1, overflow: 'error' }, () => {});
    q.push(1);
    q.push(2);
    expect((await q.next()).value).toBe(1);
    await expect(q.next()).rejects.toMatchObject({ code: 'overflow' });
    expect(await q.next()).toEqual({ value: undefined, done: true });
  });

  it('stays bounded however many messages pass through with drop-oldest', async () => {
    const q = createMessageQueue<number>({ size: 10 }, () => {});
    for (let i = 0; i < 100_000; i++) q.push(i);
    const out: number[] = [];
    for (let i = 0; i < 10; i++) out.push((await q.next()).value as number);
    expect(out).toEqual([99_990, 99_991, 99_992, 99_993, 99_994, 99_995, 99_996, 99_997, 99_998, 99_999]);
  });

  it('resolves a waiting consumer with done on end(), and rejects it on end(error)', async () => {
    const a = createMessageQueue<number>({}, () => {});
    const pendingA = a.next();
    a.end();
    expect(await pendingA).toEqual({ value: undefined, done: true });
    const b = createMessageQueue<number>({}, () => {});
    const pendingB = b.next();
    b.end(new Error('fatal'));
    await expect(pendingB).rejects.toThrow('fatal');
  });

  it('runs onReturn once when the consumer breaks out of for-await', async () => {
    let returned = 0;
    const q = createMessageQueue<number>({}, () => returned++);
    q.push(1);
    for await (const _ of q) break;
    q.end();
    expect(returned).toBe(1);
  });
});

describe('dedupe window', () => {
  it('recognises a repeated id', () => {
    const w = createDedupeWindow(4);
    expect([w.seen('a'), w.seen('b'), w.seen('a')]).toEqual([false, false, true]);
  });

  it('remembers at least the last `capacity` ids and forgets those more than twice that ago', () => {
    const w = createDedupeWindow(3);
    for (const id of ['1', '2', '3', '4', '5', '6', '7']) w.seen(id);
    expect(['5', '6', '7'].map((id) => w.seen(id))).toEqual([true, true, true]);
    expect(w.seen('1')).toBe(false);
  });
});

describe('emitter', () => {
  it('returns an unsubscribe per registration, even for the same function twice', () => {
    const e = createEmitter<{ x: number }>();
    const calls: number[] = [];
    const fn = (v: number): number => calls.push(v);
    const off1 = e.on('x', fn);
    e.on('x', fn);
    off1();
    e.emit('x', 1);
    expect(calls).toEqual([1]);
  });

  it('keeps calling the others when one listener throws, and rethrows asynchronously', async () => {
    const e = createEmitter<{ x: number }>();
    const calls: string[] = [];
    e.on('x', () => {
      throw new Error('boom');
    });
    e.on('x', () => calls.push('second'));
    const thrown = new Promise((resolve) => process.once('uncaughtException', resolve));
    e.emit('x', 1);
    expect(calls).toEqual(['second']);
    expect(await thrown).toMatchObject({ message: 'boom' });
  });

  it('does not call a listener added during an emit in that emit', () => {
    const e = createEmitter<{ x: number }>();
    const calls: string[] = [];
    e.on('x', () => {
      calls.push('first');
      e.on('x', () => calls.push('late'));
    });
    e.emit('x', 1);
    expect(calls).toEqual(['first']);
  });
});
