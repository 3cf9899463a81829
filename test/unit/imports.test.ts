// The tree shows the architecture: imports between src/ files run one way (no circles), and
// nothing Node-only is reachable from the browser entry, src/index.ts.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Every import and export-from specifier of a TypeScript file, type-only ones included. */
function specifiers(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, ''); // examples in comments are not imports
  return [...code.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => (m[1] ?? m[2]) as string,
  );
}

/** The import graph of src/: file → the src/ files it imports, and the packages it imports. */
function graph(): Map<string, { files: string[]; packages: string[] }> {
  const files = (readdirSync(join(root, 'src'), { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join('src', f));
  const out = new Map<string, { files: string[]; packages: string[] }>();
  for (const file of files) {
    const entry = { files: [] as string[], packages: [] as string[] };
    for (const spec of specifiers(readFileSync(join(root, file), 'utf8'))) {
      if (spec.startsWith('.')) entry.files.push(normalize(join(dirname(file), spec)).replace(/\.js$/, '.ts'));
      else entry.packages.push(spec);
    }
    out.set(file, entry);
  }
  return out;
}

/** Every cycle found by a depth-first walk, as file lists. */
function cycles(edges: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of edges.keys()) if (!state.has(file)) visit(file);
  return found;
}

describe('src/ imports', () => {
  const g = graph();

  it('form no circle', () => {
    const edges = new Map([...g].map(([file, { files }]) => [file, files]));
    expect(cycles(edges).map((c) => c.map((f) => relative('src', f)).join(' → '))).toEqual([]);
  });

  it('reach nothing Node-only from the browser entry', () => {
    const seen = new Set<string>();
    const packages = new Set<string>();
    const walk = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const entry = g.get(file);
      expect(entry, `${file} is imported but does not exist`).toBeDefined();
      for (const p of entry?.packages ?? []) packages.add(p);
      for (const next of entry?.files ?? []) walk(next);
    };
    walk(join('src', 'index.ts'));
    expect([...packages].sort()).toEqual(['eventsource-parser']);
    expect([...seen].filter((f) => /node|testing/.test(relative('src', f)))).toEqual([]);
  });

  it('the cycle finder finds a circle (so the first test can fail)', () => {
    const edges = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
    ]);
    expect(cycles(edges)).toEqual([['a', 'b', 'c', 'a']]);
  });
});
