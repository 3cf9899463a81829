/**
 * What one shallow copy of a document's root costs, by each way JavaScript has to make it.
 *
 * An immutable snapshot pays at least one root copy per patch, so this is the floor under every
 * immutable JSON Patch engine on the runtime at hand; bench/delta.ts prints it next to the time
 * per patch the throughput bar allows. Each method copies its own previous result (as a store
 * does), `count` times after a warm-up, and reports microseconds per copy.
 */

type Doc = Record<string, unknown>;

/** The copy methods measured; `compiled` needs `new Function` and is shown as the ceiling only. */
export const COPY_METHODS = ['spread', 'Object.assign', 'for-in', 'compiled literal'] as const;

/** One of {@link COPY_METHODS}. */
export type CopyMethod = (typeof COPY_METHODS)[number];

/**
 * A copier of objects with exactly `keys`, by `method`. `compiled literal` is an object literal
 * listing the keys, built by `new Function`: on Node 20 the fastest copy of a big object there is
 * (a literal is cloned from its boilerplate), but a Content-Security-Policy without 'unsafe-eval'
 * forbids it and Cloudflare Workers refuse it, so anywire does not ship it; the bench measures it
 * only to show the ceiling.
 */
export function copier(method: CopyMethod, keys: readonly string[]): (doc: Doc) => Doc {
  if (method === 'spread') return (doc) => ({ ...doc });
  if (method === 'Object.assign') return (doc) => Object.assign({}, doc);
  if (method === 'for-in')
    return (doc) => {
      const out: Doc = {};
      for (const key in doc) out[key] = doc[key];
      return out;
    };
  const body = keys.map((k) => `${JSON.stringify(k)}:s[${JSON.stringify(k)}]`).join(',');
  return new Function('s', `return{${body}}`) as (doc: Doc) => Doc;
}

const adopt = (doc: Doc): Doc => ({ ...doc });

/** Microseconds per copy of `doc`'s root, by each method, `count` chained copies each. */
export function copyCosts(doc: Doc, count: number): Record<CopyMethod, number> {
  const out = {} as Record<CopyMethod, number>;
  for (const method of COPY_METHODS) {
    const copy = copier(method, Object.keys(doc));
    // The copy site sees only its own results (the first copy is made elsewhere), as anywire's
    // does: a site that also sees the original's shape (a dictionary, from JSON.parse) stays slow.
    const first = adopt(doc);
    let state = first;
    for (let i = 0; i < 1_000; i++) state = copy(state);
    state = first;
    const t0 = performance.now();
    for (let i = 0; i < count; i++) state = copy(state);
    out[method] = ((performance.now() - t0) * 1_000) / count;
    if (Object.keys(state).length !== Object.keys(doc).length) throw new Error(`${method} lost members`);
  }
  return out;
}
