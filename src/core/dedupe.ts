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
 * (`0` or no leading zero, at most 15 digits, so exact as a double) and each is above the last,
 * the window is a ring of the last `capacity` numbers. An id above the last is new without any
 * lookup and costs one array write; a lower one (a replay after a reconnect) is looked up by
 * binary search, as the ring is sorted. Hashing each id into a Set cost about 100 ns an event
 * (node 20); this costs a few.
 *
 * The first id that breaks the pattern (not a canonical decimal, or a new id below the last)
 * turns the window into two generations of Sets, for good: one lookup and one insert per event,
 * no per-event eviction. Nothing is allocated before the first id.
 */
export function createDedupeWindow(capacity = 1024): DedupeWindow {
  return new Window(capacity);
}

/** The value of a canonical decimal id of at most 15 digits, else -1. */
export function decimal(id: string): number {
  const length = id.length;
  if (length === 0 || length > 15 || (length > 1 && id.charCodeAt(0) === 48)) return -1;
  let n = 0;
  for (let i = 0; i < length; i++) {
    const digit = id.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}

class Window implements DedupeWindow {
  _cap: number;
  /** Ring mode: the last ids as numbers, ascending from `_count % _cap` once full. */
  _ring: number[] = [];
  _count = 0;
  _last = -1;
  /** Set mode, once an id broke the ring's pattern. */
  _current: Set<string> | undefined = undefined;
  _previous: Set<string> | undefined = undefined;

  constructor(capacity: number) {
    this._cap = capacity;
  }

  seen(id: string): boolean {
    let current = this._current;
    if (current === undefined) {
      const n = decimal(id);
      if (n > this._last) {
        this._last = n;
        this._ring[this._count++ % this._cap] = n;
        return false;
      }
      if (n >= 0 && this._has(n)) return true;
      // A new id below the last, or not a number: from now on, Sets.
      current = this._current = new Set(this._ring.map(String));
      this._previous = new Set();
    }
    if ((this._previous as Set<string>).has(id)) return true;
    // One hash operation for the current generation: add() tells novelty by the size change.
    const size = current.size;
    current.add(id);
    if (current.size === size) return true;
    if (size + 1 >= this._cap) {
      this._previous = current;
      this._current = new Set();
    }
    return false;
  }

  /** Binary search of the ring, which holds ascending numbers from its oldest slot. */
  _has(n: number): boolean {
    const ring = this._ring;
    const length = ring.length;
    const oldest = this._count > length ? this._count % length : 0;
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
  }
}
