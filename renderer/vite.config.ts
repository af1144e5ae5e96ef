// Builds the renderer into dist/renderer with relative asset paths, so the same files load
// from Electron's custom protocol and from the local web server. (No node:* imports: this
// file is type-checked with the web tsconfig.)
import { defineConfig } from 'vite';

const here = decodeURIComponent(new URL('.', import.meta.url).pathname);

export default defineConfig({
  root: here,
  base: './',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: `${here}../dist/renderer`,
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      // zod 4.6's own source has two prose comments that mention `@__PURE__` mid-sentence
      // (util.js, regexes.js); Rollup cannot place them and says so on every build. They
      // annotate nothing, so exactly that warning from exactly that package is dropped.
      onwarn(warning, warn) {
        if (warning.code === 'INVALID_ANNOTATION' && /node_modules[\\/]zod[\\/]/.test(warning.id ?? '')) return;
        warn(warning);
      },
    },
  },
});
