// Seeded randomness for the fault suite: one seed reproduces a whole run's schedule.

/** mulberry32, shared with the benchmarks and the storm simulation. */
export { seededRandom as mulberry32 } from '../../bench/lib/random.js';

/**
 * Derives an independent 32-bit seed from a seed and labels (`seedOf(7, 'sse', 12)`), so each
 * transport, deck and connection gets its own stream: drawing more numbers for one connection
 * never shifts the schedule of the next. FNV-1a over the labels, then murmur3's finaliser.
 */
export function seedOf(...parts: ReadonlyArray<number | string>): number {
  const text = parts.join('\u0000');
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** An integer in [min, max], both included. */
export function intBetween(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** A shuffled copy (Fisher–Yates). */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = intBetween(random, 0, i);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
