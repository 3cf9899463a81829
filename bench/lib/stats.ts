/**
 * Interleaved rounds and medians. Every contender runs once per round, in an order that rotates
 * each round, so slow drift of the machine (thermal, other load, GC state) lands on all of them
 * alike; the figure is the median of the rounds.
 */

/** The median of a non-empty list (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** One thing being measured: `run()` does one measurement and returns its value. */
export interface Contender {
  id: string;
  run(): Promise<number>;
}

/** Options of {@link interleave}. */
export interface InterleaveOptions {
  /** Measured rounds. */
  rounds: number;
  /** Unmeasured rounds first, so every contender's code is loaded and optimised. */
  warmup: number;
  /** Called after every measurement, for progress output. */
  onSample?: (id: string, round: number, value: number) => void;
}

/** The samples of every contender, and the error of each one that failed (it stops being run). */
export interface InterleaveResult {
  samples: Map<string, number[]>;
  errors: Map<string, string>;
}

/** Runs the contenders in interleaved rounds; a contender that throws is dropped, not fatal. */
export async function interleave(contenders: readonly Contender[], options: InterleaveOptions): Promise<InterleaveResult> {
  const samples = new Map<string, number[]>(contenders.map((c) => [c.id, []]));
  const errors = new Map<string, string>();
  const total = options.warmup + options.rounds;
  for (let round = 0; round < total; round++) {
    const measured = round >= options.warmup;
    for (let k = 0; k < contenders.length; k++) {
      const contender = contenders[(k + round) % contenders.length] as Contender;
      if (errors.has(contender.id)) continue;
      try {
        const value = await contender.run();
        if (measured) {
          samples.get(contender.id)?.push(value);
          options.onSample?.(contender.id, round - options.warmup, value);
        }
      } catch (error) {
        errors.set(contender.id, error instanceof Error ? error.message : String(error));
      }
    }
  }
  return { samples, errors };
}

/** `run` with a deadline: a stuck measurement fails instead of hanging the bench. */
export function withTimeout<T>(ms: number, what: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`${what}: no result in ${ms} ms`));
    }, ms);
  });
  return Promise.race([run(controller.signal), timeout]).finally(() => clearTimeout(timer));
}
