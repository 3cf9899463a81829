/** Remembers recent event ids, so a replayed event is recognised in O(1) and memory stays flat. */
export interface DedupeWindow {
  /** Records `id`; true when it was already in the window (a duplicate). */
  seen(id: string): boolean;
}

/**
 * Creates a {@link DedupeWindow} that remembers at least the last `capacity` ids and at most
 * twice that (docs/protocol.md §3.4).
 *
 * Most servers number their events: `1`, `2`, `3`… While every id is a canonical decimal
 * (`0`, or no leading zero, at most 15 digits: exact as a double) and each is above the last,
 * the window is a ring of the last `capacity` numbers. An id above the last is new without any
 * lookup and costs one array write; a lower one (a replay after a reconnect) is found by binary
 * search, as the ring is sorted. Hashing each id into a Set cost about 100 ns an event (node 20);
 * this costs a few.
 *
 * The first id that breaks the pattern (not a canonical decimal, or a new id below the last)
 * turns the window into two generations of Sets, for good: one lookup and one insert per event,
 * no per-event eviction. Nothing is allocated before the first id.
 */
export function createDedupeWindow(capacity = 1024): DedupeWindow {
  const ring: number[] = [];
  let count = 0;
  let last = -1;
  let current: Set<string> | undefined;
  let previous = new Set<string>();
  /** Binary search of the ring, ascending from its oldest slot. */
  const has = (n: number): boolean => {
    const length = ring.length;
    const oldest = count % length;
    let lo = 0;
    let hi = length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const value = ring[(oldest + mid) % length] as number;
      if (value === n) return true;
      if (value < n) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  };
  return {
    seen(id) {
      if (!current) {
        const n = decimal(id);
        if (n > last) {
          ring[count++ % capacity] = last = n;
          return false;
        }
        if (n >= 0 && has(n)) return true;
        // A new id below the last, or not a number: from now on, Sets.
        current = new Set(ring.map(String));
      }
      if (previous.has(id)) return true;
      // One hash operation for the current generation: add() tells novelty by the size change.
      const size = current.size;
      current.add(id);
      if (current.size === size) return true;
      if (size + 1 >= capacity) {
        previous = current;
        current = new Set();
      }
      return false;
    },
  };
}

/** The value of a canonical decimal id of at most 15 digits, else -1. */
function decimal(id: string): number {
  const length = id.length;
  let n = length > 0 && length < 16 && (length === 1 || id.charCodeAt(0) !== 48) ? 0 : -1;
  for (let i = 0; i < length && n >= 0; i++) {
    const digit = id.charCodeAt(i) - 48;
    n = digit >= 0 && digit <= 9 ? n * 10 + digit : -1;
  }
  return n;
}
