/**
 * Bundle sizes, min+gzip, of anywire and its peers as a browser app would ship them.
 *
 * Each entry below is a tiny app file; it is bundled with esbuild exactly as
 * `esbuild --bundle --minify --format=esm --platform=browser --target=es2020` would, and the output
 * is gzipped at level 9. `npm run size` prints the table; bench/run.ts adds it to the report.
 * `npm run size:check` (size-limit, .size-limit.json) is the CI budget; this script is the
 * comparison with the peers.
 *
 * anywire comes from dist/ (run `npm run build` first); without a build it falls back to src/ and
 * says so. Peers come from bench/node_modules (`npm --prefix bench ci`).
 */

import { existsSync } from 'node:fs';
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
  /** anywire's own rows. */
  anywire?: true;
  /** For a peer: the anywire entry it is compared with (same scope of features). */
  versus?: 'anywire' | 'anywire-sse';
  /** For anywire: the budget, in bytes (1 kB = 1,000 B, as size-limit counts). */
  budget?: number;
  note?: string;
}

// ─── The entries: edit here. Keep the two anywire snippets in step with .size-limit.json. ───
export const ENTRIES: readonly SizeEntry[] = [
  {
    id: 'anywire',
    label: 'anywire (full entry)',
    code: `export * from 'anywire';`,
    anywire: true,
    budget: 6_000,
  },
  {
    id: 'anywire-sse',
    label: 'anywire, SSE only',
    code: `import { createSubscribe, sse } from 'anywire';\nexport const subscribe = createSubscribe({ transports: [sse] });`,
    anywire: true,
    budget: 3_500,
  },
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
    versus: 'anywire',
    note: 'WebSocket only',
  },
  { id: 'socket.io-client', label: 'socket.io-client', code: `export { io } from 'socket.io-client';`, versus: 'anywire' },
  {
    id: 'signalr',
    label: '@microsoft/signalr',
    code: `export { HubConnectionBuilder } from '@microsoft/signalr';`,
    versus: 'anywire',
  },
  { id: 'pusher-js', label: 'pusher-js', code: `export { default } from 'pusher-js';`, versus: 'anywire' },
  { id: 'centrifuge', label: 'centrifuge', code: `export { Centrifuge } from 'centrifuge';`, versus: 'anywire' },
  { id: 'ably', label: 'ably', code: `export { Realtime } from 'ably';`, versus: 'anywire' },
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
  const rows: Row[] = [];
  try {
    for (const entry of ENTRIES) {
      const row: Row = { id: entry.id, label: entry.label };
      if (entry.anywire) {
        row.anywire = true;
        if (entry.budget !== undefined) {
          row.goal = { kind: 'absolute', op: '<=', target: entry.budget, text: `≤ ${formatBytes(entry.budget)}` };
        }
      }
      if (entry.versus !== undefined) row.versus = entry.versus;
      const notes = entry.note === undefined ? [] : [entry.note];
      if (entry.anywire && source === undefined) {
        notes.push('TODO: no dist/index.js or src/index.ts yet');
      } else {
        try {
          const sized = await bundle(entry.code, dir, entry.id);
          row.samples = [sized.gzip];
          notes.push(`${formatBytes(sized.minified)} minified`);
          if (entry.anywire) {
            notes.push(`from ${source?.note ?? '?'}`);
            if (sized.inputs.some((p) => /(^|\/)(src|dist)\/testing(\.|\/)/.test(p))) {
              notes.push('❌ pulls in anywire/testing');
            }
          }
        } catch (error) {
          const message = describeBuildError(error);
          notes.push(entry.anywire ? `TODO: does not bundle yet (${message})` : `failed: ${message}`);
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
      "Ratios are anywire ÷ the peer: the SSE-only peers against anywire's SSE-only import, the others against the full entry. Sizes do not vary between runs, so there is one sample.",
    ],
  };
}

async function main(): Promise<void> {
  const { figureMarkdown } = await import('../bench/lib/figure.js');
  const figure = await measureSizes();
  console.log(figureMarkdown(figure));
  const pkgs = ENTRIES.filter((e) => !e.anywire).map((e) => [e.label, e.code.replace(/\n/g, ' ')]);
  console.log(
    `Entries:\n\n${markdownTable(['row', 'app file'], [...ENTRIES.filter((e) => e.anywire).map((e) => [e.label, e.code.replace(/\n/g, ' ')]), ...pkgs])}`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
