import type { Work } from './json-patch.js';

/**
 * Patches that arrive together (one SSE chunk, one poll body), applied to one working copy: the
 * containers a batch copies are written in place by its later patches, so a 200-key root is
 * copied once per batch instead of once per patch. Made by {@link DeltaCodec.batch}.
 *
 * @typeParam S - The state the codec works on.
 */
export interface DeltaBatch<S> {
  /**
   * Applies `patch` to the working copy and returns it (the same object after the first change;
   * the state the batch started from when nothing changed). Atomic: when it throws, the working
   * copy is as it was after the previous successful `apply`.
   */
  apply(patch: unknown): S;
  /**
   * Hands out the working copy and returns it: the batch never writes into it again, later
   * patches copy what they change. Call it before anyone else may read the state.
   */
  seal(): S;
}

/** Writes one patch into `w` (see {@link Work}); may leave `w.own` half written when it throws. */
export type Writer = (w: Work, patch: unknown) => void;

/**
 * The batch of both built-in codecs. Atomicity without an undo log: failures are rare, so a
 * failed patch rebuilds the working copy from the last sealed state and the patches since.
 */
export class Batch<S> implements DeltaBatch<S> {
  readonly _write: Writer;
  readonly _w: Work;
  /** The state at the last seal; never written. */
  _base: unknown;
  /** The patches applied since {@link _base}. */
  _done: unknown[] = [];

  constructor(state: S, write: Writer) {
    this._write = write;
    this._base = state;
    this._w = { root: state, own: [], node: {} };
  }

  apply(patch: unknown): S {
    const w = this._w;
    try {
      this._write(w, patch);
    } catch (error) {
      w.root = this._base;
      w.own = [];
      for (const done of this._done) this._write(w, done);
      throw error;
    }
    this._done.push(patch);
    // Owned containers are looked up in a list: past a few hundred (a long poll body), forget
    // them, which only costs copying them again.
    if (w.own.length > 255) w.own = [];
    return w.root as S;
  }

  seal(): S {
    const w = this._w;
    w.own = [];
    this._done = [];
    return (this._base = w.root) as S;
  }
}
