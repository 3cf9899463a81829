/** Remembers the last `capacity` event ids, so a replayed event is recognised in O(1) and memory stays flat. */
export interface DedupeWindow {
  /** Records `id`; true when it was already in the window (a duplicate). */
  seen(id: string): boolean;
}

/** Creates a {@link DedupeWindow} holding the most recent `capacity` ids (oldest evicted first). */
export function createDedupeWindow(capacity = 1024): DedupeWindow {
  const ids = new Set<string>();
  const ring: string[] = new Array(capacity);
  let next = 0;
  return {
    seen(id) {
      if (ids.has(id)) return true;
      const old = ring[next];
      if (old !== undefined) ids.delete(old);
      ring[next] = id;
      ids.add(id);
      next = (next + 1) % capacity;
      return false;
    },
  };
}
