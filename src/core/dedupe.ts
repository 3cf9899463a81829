/** Remembers recent event ids, so a replayed event is recognised in O(1) and memory stays flat. */
export interface DedupeWindow {
  /** Records `id`; true when it was already in the window (a duplicate). */
  seen(id: string): boolean;
}

/**
 * Creates a {@link DedupeWindow} that remembers at least the last `capacity` ids and at most
 * twice that. Two generations of Sets instead of a ring: one lookup and one insert per event, no
 * per-event eviction, and nothing allocated up front (an idle subscription costs two empty Sets).
 */
export function createDedupeWindow(capacity = 1024): DedupeWindow {
  let current = new Set<string>();
  let previous = new Set<string>();
  return {
    seen(id) {
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
