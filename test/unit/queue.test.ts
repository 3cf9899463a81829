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

  it('finds a replayed numbered id among the last `capacity`, however far back', () => {
    const w = createDedupeWindow(1000);
    for (let i = 1; i <= 2500; i++) expect(w.seen(String(i))).toBe(false);
    // A resumed stream replays from a little before the position: all duplicates.
    for (let i = 1501; i <= 2500; i++) expect(w.seen(String(i))).toBe(true);
    expect(w.seen('2501')).toBe(false);
  });

  it('tells a new id below the last from a replayed one, and keeps both after the switch to Sets', () => {
    const w = createDedupeWindow(8);
    expect(['2', '4', '6'].map((id) => w.seen(id))).toEqual([false, false, false]);
    expect(w.seen('4')).toBe(true); // replayed
    expect(w.seen('5')).toBe(false); // new, though below the last
    expect(['2', '4', '5', '6'].map((id) => w.seen(id))).toEqual([true, true, true, true]);
    expect(w.seen('7')).toBe(false);
  });

  it('treats ids as strings: 07 is not 7, and long or odd ids work as any other', () => {
    const w = createDedupeWindow(8);
    expect(['7', '07', '7.0', '1e3', '1000'].map((id) => w.seen(id))).toEqual([false, false, false, false, false]);
    expect(['7', '07', '7.0', '1e3', '1000'].map((id) => w.seen(id))).toEqual([true, true, true, true, true]);
    const big = '12345678901234567890'; // past 15 digits: not exact as a number
    expect([w.seen(big), w.seen('12345678901234567891'), w.seen(big)]).toEqual([false, false, true]);
  });

  it('keeps its bound in ring mode: an id older than twice the capacity is forgotten', () => {
    const w = createDedupeWindow(4);
    for (let i = 1; i <= 20; i++) w.seen(String(i));
    expect(['17', '18', '19', '20'].map((id) => w.seen(id))).toEqual([true, true, true, true]);
    expect(w.seen('8')).toBe(false);
  });

  it('looks a replay up in the ring of numbers: replays of wrapped-around ids leave it exact', () => {
    const w = createDedupeWindow(4);
    for (let i = 1; i <= 6; i++) w.seen(String(i)); // the ring has wrapped: 5 6 3 4 in its slots
    expect(['3', '4', '5', '6'].map((id) => w.seen(id))).toEqual([true, true, true, true]);
    for (let i = 7; i <= 10; i++) expect(w.seen(String(i))).toBe(false);
    // Still a ring of exactly the last 4 (Sets would keep up to 8, and remember 6).
    expect(w.seen('6')).toBe(false);
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

  it('unsubscribes once: a second call of the same unsubscribe leaves the other registration', () => {
    const e = createEmitter<{ x: number }>();
    const calls: number[] = [];
    const fn = (v: number): number => calls.push(v);
    const off1 = e.on('x', fn);
    e.on('x', fn);
    off1();
    off1();
    e.emit('x', 1);
    expect(calls).toEqual([1]);
    expect(e.has('x')).toBe(true);
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
