/** A typed listener registry: each `on()` returns its own unsubscribe; emits go over a copy. */
export interface Emitter<Events> {
  /** Registers `fn` for `type`; the returned function removes exactly this registration. */
  on<K extends keyof Events>(type: K, fn: (value: Events[K]) => void): () => void;
  /** Calls every listener of `type` in registration order. */
  emit<K extends keyof Events>(type: K, value: Events[K]): void;
  /** Drops every listener. */
  clear(): void;
  /** True when `type` has at least one listener. */
  has(type: keyof Events): boolean;
}

/**
 * The {@link Emitter} behind every subscription. Its Map and Sets are made on the first `on()`,
 * so a subscription nobody listens to (yet) holds none. A listener that throws does not stop the
 * others: its error is rethrown on a fresh task, where the host reports it like any uncaught error.
 */
export class EventRegistry<Events> implements Emitter<Events> {
  private _m: Map<keyof Events, Set<(value: never) => void>> | undefined;

  on<K extends keyof Events>(type: K, fn: (value: Events[K]) => void): () => void {
    this._m ??= new Map();
    let set = this._m.get(type);
    if (!set) this._m.set(type, (set = new Set()));
    // A wrapper gives each registration its own identity, so registering one function twice
    // and unsubscribing once removes exactly one.
    const entry = (value: never): void => fn(value);
    set.add(entry);
    return () => void set.delete(entry);
  }

  emit<K extends keyof Events>(type: K, value: Events[K]): void {
    const set = this._m?.get(type);
    if (!set || set.size === 0) return;
    // One listener (the common case) is called without copying the set; `break` keeps a
    // listener registered during the call from also being called now.
    const single = set.size === 1;
    for (const fn of single ? set : [...set]) {
      call(fn, value);
      if (single) break;
    }
  }

  clear(): void {
    this._m = undefined;
  }

  has(type: keyof Events): boolean {
    return (this._m?.get(type)?.size ?? 0) > 0;
  }
}

/** Creates an {@link Emitter}. */
export const createEmitter = <Events>(): Emitter<Events> => new EventRegistry<Events>();

function call(fn: (value: never) => void, value: unknown): void {
  try {
    fn(value as never);
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}
