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
  esbuildOptions(options) {
    // Internal members are named `_x` (src/core/subscription.ts, src/core/attempt.ts…); the build shortens
    // them, as it does local names. Nothing outside src/ reads them, and no foreign object's
    // `_x` property is touched in src/ (ws's and Node's are left alone: none is accessed).
    options.mangleProps = /^_[a-zA-Z]/;
  },
});
