import type { DeltaCodec } from './delta/codec.js';
import { AnywireError, isAnywireError } from './errors.js';

/** A live snapshot, in the shape React's `useSyncExternalStore` takes as is. */
export interface SnapshotStore<S> {
  /** The current state. Its identity changes exactly when the state changes. Bound: pass it as is. */
  readonly getSnapshot: () => S;
  /** Registers a change listener; returns its own unsubscribe. Bound: pass it as is. */
  readonly subscribe: (onChange: () => void) => () => void;
}

/** The writable side, used by the subscription. */
export interface WritableStore<S> extends SnapshotStore<S> {
  /** Applies one message. Throws an `AnywireError` with code `delta`, leaving the state as it was. */
  apply(event: string, data: unknown): void;
  /** Drops every listener. */
  clear(): void;
}

/**
 * Creates the store. With a codec, `snapshot` events replace the state and `delta` events are
 * applied to it; other events pass by. Without one, the state is the latest message's data.
 */
export function createStore<S>(codec: DeltaCodec<S> | undefined, initial: S): WritableStore<S> {
  let state = initial;
  const listeners = new Set<() => void>();
  const set = (next: S): void => {
    if (Object.is(next, state)) return; // a message that changes nothing notifies nobody
    state = next;
    if (listeners.size === 0) return; // the common case without a UI: no copy, no loop
    for (const fn of [...listeners]) fn();
  };
  return {
    getSnapshot: () => state,
    subscribe: (onChange) => {
      const entry = (): void => onChange();
      listeners.add(entry);
      return () => void listeners.delete(entry);
    },
    apply(event, data) {
      if (!codec) return set(data as S);
      if (event === 'snapshot') return set(data as S);
      if (event !== 'delta') return;
      let next: S;
      try {
        next = codec.apply(state, data);
      } catch (cause) {
        throw isAnywireError(cause) && cause.code === 'delta'
          ? cause
          : new AnywireError('delta', `delta: the patch could not be applied`, { cause });
      }
      set(next);
    },
    clear: () => listeners.clear(),
  };
}
