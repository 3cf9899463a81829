/**
 * JSON Patch deltas: how fast does each library turn wire text into the next state?
 *
 * The workload is a live metrics dashboard: one 200-key, mostly flat document and a stream of
 * patches of 1–4 `replace` operations, pre-generated from a seeded PRNG as wire text. anywire
 * returns a new immutable snapshot for every patch (the old one stays valid) and validates every
 * operation; the peers mutate one document in place, fast-json-patch without validation
 * (`applyPatch(doc, ops, false, true)`). "wire" rows include `JSON.parse` of the text, which is
 * what a client pays per message; "apply" rows take the patches already parsed. "read" rows go
 * through the batch API a subscription uses (`jsonPatch.batch`): the patches of one read (an SSE
 * chunk, a poll body) apply to one working copy, sealed once per read; with 20 patches per read
 * against rfc6902 applying the same 20 in place, with one per read against immutable-json-patch.
 *
 * `npx tsx bench/delta.ts [--patches=N] [--rounds=N]` prints the table; bench/run.ts calls
 * {@link runDeltaBench} and puts the figure in docs/benchmarks.md.
 */

import { fileURLToPath } from 'node:url';
// The default export: fast-json-patch's CommonJS entry builds its exports with Object.assign,
// which Node cannot see as named exports.
import fjp, { type Operation as FastOperation } from 'fast-json-patch';
import { immutableJSONPatch, type JSONPatchDocument } from 'immutable-json-patch';
import { type Operation as RfcOperation, applyPatch as rfc6902Patch } from 'rfc6902';
import { applyJsonPatch, jsonPatch } from '../src/delta/index.js';
import { COPY_METHODS, copier, copyCosts } from './lib/copy-cost.js';
import { type Figure, figureMarkdown, type Goal } from './lib/figure.js';
import { seededRandom } from './lib/random.js';
import { type Contender, interleave, median } from './lib/stats.js';

/** Options of {@link runDeltaBench}; bench/run.ts passes its context, which has the same fields. */
export interface DeltaBenchOptions {
  /** Patches per measurement. @defaultValue `100000` (`2000` when `smoke`) */
  patches?: number;
  /** Measured rounds per contender, interleaved. @defaultValue `5` */
  rounds?: number;
  /** Unmeasured rounds first, so every contender is optimised. @defaultValue `1` */
  warmup?: number;
  /** Keys of the metrics document. @defaultValue `200` */
  keys?: number;
  /** Seed of the document and the patches. @defaultValue `1` */
  seed?: number;
  /** Tiny counts: checks the harness runs; the numbers mean nothing. @defaultValue `false` */
  smoke?: boolean;
  /** Progress output. @defaultValue none */
  log?: (line: string) => void;
}

/** The figure (its rows carry every sample) plus the ratios the goals are read from. */
export interface DeltaBenchResult extends Figure {
  /** Median anywire ÷ median peer, in operations per second. */
  ratios: {
    wire: { fastJsonPatch: number; rfc6902: number };
    apply: { fastJsonPatch: number; rfc6902: number };
    /** The naive immutable apply's wire rate ÷ each peer's (see {@link naiveApply}). */
    naive: { fastJsonPatch: number; rfc6902: number };
    /** The same with the root copied by a compiled object literal (bench/lib/copy-cost.ts). */
    compiled: { fastJsonPatch: number; rfc6902: number };
    /** Through the batch API: {@link PER_READ} patches per read ÷ rfc6902; one per read ÷ immutable-json-patch. */
    batched: { rfc6902: number; immutableJsonPatch: number };
  };
}

const fastJsonPatch = fjp.applyPatch;

/** Patches per read in the batched rows: what one SSE chunk or poll body of a busy stream holds. */
const PER_READ = 20;

