/**
 * A full garbage collection between measurements. Uses `global.gc` when node runs with
 * `--expose-gc`; otherwise enables it at run time (V8 flag + a fresh context exposes `gc`), so
 * `tsx bench/run.ts` needs no node flags.
 */

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Gc = () => void;

function resolveGc(): Gc {
  const existing = (globalThis as { gc?: Gc }).gc;
  if (typeof existing === 'function') return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as Gc;
}

const gc = resolveGc();

/** Collects until the heap settles: a few passes, yielding in between so finalizers run. */
export async function collect(passes = 3): Promise<void> {
  for (let i = 0; i < passes; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
}
