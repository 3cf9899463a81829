import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // examples/react imports 'anywire' as an app does; its tests run it against src/, with the
    // root's single React even when examples/react has its own node_modules.
    dedupe: ['react', 'react-dom'],
    alias: [{ find: /^anywire$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/browser/**', 'test/runtimes/**', 'node_modules/**'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'] },
  },
});