/** anywire as a subscription applies deltas: each read's patches into one batch, sealed once. */
function readBatched(doc: Metrics, texts: string[], perRead: number): Metrics {
  let state = doc;
  for (let i = 0; i < texts.length; i += perRead) {
    const batch = jsonPatch.batch(state);
    const end = Math.min(i + perRead, texts.length);
    for (let j = i; j < end; j++) batch.apply(JSON.parse(texts[j] as string));
    state = batch.seal();
  }
  return state;
}

type Metrics = Record<string, unknown>;

/** A dashboard document: mostly numbers, some `{ value, unit }` gauges, a few strings and flags. */
function makeDocument(keys: number, random: () => number): Metrics {
  const doc: Metrics = {};
  for (let i = 0; i < keys; i++) {
    const key = `metric_${String(i).padStart(3, '0')}`;
    const kind = random();
    if (kind < 0.8) doc[key] = Math.round(random() * 1e5) / 100;
    else if (kind < 0.9) doc[key] = { value: Math.round(random() * 1e4) / 100, unit: 'ms' };
    else if (kind < 0.95) doc[key] = random() < 0.5 ? 'ok' : 'degraded';
    else doc[key] = random() < 0.5;
  }
  return doc;
}

/** Wire text of `count` patches, 1–4 `replace` ops each, every op valid for `doc`. */
function makePatches(doc: Metrics, count: number, random: () => number): { texts: string[]; ops: number } {
  const keys = Object.keys(doc);
  const texts: string[] = [];
  let ops = 0;
  for (let p = 0; p < count; p++) {
    const patch: unknown[] = [];
    const n = 1 + Math.floor(random() * 4);
    for (let k = 0; k < n; k++) {
      const key = keys[Math.floor(random() * keys.length)] as string;
      const old = doc[key];
      const value = Math.round(random() * 1e5) / 100;
      if (typeof old === 'object') patch.push({ op: 'replace', path: `/${key}/value`, value });
      else if (typeof old === 'number') patch.push({ op: 'replace', path: `/${key}`, value });
      else
        patch.push({
          op: 'replace',
          path: `/${key}`,
          value: typeof old === 'string' ? (random() < 0.5 ? 'ok' : 'degraded') : random() < 0.5,
        });
    }
    ops += n;
    texts.push(JSON.stringify(patch));
  }
  return { texts, ops };
}

/**
 * The naive immutable apply: the least work a new snapshot per patch takes, written the plain way.
 * It copies the root and each container on an op's path, writes the value, and checks nothing (no
 * pointer escaping, no validation, no atomicity). Its rate shows what the root copy alone allows
 * on this runtime; copyCosts() in bench/lib/copy-cost.ts times that copy by every method.
 */
function naiveApply(state: Metrics, patch: unknown, copyRoot: (root: Metrics) => Metrics = spread): Metrics {
  const root = copyRoot(state);
  for (const op of patch as { path: string; value: unknown }[]) {
    const keys = op.path.split('/');
    let node = root;
    for (let i = 1; i < keys.length - 1; i++) {
      const key = keys[i] as string;
      const child = { ...(node[key] as Metrics) };
      node[key] = child;
      node = child;
    }
    node[keys[keys.length - 1] as string] = op.value;
  }
  return root;
}

const spread = (root: Metrics): Metrics => ({ ...root });

/** One contender: applies every patch to a fresh start and returns the final state. */
type Runner = (start: Metrics) => unknown;

/** Runs `runner` once and returns operations per second; checks its final state against `expected`. */
function measure(runner: Runner, doc: Metrics, ops: number, expected: { text: string | undefined }): number {
  // The mutating libraries get their own copy; anywire starts from the shared, never-changed doc.
  const start = structuredClone(doc);
  const t0 = performance.now();
  const final = runner(start);
  const ms = performance.now() - t0;
  const text = JSON.stringify(final);
  if (expected.text === undefined) expected.text = text;
  else if (text !== expected.text) throw new Error('final state differs from the other contenders');
  return (ops / ms) * 1000;
}

