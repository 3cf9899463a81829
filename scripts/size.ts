/**
 * Bundle sizes, min+gzip, of anywire and its peers as a browser app would ship them.
 *
 * Each entry below is a tiny app file; it is bundled with esbuild exactly as
 * `esbuild --bundle --minify --format=esm --platform=browser --target=es2020` would, and the output
 * is gzipped at level 9. `npm run size` prints the table; bench/run.ts adds it to the report.
 * `npm run size:check` (size-limit, .size-limit.json) is the CI budget, a ratchet at today's
 * size; this script is the comparison with the peers and the lean-core issue's goals. anywire's
 * rows import exactly what the .size-limit.json entries of the same imports do (named exports of
 * dist/index.js); a row whose imports that file does not measure says so in its note.
 *
 * anywire comes from dist/ (run `npm run build` first); without a build it falls back to src/ and
 * says so. Peers come from bench/node_modules (`npm --prefix bench ci`).
 */

import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';
import type { Figure, Row } from '../bench/lib/figure.js';
import { formatBytes, markdownTable } from '../bench/lib/format.js';

/** One app file to bundle. */
interface SizeEntry {
  id: string;
  label: string;
  /** The app file's source. `anywire` and `anywire/*` resolve to this checkout. */
  code: string;
  /** For anywire's own rows: what the app imports, as size-limit's `import` field spells it. */
  imports?: string;
  /** For a peer: the anywire entry it is compared with (same scope of features). */
  versus?: 'anywire-subscribe' | 'anywire-sse';
  /** For anywire: the goal, in bytes (1 kB = 1,000 B, as size-limit counts; shown as the issue writes it, `≤ 8.5 kB`). */
  budget?: number;
  note?: string;
}

/** An anywire row: an app that imports `imports` from anywire and ships them, nothing else. */
function anywireEntry(id: string, imports: string, budget: number, what: string): SizeEntry {
  return { id, label: `anywire: \`import ${imports}\` (${what})`, code: `export ${imports} from 'anywire';`, imports, budget };
}

// ─── The entries: edit here. anywire's imports match .size-limit.json's (checked when measured). ───
export const ENTRIES: readonly SizeEntry[] = [
  anywireEntry('anywire-subscribe', '{ subscribe }', 7_000, 'all four transports, no deltas'),
  anywireEntry('anywire-deltas', '{ subscribe, jsonPatch, mergePatch }', 8_500, 'both delta codecs'),
  anywireEntry('anywire-sse', '{ createSubscribe, sse }', 5_000, 'an SSE-only app'),
  {
    id: 'fetch-event-source',
    label: '@microsoft/fetch-event-source',
    code: `export { fetchEventSource } from '@microsoft/fetch-event-source';`,
    versus: 'anywire-sse',
    note: 'SSE only',
  },
  { id: 'eventsource', label: 'eventsource', code: `export { EventSource } from 'eventsource';`, versus: 'anywire-sse', note: 'SSE only' },
  {
    id: 'partysocket',
    label: 'partysocket',
    code: `export { default } from 'partysocket';`,
    versus: 'anywire-subscribe',
    note: 'WebSocket only',
  },
  { id: 'socket.io-client', label: 'socket.io-client', code: `export { io } from 'socket.io-client';`, versus: 'anywire-subscribe' },
  {
    id: 'signalr',
    label: '@microsoft/signalr',
    code: `export { HubConnectionBuilder } from '@microsoft/signalr';`,
    versus: 'anywire-subscribe',
  },
  { id: 'pusher-js', label: 'pusher-js', code: `export { default } from 'pusher-js';`, versus: 'anywire-subscribe' },
  { id: 'centrifuge', label: 'centrifuge', code: `export { Centrifuge } from 'centrifuge';`, versus: 'anywire-subscribe' },
  { id: 'ably', label: 'ably', code: `export { Realtime } from 'ably';`, versus: 'anywire-subscribe' },
];

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BENCH_MODULES = join(ROOT, 'bench', 'node_modules');

/** Where `anywire` resolves: dist/ when built, else src/ (noted in the table). */
function anywireSource(): { dir: string; ext: string; note: string } | undefined {
  if (existsSync(join(ROOT, 'dist', 'index.js'))) return { dir: join(ROOT, 'dist'), ext: '.js', note: 'dist/' };
  if (existsSync(join(ROOT, 'src', 'index.ts'))) return { dir: join(ROOT, 'src'), ext: '.ts', note: 'src/ (dist not built)' };
  return undefined;
}

/** Resolves `anywire` and `anywire/<sub>` to this checkout, as the package's exports would. */
function anywirePlugin(source: { dir: string; ext: string }): Plugin {
  return {
    name: 'anywire-from-checkout',
    setup(b) {
      b.onResolve({ filter: /^anywire(\/.*)?$/ }, (args) => {
        const sub = args.path === 'anywire' ? 'index' : args.path.slice('anywire/'.length);
        return { path: join(source.dir, `${sub}${source.ext}`) };
      });
    },
  };
}

