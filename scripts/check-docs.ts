/**
 * `npm run docs:check`: every Markdown file in the repo root, docs/ and examples/ (not
 * node_modules or dist) has code fences that close and relative links that resolve, to a file and,
 * for a `#fragment` into Markdown, to a heading. Prints `file:line: problem` lines and exits 1 if
 * there are any. The rules are in docs-lint.ts; test/unit/docs.test.ts runs them in `npm test`.
 */

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkDocs } from './docs-lint.js';

/** Folders searched for Markdown below the root, whose own *.md files are checked too. */
const FOLDERS = ['docs', 'examples'];
const SKIP = new Set(['node_modules', 'dist', '.git']);

/** The repo-relative POSIX paths of the Markdown files to check, sorted. */
export function docPaths(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, deep: boolean): void => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      if (SKIP.has(entry.name)) continue;
      const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory() && deep) walk(path, true);
      else if (entry.isFile() && entry.name.endsWith('.md')) found.push(path);
    }
  };
  walk('', false);
  for (const folder of FOLDERS) if (existsSync(join(root, folder))) walk(folder, true);
  return found.sort();
}

/** The Markdown to check, path → text, and how to ask whether any other repo path exists. */
export function readDocs(root: string): { files: Map<string, string>; exists: (path: string) => boolean } {
  const files = new Map(docPaths(root).map((path) => [path, readFileSync(join(root, path), 'utf8')] as const));
  return { files, exists: (path) => existsSync(join(root, path)) };
}

function main(): number {
  const { files, exists } = readDocs(fileURLToPath(new URL('../', import.meta.url)));
  const report = checkDocs(files, exists);
  for (const { file, line, message } of report.problems) console.error(`${file}:${line}: ${message}`);
  const summary = `${report.files} Markdown files, ${report.links} relative links`;
  if (report.problems.length > 0) {
    console.error(`docs:check: ${report.problems.length} problem(s) in ${summary}`);
    return 1;
  }
  console.log(`docs:check: ${summary}; fences balanced, links resolve`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main();
