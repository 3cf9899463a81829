import { Batch, type DeltaBatch } from './batch.js';
import { applyJsonPatch, writeJsonPatch } from './json-patch.js';
import { applyMergePatch, merge } from './merge-patch.js';

export type { DeltaBatch } from './batch.js';

/**
 * Turns a delta from the server into the next state. `apply` must be pure: it must not change
 * `state` (earlier snapshots may still be in use) and must return a new state, or `state` itself
 * when nothing changed. To reject a delta, throw: the caller keeps the previous state and
 * resyncs. Throw an `AnywireError` with code `'delta'` to say so in the usual way.
 *
 * @typeParam S - The state the codec works on.
 *
 * @example
 * // A codec for a counter whose deltas are increments: `{ "add": 3 }`.
 * const counter: DeltaCodec<number> = {
 *   apply(state, patch) {
 *     const add = (patch as { add?: unknown }).add;
 *     if (typeof add !== 'number') throw new AnywireError('delta', 'delta: expected { add: number }');
 *     return state + add;
 *   },
 * };
 */
export interface DeltaCodec<S = unknown> {
  /** Returns the state after `patch`, without changing `state`; throws if `patch` cannot apply. */
  apply(state: S, patch: unknown): S;
  /**
   * Optional: opens a batch on `state`, for deltas that arrive together. A subscription applies
   * every delta of one task (an SSE chunk, a poll body) to one batch and publishes its result
   * once; without `batch` it calls `apply` per delta. `state` itself must never be written.
   */
  batch?(state: S): DeltaBatch<S>;
}

/** A codec that works on a state of any type: fits `delta` whatever the snapshot's type. */
export interface AnyStateCodec {
  /** Returns the state after `patch`, without changing `state`; throws if `patch` cannot apply. */
  apply<S>(state: S, patch: unknown): S;
  /** Opens a batch on `state` (see {@link DeltaCodec.batch}). */
  batch<S>(state: S): DeltaBatch<S>;
}

/**
 * RFC 6902 JSON Patch deltas, applied by {@link applyJsonPatch}. Pass it as `delta`; only apps
 * that import it ship the engine.
 *
 * @example
 * import { jsonPatch, subscribe } from 'anywire';
 * const metrics = subscribe<unknown, Metrics>({ url: '/api/metrics', delta: jsonPatch, initial: {} });
 */
export const jsonPatch: AnyStateCodec = { apply: applyJsonPatch, batch: (state) => new Batch(state, writeJsonPatch) };

/**
 * RFC 7396 JSON Merge Patch deltas, applied by {@link applyMergePatch}. Pass it as `delta`.
 *
 * @example
 * import { mergePatch, subscribe } from 'anywire';
 * const profile = subscribe<unknown, Profile>({ url: '/api/profile', delta: mergePatch, initial: {} });
 */
export const mergePatch: AnyStateCodec = {
  apply: applyMergePatch,
  batch: (state) => new Batch(state, (w, patch) => (w.root = merge(w.root, patch, w.own))),
};
