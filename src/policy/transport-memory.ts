import type { TransportName } from '../core/types.js';

// Which transport worked for an endpoint, remembered for the life of the process (or page), so the
// next subscription to it does not repeat the failed opens that led there. Bounded: an app that
// subscribes to endless distinct URLs forgets the oldest.
const learned = new Map<string, TransportName>();
const LIMIT = 100;

/** The transport that last worked for `key`, if it was not the preferred one. */
export const recall = (key: string): TransportName | undefined => learned.get(key);

/** Records that `name` worked for `key`; the preferred transport working clears the memory. */
export function remember(key: string, name: TransportName, preferred: boolean): void {
  learned.delete(key);
  if (preferred) return;
  learned.set(key, name);
  if (learned.size > LIMIT) learned.delete(learned.keys().next().value as string);
}