/**
 * Measures anywire, fast-json-patch and rfc6902 on the metrics workload, in interleaved rounds.
 * Returns a figure whose rows hold every sample (ops/s), with the goals, read per read: 20
 * patches per read ≥ 1× rfc6902, one per read ≥ 2× immutable-json-patch. The per-patch rows
 * against fast-json-patch (once ≥ 0.7×) and rfc6902 (once ≥ 1×) are reference rows: the issue
 * withdrew those bars (a note in the figure says why).
 */
export async function runDeltaBench(options: DeltaBenchOptions = {}): Promise<DeltaBenchResult> {
  const patches = options.patches ?? (options.smoke ? 2_000 : 100_000);
  const random = seededRandom(options.seed ?? 1);
  const doc = makeDocument(options.keys ?? 200, random);
  const { texts, ops } = makePatches(doc, patches, random);
  const parsed = texts.map((t) => JSON.parse(t) as unknown[]);
  const log = options.log ?? (() => {});
  log(`delta: ${patches} patches, ${ops} ops, ${(ops / patches).toFixed(2)} ops per patch`);

  const runners: Record<string, Runner> = {
    'anywire-wire': () => {
      let state: Metrics = doc;
      for (const text of texts) state = applyJsonPatch(state, JSON.parse(text));
      return state;
    },
    'fjp-wire': (start) => {
      for (const text of texts) fastJsonPatch(start, JSON.parse(text) as FastOperation[], false, true);
      return start;
    },
    'rfc6902-wire': (start) => {
      for (const text of texts) rfc6902Patch(start, JSON.parse(text) as RfcOperation[]);
      return start;
    },
    'naive-wire': () => {
      let state: Metrics = doc;
      for (const text of texts) state = naiveApply(state, JSON.parse(text));
      return state;
    },
    'naive-compiled-wire': () => {
      const copy = copier('compiled literal', Object.keys(doc));
      let state: Metrics = doc;
      for (const text of texts) state = naiveApply(state, JSON.parse(text), copy);
      return state;
    },
    'ijp-wire': () => {
      let state: Metrics = doc;
      for (const text of texts) state = immutableJSONPatch(state, JSON.parse(text) as JSONPatchDocument) as Metrics;
      return state;
    },
    'anywire-read20': () => readBatched(doc, texts, PER_READ),
    'rfc6902-read20': (start) => {
      // In place, read by read: the same work as rfc6902-wire, measured beside the batched row.
      for (let i = 0; i < texts.length; i += PER_READ) {
        const end = Math.min(i + PER_READ, texts.length);
        for (let j = i; j < end; j++) rfc6902Patch(start, JSON.parse(texts[j] as string) as RfcOperation[]);
      }
      return start;
    },
    'anywire-read1': () => readBatched(doc, texts, 1),
    'ijp-read1': () => {
      let state: Metrics = doc;
      for (const text of texts) state = immutableJSONPatch(state, JSON.parse(text) as JSONPatchDocument) as Metrics;
      return state;
    },
    'anywire-apply': () => {
      let state: Metrics = doc;
      for (const patch of parsed) state = applyJsonPatch(state, patch);
      return state;
    },
    'naive-apply': () => {
      let state: Metrics = doc;
      for (const patch of parsed) state = naiveApply(state, patch);
      return state;
    },
    'ijp-apply': () => {
      let state: Metrics = doc;
      for (const patch of parsed) state = immutableJSONPatch(state, patch as JSONPatchDocument) as Metrics;
      return state;
    },
    'fjp-apply': (start) => {
      for (const patch of parsed) fastJsonPatch(start, patch as FastOperation[], false, true);
      return start;
    },
    'rfc6902-apply': (start) => {
      for (const patch of parsed) rfc6902Patch(start, patch as RfcOperation[]);
      return start;
    },
  };
  const expected = { text: undefined as string | undefined };
  const contenders: Contender[] = Object.entries(runners).map(([id, runner]) => ({
    id,
    run: async () => measure(runner, doc, ops, expected),
  }));
  const { samples, errors } = await interleave(contenders, {
    rounds: options.rounds ?? 5,
    warmup: options.warmup ?? 1,
    onSample: (id, round, value) => log(`delta: ${id} round ${round + 1}: ${Math.round(value)} ops/s`),
  });

  const copies = copyCosts(doc, options.smoke ? 200 : 20_000);
  const perPatch = (id: string, factor: number): number => {
    const x = samples.get(id) ?? [];
    return x.length ? (1e6 * ops) / patches / (factor * median(x)) : Number.NaN;
  };
  const us = (n: number): string => `${n.toFixed(2)} µs`;
  const ratio = (a: string, b: string): number => {
    const x = samples.get(a) ?? [];
    const y = samples.get(b) ?? [];
    return x.length && y.length ? median(x) / median(y) : Number.NaN;
  };
  const goal = (target: number): Goal => ({ kind: 'ratio', op: '>=', target, text: `≥ ${target}×` });
  const row = (id: string, label: string, extra: Partial<Figure['rows'][number]>): Figure['rows'][number] => {
    const error = errors.get(id);
    return { id, label, samples: samples.get(id) ?? [], ...extra, ...(error === undefined ? {} : { note: `failed: ${error}` }) };
  };
  return {
    id: 'delta',
    title: 'JSON Patch deltas: wire text to next state',
    unit: 'rate',
    better: 'higher',
    rows: [
      row('anywire-wire', 'anywire (parse + apply, new snapshot)', { anywire: true }),
      // Per-patch bars the issue withdrew (≥ 0.7× and ≥ 1×): reference rows, see the notes.
      row('fjp-wire', 'fast-json-patch (parse + apply, mutating, no validation)', { versus: 'anywire-wire', reference: true }),
      row('rfc6902-wire', 'rfc6902 (parse + apply, mutating)', { versus: 'anywire-wire', reference: true }),
      row('naive-wire', 'naive immutable: parse + spread the path, no checks', { versus: 'anywire-wire', reference: true }),
      row('naive-compiled-wire', 'naive immutable, root copied by a compiled literal (new Function, not CSP-safe)', {
        versus: 'anywire-wire',
        reference: true,
      }),
      row('ijp-wire', 'immutable-json-patch (parse + apply, immutable, not RFC-strict)', { versus: 'anywire-wire', reference: true }),
      row('anywire-read20', `anywire, ${PER_READ} patches per read (one batch, one snapshot per read)`, { anywire: true }),
      row('rfc6902-read20', `rfc6902, the same ${PER_READ} per read (mutating)`, { versus: 'anywire-read20', goal: goal(1) }),
      row('anywire-read1', 'anywire, one patch per read (batch API, a snapshot per patch)', { anywire: true }),
      row('ijp-read1', 'immutable-json-patch, one patch per read', { versus: 'anywire-read1', goal: goal(2) }),
      row('anywire-apply', 'anywire (apply only)', { anywire: true }),
      row('fjp-apply', 'fast-json-patch (apply only)', { versus: 'anywire-apply', reference: true }),
      row('rfc6902-apply', 'rfc6902 (apply only)', { versus: 'anywire-apply', reference: true }),
      row('naive-apply', 'naive immutable (apply only)', { versus: 'anywire-apply', reference: true }),
      row('ijp-apply', 'immutable-json-patch (apply only)', { versus: 'anywire-apply', reference: true }),
    ],
    notes: [
      `${patches.toLocaleString('en')} patches of 1–4 \`replace\` ops (${(ops / patches).toFixed(2)} on average) on a ${options.keys ?? 200}-key metrics document, seeded; rates are JSON Patch operations per second, medians of interleaved rounds.`,
      'anywire returns a new immutable snapshot per patch and validates every op; the peers mutate one document in place.',
      'All contenders must reach the same final state, or the run fails.',
      `"Per read" rows go through \`jsonPatch.batch\`, as a subscription does: the patches of one read (an SSE chunk, a poll body) apply to one working copy and are sealed into one snapshot, so the root is copied once per read. ${PER_READ} per read is compared with rfc6902 (goal ≥ 1×), one per read with immutable-json-patch (goal ≥ 2×).`,
      `Node ${process.versions.node} (V8 ${process.versions.v8}). anywire's time is mostly the one copy of the ${options.keys ?? 200}-key root that a new snapshot needs per patch. Copying that root once, alone: ${COPY_METHODS.map((m) => `${m} ${us(copies[m])}`).join(', ')}.`,
      `Withdrawn goals: the issue withdrew the per-patch bars, anywire (parse + apply) ≥ 0.7× fast-json-patch and ≥ 1× rfc6902; those rows stay as (reference) and the goals are read per read instead (above). Why: a new snapshot per patch is one copy of the ${options.keys ?? 200}-key root per patch, and on Node 20 that one copy costs more than the whole budget the bars leave per patch for everything, JSON.parse included. In this run the bars leave ${us(perPatch('fjp-wire', 0.7))} (0.7× fast-json-patch) and ${us(perPatch('rfc6902-wire', 1))} (1× rfc6902) per patch; the cheapest copy anywire can ship (spread, Object.assign or for-in) takes ${us(Math.min(copies.spread, copies['Object.assign'], copies['for-in']))}, the compiled literal ${us(copies['compiled literal'])}.`,
      'The naive immutable rows copy the root and each container on a path, write the values and check nothing: the least an immutable store can do, written the plain way. V8 12+ (Node 22+) clones a big object whose shape a copy site has seen in well under a microsecond, which anywire arranges (its copy sites see only its own containers), so there anywire beats the naive rows; V8 11 (Node 20) has no such clone, and every way to copy costs what the line above says.',
    ],
    ratios: {
      wire: { fastJsonPatch: ratio('anywire-wire', 'fjp-wire'), rfc6902: ratio('anywire-wire', 'rfc6902-wire') },
      apply: { fastJsonPatch: ratio('anywire-apply', 'fjp-apply'), rfc6902: ratio('anywire-apply', 'rfc6902-apply') },
      naive: { fastJsonPatch: ratio('naive-wire', 'fjp-wire'), rfc6902: ratio('naive-wire', 'rfc6902-wire') },
      compiled: {
        fastJsonPatch: ratio('naive-compiled-wire', 'fjp-wire'),
        rfc6902: ratio('naive-compiled-wire', 'rfc6902-wire'),
      },
      batched: { rfc6902: ratio('anywire-read20', 'rfc6902-read20'), immutableJsonPatch: ratio('anywire-read1', 'ijp-read1') },
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name: string): number | undefined => {
    const found = process.argv.find((a) => a.startsWith(`--${name}=`));
    return found === undefined ? undefined : Number(found.slice(name.length + 3));
  };
  const patches = arg('patches');
  const rounds = arg('rounds');
  const result = await runDeltaBench({
    ...(patches === undefined ? {} : { patches }),
    ...(rounds === undefined ? {} : { rounds }),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  console.log(figureMarkdown(result));
  const f = (n: number): string => `${n.toFixed(2)}×`;
  console.log(
    `\nanywire ÷ fast-json-patch: wire ${f(result.ratios.wire.fastJsonPatch)}, apply ${f(result.ratios.apply.fastJsonPatch)}` +
      `\nanywire ÷ rfc6902:         wire ${f(result.ratios.wire.rfc6902)}, apply ${f(result.ratios.apply.rfc6902)}` +
      `\nnaive ÷ fast-json-patch:   wire ${f(result.ratios.naive.fastJsonPatch)}; naive ÷ rfc6902: wire ${f(result.ratios.naive.rfc6902)}` +
      `\ncompiled ÷ fjp:           wire ${f(result.ratios.compiled.fastJsonPatch)}; ÷ rfc6902: wire ${f(result.ratios.compiled.rfc6902)}` +
      `\nbatched, ${PER_READ} per read ÷ rfc6902: ${f(result.ratios.batched.rfc6902)}; one per read ÷ immutable-json-patch: ${f(result.ratios.batched.immutableJsonPatch)}`,
  );
}
