import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const repo = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
  // esbuild compiles the JSX; @vitejs/plugin-react would add Fast Refresh, but its current
  // release needs Vite 8. Without it an edit reloads the page (and resubscribes): fine here.
  esbuild: { jsx: 'automatic' },
  resolve: {
    // anywire's source, not its dist/: the example runs and builds without building the package
    // first, and shows the change you just made to src/. An app would drop this alias.
    alias: [{ find: /^anywire$/, replacement: `${repo}src/index.ts` }],
  },
  // The aliased source lives outside this folder.
  server: { fs: { allow: [repo] } },
});
