import type { DeltaCodec } from '../delta/codec.js';
import { AnywireError, isAnywireError } from './errors.js';

/** A live snapshot, in the shape React's `useSyncExternalStore` takes as is. */
export interface SnapshotStore<S> {
  /** The current state. Its identity changes exactly when the state changes. Bound: pass it as is. */
  readonly getSnapshot: () => S;
  /** Registers a change listener; returns its own unsubscribe. Bound: pass it as is. */
  readonly subscribe: (onChange: () => void) => () => void;
}

/**
 * The state after one message, purely. With a codec, a `snapshot` event replaces the state and a
 * `delta` event is applied to it; other events leave it. Without one, the state is the latest
 * message's data. Throws an `AnywireError` with code `delta` when a patch cannot apply; the
 * caller keeps the previous state (the codec never mutates it).
 */
export function nextState<S>(codec: DeltaCodec<S> | undefined, state: S, event: string, data: unknown): S {
  if (!codec || event === 'snapshot') return data as S;
  if (event !== 'delta') return state;
  try {
    return codec.apply(state, data);
  } catch (cause) {
    throw deltaError(cause);
  }
}

/** What a codec threw, as an `AnywireError` with code `delta`. */
export function deltaError(cause: unknown): AnywireError {
  return isAnywireError(cause) && cause.code === 'delta'
    ? cause
    : new AnywireError('delta', 'delta: the patch could not be applied', { cause });
}
