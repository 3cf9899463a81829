import { checkLast } from '../servers/payload.js';
import { collect } from './gc.js';
import { type Contender, withTimeout } from './stats.js';

/**
 * A throughput contender: after a full GC, times one run that receives `n` messages (bounded by
 * `timeoutMs`), checks the last one is the `n`-th, and reports messages per second.
 */
export function rateContender(
  id: string,
  label: string,
  n: number,
  timeoutMs: number,
  receive: (signal: AbortSignal) => Promise<unknown>,
): Contender {
  return {
    id,
    run: async () => {
      await collect();
      const started = performance.now();
      const last = await withTimeout(timeoutMs, label, receive);
      const seconds = (performance.now() - started) / 1000;
      checkLast(last, n, label);
      return n / seconds;
    },
  };
}
