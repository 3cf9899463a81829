import type { Message, Subscription, SubscriptionEvents } from '../../src/index.js';

/** Resolves with the next `type` event that satisfies `match`; rejects after `ms` (a guard, not a sleep). */
export function next<K extends keyof SubscriptionEvents<unknown>>(
  sub: Subscription<unknown, unknown>,
  type: K,
  match: (value: SubscriptionEvents<unknown>[K]) => boolean = () => true,
  ms = 5000,
): Promise<SubscriptionEvents<unknown>[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no matching '${String(type)}' event within ${ms} ms`));
    }, ms);
    const off = sub.on(type, (value) => {
      if (!match(value)) return;
      clearTimeout(timer);
      off();
      resolve(value);
    });
  });
}

/** Collects messages until `count` have arrived; rejects after `ms`. */
export function collect<T>(sub: Subscription<T, unknown>, count: number, ms = 5000): Promise<Message<T>[]> {
  const seen: Message<T>[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`got ${seen.length} of ${count} messages within ${ms} ms: ${JSON.stringify(seen.map((m) => m.data))}`));
    }, ms);
    const off = sub.on('message', (m) => {
      seen.push(m);
      if (seen.length < count) return;
      clearTimeout(timer);
      off();
      resolve(seen);
    });
  });
}

/** Resolves once `condition()` holds, checked on each event of `sub` (and now). */
export function until(sub: Subscription<unknown, unknown>, condition: () => boolean, ms = 5000): Promise<void> {
  if (condition()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const offs: Array<() => void> = [];
    const stop = (): void => {
      for (const off of offs) off();
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`condition not met within ${ms} ms`));
    }, ms);
    const check = (): void => {
      if (!condition()) return;
      clearTimeout(timer);
      stop();
      resolve();
    };
    offs.push(sub.on('message', check), sub.on('status', check), sub.on('error', check));
  });
}
