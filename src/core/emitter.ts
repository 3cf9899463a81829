/** A typed listener registry: each `on()` returns its own unsubscribe; an emit calls the listeners registered when it began. */
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
 * The {@link Emitter} behind every subscription: one array of listeners per event type, replaced
 * (never changed in place) by `on()` and by an unsubscribe, so `emit` walks the array it read
 * without copying it, and a listener added or removed during an emit takes effect from the next
 * one. Nothing is allocated before the first `on()`, so a subscription nobody listens to (yet)
 * holds only an empty field. A listener that throws does not stop the others: its error is
 * rethrown on a microtask, where the host reports it like any uncaught error.
 */
export class EventRegistry<Events> implements Emitter<Events> {
  _m: Lists<Events> | undefined = undefined;

  on<K extends keyof Events>(type: K, fn: (value: Events[K]) => void): () => void {
    const m: Lists<Events> = this._m ?? (this._m = {});
    m[type] = [...(m[type] ?? []), fn];
    let on = true;
    // Removes one registration of `fn`, once: registering a function twice and unsubscribing
    // once leaves one (which of the two goes cannot be told apart). No wrapper per registration.
    return () => {
      const list = this._m?.[type];
      const at = on && list ? list.lastIndexOf(fn) : -1;
      on = false;
      if (at >= 0) (this._m as Lists<Events>)[type] = [...(list as []).slice(0, at), ...(list as []).slice(at + 1)];
    };
  }

  emit<K extends keyof Events>(type: K, value: Events[K]): void {
    const list = this._m?.[type];
    if (list) for (let i = 0; i < list.length; i++) call(list[i] as (value: Events[K]) => void, value);
  }

  clear(): void {
    this._m = undefined;
  }

  has(type: keyof Events): boolean {
    return (this._m?.[type]?.length ?? 0) > 0;
  }
}

/** Each event type's listeners, in registration order. */
type Lists<Events> = { [K in keyof Events]?: Array<(value: Events[K]) => void> };

/** Creates an {@link Emitter}. */
export const createEmitter = <Events>(): Emitter<Events> => new EventRegistry<Events>();

function call<V>(fn: (value: V) => void, value: V): void {
  try {
    fn(value);
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}
