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
  },
});
