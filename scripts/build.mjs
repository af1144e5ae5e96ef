// Builds every process's bundle into dist/: the engine (CLI, engine process, workers),
// main, preload, bench with esbuild; the renderer with Vite. A missing entry point is an
// error: a build that silently leaves a bundle out ships an app that fails at run time.
import { build } from 'esbuild';
import { existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const r = (p) => path.join(root, p);

/** [source, output, format, platform externals] */
const nodeEntries = [
  ['cli/cli.ts', 'dist/cli/cli.js', 'esm'],
  ['engine/engine-process.ts', 'dist/engine/engine-process.js', 'esm'],
  ['engine/dsp/kernel-worker.ts', 'dist/engine/kernel-worker.js', 'esm'],
  ['engine/audio/codec-worker.mjs', 'dist/engine/codec-worker.mjs', 'esm'],
  ['bench/bench.ts', 'dist/bench/bench.js', 'esm'],
  ['bench/quality/quality.ts', 'dist/bench/quality.js', 'esm'],
  ['main/main.ts', 'dist/main/main.js', 'esm'],
  ['main/web-server.ts', 'dist/main/web-server.js', 'esm'],
  ['preload/preload.ts', 'dist/preload/preload.cjs', 'cjs'],
];

const missing = [...nodeEntries.map(([src]) => src), 'renderer/index.html'].filter((src) => !existsSync(r(src)));
if (missing.length) {
  console.error(`build: missing entry point${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
  process.exit(1);
}

const quiet = process.argv.includes('--quiet');
await Promise.all(
  nodeEntries.map(([src, out, format]) =>
    build({
      entryPoints: [r(src)],
      outfile: r(out),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format,
      sourcemap: 'linked',
      // npm packages stay external: natives (onnxruntime-node) and wasm files must be
      // loaded from node_modules, and electron is provided by the runtime.
      packages: 'external',
      // A sandboxed preload can require only `electron` (and a few built-ins): bundle its
      // dependencies (zod, via the contract) into it.
      ...(src.startsWith('preload/') ? { packages: undefined, external: ['electron'] } : {}),
      // The audio decoders' worker carries its (pure JS + inline wasm) decoders, so the
      // thread never resolves packages from inside a packaged app's archive.
      // Some of their dependencies are CommonJS and call require(), which an ES module bundle
      // must be given.
      ...(src.endsWith('codec-worker.mjs') ? { packages: undefined, banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" } } : {}),
      logLevel: quiet ? 'error' : 'warning',
    }),
  ),
);

const { build: viteBuild } = await import('vite');
rmSync(r('dist/renderer'), { recursive: true, force: true });
await viteBuild({ configFile: r('renderer/vite.config.ts'), logLevel: quiet ? 'error' : 'warn' });
