/**
 * The command line end to end, as a musician runs it: the built CLI in its own process.
 * `npm test` builds dist/ before the tests run.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeWav } from '../../engine/audio/wav';
import { readWavComment } from '../../engine/wav/encode';
import { ROOT, DEMO_DIR } from '../helpers/demo';

const CLI = path.join(ROOT, 'dist/engine/cli.js');

function run(args: string[], onStdout?: (line: string, kill: () => void) => void) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    let buf = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        onStdout?.(line, () => child.kill('SIGINT'));
      }
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('gramophone CLI', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gramophone-cli-'));

  it('renders the bundled demo end to end with JSON progress, and the stem decodes', async () => {
    const out = path.join(dir, 'demo.wav');
    const r = await run(['demo', '--preset', 'Quick preview', '--iterations', '12', '--out', out, '--json', '--format', 'pcm16', '--channels', '2']);
    expect(r.code, r.stderr).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(events[0].event).toBe('start');
    expect(events.filter((e) => e.event === 'progress' && e.phase === 'optimise').length).toBeGreaterThan(5);
    const done = events.at(-1);
    expect(done.event).toBe('done');
    expect(done.metrics.styleLossRatio).toBeLessThan(1);
    const bytes = new Uint8Array(readFileSync(out));
    const wav = decodeWav(bytes, 'demo.wav');
    expect(wav.channels.length).toBe(2);
    expect(wav.sampleRate).toBe(22050);
    expect(wav.frames).toBeGreaterThan(22050 * 9);
    // The stem says how it was made.
    const preset = JSON.parse(readWavComment(bytes)!);
    expect(preset.name).toBe('Quick preview');
    expect(preset.optimizer.iterations).toBe(12);
  }, 120_000);

  it('renders user files with weight overrides and 48 kHz float output', async () => {
    const out = path.join(dir, 'take.wav');
    const r = await run([
      'render', '--content', path.join(DEMO_DIR, 'content.wav'), '--style', path.join(DEMO_DIR, 'style.wav'),
      '--out', out, '--alpha', '0', '--beta', '2', '--gamma=0.5', '--delta', '0', '--iterations', '4', '--seed', '9',
      '--rate', '48000', '--format', 'float32', '--region', '0:2',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Wrote .*take\.wav/);
    const wav = decodeWav(new Uint8Array(readFileSync(out)), 'take.wav');
    expect(wav.sampleRate).toBe(48000);
    expect(wav.format).toMatch(/float/i);
    expect(Math.abs(wav.frames - 96000)).toBeLessThan(4);
    const preset = JSON.parse(readWavComment(new Uint8Array(readFileSync(out)))!);
    expect(preset.weights).toEqual({ content: 0, style: 2, energy: 0.5, timbre: 0 });
    expect(preset.network.seed).toBe(9);
  }, 120_000);

  it('gives clear errors and exit code 2 on bad input, and writes nothing', async () => {
    const junk = path.join(dir, 'junk.wav');
    writeFileSync(junk, 'this is not audio at all, just some text'.repeat(10));
    const out = path.join(dir, 'never.wav');
    const bad = await run(['render', '--content', junk, '--style', path.join(DEMO_DIR, 'style.wav'), '--out', out]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/junk\.wav/);
    expect(existsSync(out)).toBe(false);
    const missing = await run(['render', '--content', path.join(dir, 'nope.wav'), '--style', junk, '--out', out]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.wav.*no such file/);
    const preset = await run(['demo', '--preset', 'No Such Preset', '--out', out]);
    expect(preset.code).toBe(2);
    expect(preset.stderr).toMatch(/Quick preview/);
    const option = await run(['demo', '--alpha', 'loud']);
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/--alpha needs a number/);
    expect((await run(['render', '--bogus'])).stderr).toMatch(/Unknown option --bogus/);
  }, 60_000);

  it('stops on Ctrl-C with exit code 130 and leaves no file', async () => {
    const out = path.join(dir, 'cancelled.wav');
    const r = await run(['demo', '--iterations', '500', '--out', out, '--json'], (line, kill) => {
      const e = JSON.parse(line);
      if (e.event === 'progress' && e.phase === 'optimise' && e.iteration === 2) kill();
    });
    expect(r.code).toBe(130);
    expect(r.stdout).toMatch(/"code":"CANCELLED"/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('cancelled'))).toEqual([]);
  }, 60_000);

  it('lists presets and backends', async () => {
    const p = await run(['presets']);
    expect(p.code).toBe(0);
    for (const name of ['Quick preview', 'Ulyanov texture', 'Grinstein content-init', 'Verma timbre', 'alishdipani conv1d', 'IITB tanh']) {
      expect(p.stdout).toContain(name);
    }
    const b = await run(['backends', '--json']);
    expect(b.code).toBe(0);
    const list = b.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(list.some((x) => x.available)).toBe(true);
  }, 60_000);
});
