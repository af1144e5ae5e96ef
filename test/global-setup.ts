/**
 * Builds dist/ once before the suite, and only when a source is newer than the build: the
 * CLI, engine-process, web-server and e2e tests run the built bundles, and a build inside a
 * test file (which empties dist/renderer) would pull them from under the others.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
/** Folders whose files end up in dist/, and the build's own script. */
const SOURCES = ['common', 'engine', 'cli', 'main', 'preload', 'renderer', 'bench', 'assets', 'scripts/build.mjs', 'package.json'];
/** One output per bundle of scripts/build.mjs: the build is as old as the oldest. */
const OUTPUTS = [
  'dist/cli/cli.js',
  'dist/engine/engine-process.js',
  'dist/engine/kernel-worker.js',
  'dist/main/web-server.js',
  'dist/main/main.js',
  'dist/preload/preload.cjs',
  'dist/renderer/index.html',
  'dist/bench/bench.js',
];

function newest(p: string): number {
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(p).reduce((m, f) => Math.max(m, newest(path.join(p, f))), 0);
}

export default function setup(): void {
  const outputs = OUTPUTS.map((o) => path.join(ROOT, o));
  const built = outputs.every((o) => existsSync(o)) ? Math.min(...outputs.map((o) => statSync(o).mtimeMs)) : -1;
  const changed = Math.max(
    ...SOURCES.map((s) => path.join(ROOT, s))
      .filter(existsSync)
      .map(newest),
  );
  if (built >= changed) return;
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs'), '--quiet'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}\n${r.stderr}`);
}
