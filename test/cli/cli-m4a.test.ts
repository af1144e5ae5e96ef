/**
 * The command line renders an M4A (AAC) content file through a system ffmpeg, at the file's
 * full length, and without ffmpeg on the PATH refuses it in words that say how to have it
 * converted. The M4A is made by ffmpeg in the test run. Runs the built CLI (dist/).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../../engine/audio/wav';
import { DEMO_DIR, ROOT } from '../helpers/demo';

const CLI = path.join(ROOT, 'dist/cli/cli.js');
const dir = mkdtempSync(path.join(tmpdir(), 'gramophone-cli-m4a-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env });
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** The demo content's first 4 s as AAC in an MP4 container (44.1 kHz, like a voice memo). */
function makeM4a(): string {
  const out = path.join(dir, 'memo.m4a');
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', path.join(DEMO_DIR, 'content.wav'), '-t', '4', '-ar', '44100', '-c:a', 'aac', '-b:a', '128k', out]);
  return out;
}

describe('gramophone CLI with an M4A content file', () => {
  it('renders it through ffmpeg at its full length', async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run node scripts/build.mjs`);
    const m4a = makeM4a();
    const out = path.join(dir, 'take.wav');
    const r = await run(['render', '--content', m4a, '--style', path.join(DEMO_DIR, 'style.wav'), '--preset', 'Quick preview', '--iterations', '4', '--out', out, '--channels', '1']);
    expect(r.code, r.stderr).toBe(0);
    const wav = decodeWav(new Uint8Array(readFileSync(out)), 'take.wav');
    // The take is written at the content's rate: 4 s of it, to the sample.
    expect(wav.sampleRate).toBe(44100);
    expect(wav.frames).toBe(4 * 44100);
  }, 120_000);

  it('without ffmpeg on the PATH, refuses it and says how to have it converted', async () => {
    const m4a = path.join(dir, 'memo.m4a');
    if (!existsSync(m4a)) makeM4a();
    // A PATH holding only node, so the CLI runs but finds no ffmpeg.
    const bin = path.join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    if (!existsSync(path.join(bin, 'node'))) symlinkSync(process.execPath, path.join(bin, 'node'));
    const r = await run(['render', '--content', m4a, '--style', path.join(DEMO_DIR, 'style.wav'), '--out', path.join(dir, 'none.wav')], { ...process.env, PATH: bin });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"memo\.m4a": it is an MPEG-4 file .*M4A\/AAC\/ALAC.*install ffmpeg/);
    expect(existsSync(path.join(dir, 'none.wav'))).toBe(false);
  }, 60_000);
});
