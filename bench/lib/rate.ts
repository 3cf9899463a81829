/**
 * Throughput contenders measured in a fresh process each: every sample spawns lib/rate-child.ts
 * for one client, which warms up, times one stream and reports messages/s and CPU µs per message.
 * The child is plain JavaScript (lib/bundle.ts) run by a plain `node`, as a user's process is.
 *
 * Why: clients that share a process share its heap, its JIT state and the code it has loaded. In
 * the one bench process (tsx, the bench's modules, every client in turn) the fetch + createParser
 * peer ran at 0.65–0.8× the speed it has in a process of its own, and slower the more the other
 * clients had run before it, while anywire ran at its own speed: the ratio flattered anywire.
 */

import type { ClientFigure } from '../clients/client.js';
import type { ServerPorts } from '../servers/main.js';
import { spawnBundled } from './bundle.js';
import { firstMessage, stopChild } from './children.js';
import type { Contender } from './stats.js';

/** One timed stream, as the child reports it. */
export interface RateSample {
  /** Messages per second, from the request to the last message. */
  perSecond: number;
  /** The client process's CPU time (user + system, every thread) over the same span ÷ messages. */
  cpuUsPerMessage: number;
}

/** What lib/rate-child.ts sends over IPC. */
export type RateMessage = { rate: RateSample } | { failed: string };

/** A contender whose `run()` resolves with messages/s and records CPU µs per message in `cpu`. */
export interface RateContender extends Contender {
  /** CPU µs per message of every run, in the order of the samples. */
  cpu: number[];
}

/** Options of {@link childRateContender}. */
export interface ChildRateOptions {
  /** Messages per timed stream. */
  n: number;
  /** Untimed streams of `n` before the timed one, in the same process. */
  warmup: number;
  ports: ServerPorts;
  /** The whole child (start, warm-up, timed stream) must report within this. */
  timeoutMs: number;
  /** The anywire module the parent loaded (lib/anywire.ts), for the child to load too. */
  anywire?: URL;
}

/** A contender that runs client `id` of `figure` (bench/clients/<figure>.ts) in a new process per sample. */
export function childRateContender(figure: ClientFigure, id: string, options: ChildRateOptions): RateContender {
  const cpu: number[] = [];
  return {
    id,
    cpu,
    run: async () => {
      const child = await spawnBundled(new URL('./rate-child.ts', import.meta.url), {
        nodeFlags: ['--expose-gc'],
        args: [figure, id, String(options.n), String(options.warmup), JSON.stringify(options.ports)],
        ...(options.anywire === undefined ? {} : { anywire: options.anywire }),
      });
      child.stdout?.pipe(process.stderr);
      try {
        const message = await firstMessage(
          child,
          (m) => (m !== null && typeof m === 'object' ? (m as RateMessage) : undefined),
          options.timeoutMs,
        );
        if ('failed' in message) throw new Error(message.failed);
        cpu.push(message.rate.cpuUsPerMessage);
        return message.rate.perSecond;
      } finally {
        await stopChild(child);
      }
    },
  };
}
