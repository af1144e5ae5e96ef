/**
 * What a newcomer to the command line hit: a `--region` that runs past the end of the
 * content was cut short in silence (now the render says what it covers), and
 * `batch --help` printed the general help. Runs the built CLI (dist/).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_DIR, ROOT } from '../helpers/demo';

const CLI = path.join(ROOT, 'dist/cli/cli.js');
const dir = mkdtempSync(path.join(tmpdir(), 'gramophone-cli-region-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('gramophone CLI for a newcomer', () => {
  it('batch --help and worker --help lead with their own usage', () => {
    const help = (cmd: string) => spawnSync(process.execPath, [CLI, cmd, '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    const batch = help('batch');
    expect(batch.status).toBe(0);
    expect(batch.stdout).toMatch(/^Gramophone .*\n\nUsage:\n {2}gramophone batch --out DIR/);
    expect(batch.stdout).toMatch(/--manifest FILE/);
    expect(batch.stdout).toMatch(/Options for every take \(as for render\):\n {2}--preset NAME/);
    expect(batch.stdout).not.toMatch(/gramophone render --content/);
    const worker = help('worker');
    expect(worker.status).toBe(0);
    expect(worker.stdout).toMatch(/Usage:\n {2}gramophone worker --queue/);
    expect(worker.stdout).not.toMatch(/gramophone batch/);
  });

  it('past the end of the 10 s demo content: a warning says the take covers 8–10 s only', () => {
    const out = path.join(dir, 'region.wav');
    const args = [
      'render',
      '--content',
      path.join(DEMO_DIR, 'content.wav'),
      '--style',
      path.join(DEMO_DIR, 'style.wav'),
      '--out',
      out,
      '--preset',
      'Quick preview',
      '--iterations',
      '2',
      '--region',
      '8:30',
    ];
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: The region 8\.00–30\.00 s ends past the end of "content\.wav" \(10\.00 s long\): the take covers 8\.00–10\.00 s only/);
    expect(r.stderr).toMatch(/Wrote .*\(2\.00 s,/);
  }, 150_000);
});
