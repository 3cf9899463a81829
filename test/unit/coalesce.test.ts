// Deltas that arrive together (here: onText calls in one task, as one SSE chunk makes them) apply
// to one working copy and publish one snapshot with one notification, under fake timers with a
// scripted transport.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSubscribe, type DeltaCodec, jsonPatch, mergePatch, type SubscribeOptions } from '../../src/index.js';
import { scripted } from '../helpers/scripted.js';

type Board = Record<string, unknown>;

const flush = async (): Promise<void> => {
  await vi.advanceTimersByTimeAsync(0);
};
let url = 0;
const fresh = (): string => `https://coalesce.test/${++url}`;

/** Freezes `value` and everything in it, so any later write into it throws (modules are strict). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const k of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[k]);
    Object.freeze(value);
  }
  return value;
}

const replace = (key: string, value: unknown): string => JSON.stringify([{ op: 'replace', path: `/${key}`, value }]);

describe('deltas that arrive in one task', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** An open SSE subscription whose state is `start` (from a snapshot, in a task of its own). */
  const setup = async (start: Board, options: Partial<SubscribeOptions<unknown, Board>> = {}) => {
    const sse = scripted('sse');
    const sub = createSubscribe({ transports: [sse] })<unknown, Board>({
      url: fresh(),
      transport: 'sse',
      delta: jsonPatch,
      initial: {},
      random: () => 0.5,
      ...options,
    });
    await flush();
    sse.last().open();
    sse.last().ctx.onText('0', 'snapshot', JSON.stringify(start));
    await flush();
    let notified = 0;
    sub.subscribe(() => notified++);
    const errors: string[] = [];
    sub.on('error', (e) => errors.push(e.code));
    const messages: string[] = [];
    sub.on('message', (m) => messages.push(m.id as string));
    return { sse, sub, errors, messages, notified: () => notified };
  };

  const metrics = (): Board => Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`m${i}`, i]));

  it('applies 20 deltas to one snapshot with one notification, and every message is seen', async () => {
    const { sse, sub, messages, notified } = await setup(metrics());
    const before = sub.getSnapshot();
    const expected = { ...before };
    for (let i = 1; i <= 20; i++) {
      sse.last().ctx.onText(String(i), 'delta', replace(`m${i * 3}`, -i));
      expected[`m${i * 3}`] = -i;
    }
    expect(notified()).toBe(0); // at the end of the task, not per message
    await flush();
    expect(notified()).toBe(1);
    expect(sub.getSnapshot()).toEqual(expected);
    expect(sub.getSnapshot()).not.toBe(before);
    expect(before).toEqual(metrics()); // the earlier snapshot is untouched
    expect(messages).toEqual(Array.from({ length: 20 }, (_, i) => String(i + 1)));
    sse.last().ctx.onText('21', 'delta', replace('m0', 'next task'));
    await flush();
    expect(notified()).toBe(2);
    sub.close();
  });

  it('notifies nobody when the deltas of a task change nothing', async () => {
    const { sse, sub, notified } = await setup({ a: 1 });
    const before = sub.getSnapshot();
    sse.last().ctx.onText('1', 'delta', '[{"op":"test","path":"/a","value":1}]');
    sse.last().ctx.onText('2', 'delta', '[]');
    await flush();
    expect(notified()).toBe(0);
    expect(sub.getSnapshot()).toBe(before);
    sub.close();
  });

  it('gives a message listener the state with its message, and never changes that object afterwards', async () => {
    const { sse, sub, errors, notified } = await setup({ a: 0, b: { n: 0 } });
    const seen: Array<[Board, string]> = [];
    sub.on('message', () => {
      const state = deepFreeze(sub.getSnapshot()); // a write into it would throw, failing the patch
      seen.push([state, JSON.stringify(state)]);
    });
    for (let i = 1; i <= 5; i++) {
      sse.last().ctx.onText(String(i), 'delta', `[{"op":"replace","path":"/a","value":${i}},{"op":"replace","path":"/b/n","value":${i}}]`);
    }
    expect(seen.map(([state]) => state.a)).toEqual([1, 2, 3, 4, 5]);
    await flush();
    expect(errors).toEqual([]);
    expect(notified()).toBe(1);
    for (const [state, text] of seen) expect(JSON.stringify(state)).toBe(text);
    expect(sub.getSnapshot()).toEqual({ a: 5, b: { n: 5 } });
    sub.close();
  });

  it('never writes into the state a store listener read', async () => {
    const { sse, sub, errors } = await setup(metrics());
    const read: Board[] = [];
    sub.subscribe(() => read.push(deepFreeze(sub.getSnapshot())));
    sse.last().ctx.onText('1', 'delta', replace('m1', 'a'));
    await flush();
    sse.last().ctx.onText('2', 'delta', replace('m1', 'b'));
    sse.last().ctx.onText('3', 'delta', replace('m2', 'c'));
    await flush();
    expect(errors).toEqual([]);
    expect(read.map((s) => [s.m1, s.m2])).toEqual([
      ['a', 2],
      ['b', 'c'],
    ]);
    sub.close();
  });

  it('keeps the state of the last good patch when one in the middle fails, reports delta and resyncs', async () => {
    const { sse, sub, errors, messages, notified } = await setup({ a: 0, b: 0 });
    sse.last().ctx.onText('1', 'delta', replace('a', 1));
    sse.last().ctx.onText('2', 'delta', replace('b', 2));
    // Writes /a, then fails: the write must not stay.
    sse.last().ctx.onText('3', 'delta', '[{"op":"replace","path":"/a","value":99},{"op":"test","path":"/b","value":0}]');
    sse.last().ctx.onText('4', 'delta', replace('a', 4)); // after the failure: the attempt has ended
    expect(sub.getSnapshot()).toEqual({ a: 1, b: 2 });
    await flush();
    expect(notified()).toBe(1);
    expect(messages).toEqual(['1', '2']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(errors).toEqual(['delta']);
    expect(sse.connections).toHaveLength(2);
    expect(sse.last().ctx.lastEventId()).toBeUndefined(); // resync: no position
    expect(sub.getSnapshot()).toEqual({ a: 1, b: 2 });
    sse.last().open();
    sse.last().ctx.onText('9', 'snapshot', '{"a":7,"b":7}');
    sse.last().ctx.onText('10', 'delta', replace('a', 8));
    await flush();
    expect(sub.getSnapshot()).toEqual({ a: 8, b: 7 });
    sub.close();
  });

  it('applies a snapshot that arrives mid-batch in order, without writing into its data', async () => {
    const { sse, sub, notified } = await setup({ a: 0 });
    const data: unknown[] = [];
    sub.on('message', (m) => {
      if (m.event === 'snapshot') data.push(deepFreeze(m.data));
    });
    sse.last().ctx.onText('1', 'delta', replace('a', 1));
    sse.last().ctx.onText('2', 'snapshot', '{"a":10,"b":{"c":1}}');
    expect(sub.getSnapshot()).toEqual({ a: 10, b: { c: 1 } });
    sse.last().ctx.onText('3', 'delta', '[{"op":"replace","path":"/b/c","value":2}]');
    await flush();
    expect(notified()).toBe(1);
    expect(sub.getSnapshot()).toEqual({ a: 10, b: { c: 2 } });
    expect(data).toEqual([{ a: 10, b: { c: 1 } }]);
    sub.close();
  });

  it('drops an open batch on close(): no notification afterwards, the state stays readable', async () => {
    const { sse, sub, notified } = await setup({ a: 0 });
    sse.last().ctx.onText('1', 'delta', replace('a', 1));
    sub.close();
    await flush();
    expect(notified()).toBe(0);
    expect(sub.getSnapshot()).toEqual({ a: 1 });
  });

  it('batches merge patches too', async () => {
    const { sse, sub, notified } = await setup({ a: { x: 0 }, b: { y: 0 } }, { delta: mergePatch });
    const before = sub.getSnapshot();
    for (let i = 1; i <= 5; i++) sse.last().ctx.onText(String(i), 'delta', `{"a":{"x":${i}}}`);
    await flush();
    expect(notified()).toBe(1);
    expect(sub.getSnapshot()).toEqual({ a: { x: 5 }, b: { y: 0 } });
    expect(sub.getSnapshot().b).toBe(before.b);
    sub.close();
  });

  it('keeps one notification per message for a codec without batch', async () => {
    const counter: DeltaCodec<Board> = { apply: (state, patch) => ({ ...state, n: (state.n as number) + (patch as number) }) };
    const { sse, sub, notified } = await setup({ n: 0 }, { delta: counter });
    sse.last().ctx.onText('1', 'delta', '1');
    sse.last().ctx.onText('2', 'delta', '2');
    expect(notified()).toBe(2);
    expect(sub.getSnapshot()).toEqual({ n: 3 });
    sub.close();
  });
});
