/**
 * A bench entry as plain JavaScript, for a plain `node` process: what a user's process runs.
 *
 * tsx compiles with `keepNames`, which wraps every named function in `__name()`, and its loader
 * and the bench's own modules grow the heap the measured code then runs in. Throughput children
 * are therefore bundled once per run with esbuild (packages stay imports, resolved from
 * bench/node_modules) and started without a loader.
 */

import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

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