/** The names an `import` field lists, sorted: `{ b, a }` → `a,b`. */
function importKey(imports: string): string {
  return imports
    .replace(/[{}]/g, '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')
    .sort()
    .join(',');
}

/** What .size-limit.json imports from dist/index.js, one {@link importKey} per entry. */
function sizeLimitImports(): Set<string> {
  const file = join(ROOT, '.size-limit.json');
  if (!existsSync(file)) return new Set();
  const checks = JSON.parse(readFileSync(file, 'utf8')) as { path?: string; import?: unknown }[];
  return new Set(
    checks.flatMap((check) => (check.path === 'dist/index.js' && typeof check.import === 'string' ? [importKey(check.import)] : [])),
  );
}

/** A bundled entry's sizes, and the files that went into it. */
export interface Bundled {
  minified: number;
  gzip: number;
  inputs: string[];
}

/** Bundles one app file with the issue's exact flags and measures it. */
export async function bundle(code: string, dir: string, name: string): Promise<Bundled> {
  const entry = join(dir, `${name}.mjs`);
  await writeFile(entry, `${code}\n`);
  const source = anywireSource();
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    write: false,
    metafile: true,
    logLevel: 'silent',
    nodePaths: [BENCH_MODULES, join(ROOT, 'node_modules')],
    plugins: source === undefined ? [] : [anywirePlugin(source)],
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error(`${name}: esbuild wrote nothing`);
  return {
    minified: output.contents.length,
    gzip: gzipSync(output.contents, { level: 9 }).length,
    inputs: Object.keys(result.metafile.inputs),
  };
}

/** esbuild's first error as one line, with the file it is in. */
function describeBuildError(error: unknown): string {
  const first = (error as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors?.[0];
  if (first !== undefined) {
    return first.location ? `${first.text} in ${first.location.file}:${first.location.line}` : first.text;
  }
  return error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
}

/** Measures every entry; an entry that fails to bundle gets a note instead of a size. */
export async function measureSizes(log: (line: string) => void = () => {}): Promise<Figure> {
  const dir = await mkdtemp(join(tmpdir(), 'anywire-size-'));
  const source = anywireSource();
  const budgeted = sizeLimitImports();
  const rows: Row[] = [];
  try {
    for (const entry of ENTRIES) {
      const anywire = entry.imports !== undefined;
      const row: Row = { id: entry.id, label: entry.label };
      if (anywire) {
        row.anywire = true;
        if (entry.budget !== undefined) {
          row.goal = { kind: 'absolute', op: '<=', target: entry.budget, text: `≤ ${entry.budget / 1000} kB` };
        }
      }
      if (entry.versus !== undefined) row.versus = entry.versus;
      const notes = entry.note === undefined ? [] : [entry.note];
      if (entry.imports !== undefined && !budgeted.has(importKey(entry.imports))) {
        notes.push('⚠ .size-limit.json measures no such import');
      }
      if (anywire && source === undefined) {
        notes.push('TODO: no dist/index.js or src/index.ts yet');
      } else {
        try {
          const sized = await bundle(entry.code, dir, entry.id);
          row.samples = [sized.gzip];
          notes.push(`${formatBytes(sized.minified)} minified`);
          if (anywire) {
            notes.push(`from ${source?.note ?? '?'}`);
            if (sized.inputs.some((p) => /(^|\/)(src|dist)\/testing(\.|\/)/.test(p))) {
              notes.push('❌ pulls in anywire/testing');
            }
          }
        } catch (error) {
          const message = describeBuildError(error);
          notes.push(anywire ? `TODO: does not bundle yet (${message})` : `failed: ${message}`);
        }
      }
      row.note = notes.join('; ');
      rows.push(row);
      log(`size: ${entry.label}: ${row.samples ? formatBytes(row.samples[0] ?? 0) : row.note}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return {
    id: 'size',
    title: 'Bundle size, min+gzip (browser)',
    unit: 'bytes',
    better: 'lower',
    rows,
    notes: [
      'Each row is a one-line app file (scripts/size.ts, `ENTRIES`) bundled with `esbuild --bundle --minify --format=esm --platform=browser --target=es2020` and gzipped at level 9 (node:zlib). 1 kB = 1,000 bytes, as size-limit counts.',
      "anywire's rows are the lean-core issue's three bundles; each imports from dist/index.js (the browser entry) exactly what the .size-limit.json entry of the same imports measures. size-limit's own limits there are CI's ratchet at today's size; the goals here are the issue's.",
      "Ratios are anywire ÷ the peer: the SSE-only peers against anywire's SSE-only app (`createSubscribe` + `sse`), the others against `subscribe` (all four transports, no deltas). Sizes do not vary between runs, so there is one sample.",
    ],
  };
}

async function main(): Promise<void> {
  const { figureMarkdown } = await import('../bench/lib/figure.js');
  const figure = await measureSizes();
  console.log(figureMarkdown(figure));
  console.log(
    `Entries:\n\n${markdownTable(
      ['row', 'app file'],
      ENTRIES.map((e) => [e.label, e.code.replace(/\n/g, ' ')]),
    )}`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
