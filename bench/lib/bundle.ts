/**
 * A bench entry as plain JavaScript, for a plain `node` process: what a user's process runs.
 *
 * tsx compiles with `keepNames`, which wraps every named function in `__name()`, and its loader
 * and the bench's own modules grow the heap the measured code then runs in. Throughput and memory
 * children are therefore bundled once per run with esbuild (packages stay imports, resolved from
 * bench/node_modules) and started without a loader.
 */

import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type SpawnOptions, spawnNode } from './children.js';

/** Under bench/node_modules: ignored by git and biome, and bare imports resolve from there. */
const OUT = new URL('../node_modules/.cache/anywire-bench/', import.meta.url);

const built = new Map<string, Promise<string>>();

/**
 * Bundles `entry` (ESM, code splitting, so a dynamic import stays a separate file loaded only when
 * run) and resolves with the path of its output; builds each entry once per process.
 */
export function bundleForNode(entry: URL): Promise<string> {
  let path = built.get(entry.href);
  if (path === undefined) {
    const name = fileURLToPath(entry).replace(/^.*\/|\.ts$/g, '');
    const outdir = fileURLToPath(new URL(`${name}/`, OUT));
    rmSync(outdir, { recursive: true, force: true }); // chunk names change with their content
    path = build({
      entryPoints: { [name]: fileURLToPath(entry) },
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      outdir,
      outExtension: { '.js': '.mjs' },
      logLevel: 'warning',
    }).then(() => `${outdir}${name}.mjs`);
    built.set(entry.href, path);
  }
  return path;
}

/** Options of {@link spawnBundled}. */
export interface BundledSpawnOptions extends SpawnOptions {
  /** The anywire module the parent loaded (lib/anywire.ts), for the child to load too (`ANYWIRE_FROM`). */
  anywire?: URL;
}

/**
 * Runs `entry` in a plain `node` process, bundled by {@link bundleForNode}: stdout piped, an IPC
 * channel, no loader, unless anywire comes from src/ (no dist built), which needs the TypeScript
 * loader in the child too.
 */
export async function spawnBundled(entry: URL, options: BundledSpawnOptions = {}): Promise<ChildProcess> {
  const file = await bundleForNode(entry);
  const typescript = options.anywire?.pathname.endsWith('.ts') === true;
  const anywire = options.anywire === undefined ? {} : { ANYWIRE_FROM: fileURLToPath(options.anywire) };
  return spawnNode(file, {
    nodeFlags: [...(typescript ? process.execArgv : []), ...(options.nodeFlags ?? [])],
    args: options.args ?? [],
    env: { ...options.env, ...anywire },
  });
}
