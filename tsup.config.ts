import { defineConfig } from 'tsup';

export default defineConfig({
  // `node` is index plus the `ws` fallback, for the `node` export condition (Node, Bun, Deno).
  entry: { index: 'src/index.ts', node: 'src/node.ts', testing: 'src/testing/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2020',
  treeshake: true,
  splitting: true,
});
