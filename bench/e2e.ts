/**
 * The end-to-end line: wall time and peak RSS of the command line rendering the bundled
 * demo with "Quick preview", as a musician would run it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BenchLine } from './style';

/** Written into the child's startup: each Node process records its own peak RSS on exit. */
const RSS_HOOK = `process.on('exit', () => { try { require('fs').writeFileSync(require('path').join(process.env.GRAMOPHONE_RSS_DIR, 'rss-' + process.pid), String(process.resourceUsage().maxRSS)); } catch {} });\n`;

/**
 * Run `node <cli> demo --preset "Quick preview" --out <tmp>` once.
 * @param cli path of the built CLI (dist/cli/cli.js)
 * @returns the E2E line, or a line with `skipped` saying why
 */
export async function runEndToEnd(cli: string, backend: 'onnx' | 'tfjs'): Promise<BenchLine> {
  const base = { workload: 'E2E', preset: 'Quick preview' };
  if (!existsSync(cli)) return { ...base, skipped: `the CLI is not built (${cli} missing)` };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gramophone-bench-'));
  try {
    const hook = path.join(dir, 'hook.cjs');
    await writeFile(hook, RSS_HOOK);
    const out = path.join(dir, 'take.wav');
    const args = [cli, 'demo', '--preset', 'Quick preview', '--backend', backend, '--json', '--out', out];
    const t0 = performance.now();
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      // NODE_OPTIONS reaches any Node process the CLI starts, so a render in a child process is counted too.
      const env = { ...process.env, GRAMOPHONE_RSS_DIR: dir, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(hook)}`.trim() };
      const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let so = '';
      let se = '';
      child.stdout.on('data', (d: Buffer) => (so += d));
      child.stderr.on('data', (d: Buffer) => (se += d));
      child.on('error', reject);
      child.on('close', (c) => resolve({ code: c, stdout: so, stderr: se }));
    });
    const wall = performance.now() - t0;
    if (code !== 0) return { ...base, skipped: `the CLI failed (exit ${code}): ${stderr.trim().split('\n').slice(-1)[0] ?? ''}` };
    const rss = await Promise.all((await readdir(dir)).filter((f) => f.startsWith('rss-')).map(async (f) => Number(await readFile(path.join(dir, f), 'utf8'))));
    const done = stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { event?: string; metrics?: { backend?: string; seconds?: Record<string, number> } })
      .find((e) => e.event === 'done');
    const ms = Math.round(wall * 100) / 100;
    return {
      ...base,
      impl: done?.metrics?.backend ?? backend,
      n: 1,
      median_ms: ms,
      min_ms: ms,
      max_ms: ms,
      // The largest single process, comparable with one Python process's ru_maxrss.
      peak_rss_mb: Math.round(Math.max(0, ...rss) / 102.4) / 10,
      processes: rss.length,
      ...(done?.metrics?.seconds ? { render_seconds: done.metrics.seconds } : {}),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
