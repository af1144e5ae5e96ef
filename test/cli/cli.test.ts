/**
 * The command line end to end, as a musician runs it: the built CLI in its own process.
 * `npm test` builds dist/ before the tests run.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeWav } from '../../engine/audio/wav';
import { encodeWav } from '../../engine/audio/wav-encode';
import { readWavComment } from '../helpers/wav-comment';
import { ROOT, DEMO_DIR } from '../helpers/demo';
import { readSmf } from '../helpers/smf';

const CLI = path.join(ROOT, 'dist/cli/cli.js');

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

  it('runs through a symlink, as npm links the `gramophone` command', () => {
    const bin = path.join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    symlinkSync(CLI, path.join(bin, 'gramophone'));
    const out = execFileSync(process.execPath, [path.join(bin, 'gramophone'), 'presets'], { encoding: 'utf8' });
    expect(out).toMatch(/^Timbre transfer$/m);
  });

  it('renders the bundled demo end to end with JSON progress, and the stem decodes', async () => {
    const out = path.join(dir, 'demo.wav');
    const r = await run(['demo', '--preset', 'Quick preview', '--iterations', '12', '--out', out, '--json', '--format', 'pcm16', '--channels', '2']);
    expect(r.code, r.stderr).toBe(0);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
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

  /** `render` of the demo pair's files (as a user's) into `out`. */
  const renderDemo = (out: string) => ['render', '--content', path.join(DEMO_DIR, 'content.wav'), '--style', path.join(DEMO_DIR, 'style.wav'), '--out', out];

  it('renders user files with weight overrides and 48 kHz float output', async () => {
    const out = path.join(dir, 'take.wav');
    const r = await run([
      ...renderDemo(out),
      '--alpha',
      '0',
      '--beta',
      '2',
      '--gamma=0.5',
      '--delta',
      '0',
      '--iterations',
      '4',
      '--seed',
      '9',
      '--rate',
      '48000',
      '--format',
      'float32',
      '--region',
      '0:2',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Wrote .*take\.wav/);
    expect(r.stderr).toMatch(/melody kept \d+ % \(the take's pitch within 50 cents of the content's\)/);
    const wav = decodeWav(new Uint8Array(readFileSync(out)), 'take.wav');
    expect(wav.sampleRate).toBe(48000);
    expect(wav.format).toMatch(/float/i);
    expect(Math.abs(wav.frames - 96000)).toBeLessThan(4);
    const preset = JSON.parse(readWavComment(new Uint8Array(readFileSync(out)))!);
    // The default preset ("Timbre transfer") keeps its note-template weight; the four flags given override theirs.
    expect(preset.weights).toEqual({ content: 0, style: 2, energy: 0.5, timbre: 0, texture: 0, envelope: 0, notes: 1 });
    expect(preset.network.seed).toBe(9);
  }, 120_000);

  it('renders with the trained instrument network, found from the built layout', async () => {
    const out = path.join(dir, 'trained.wav');
    const r = await run([...renderDemo(out), '--preset', 'Verma & Smith (trained)', '--iterations', '2', '--region', '0:1', '--rate', 'engine']);
    expect(r.code, r.stderr).toBe(0);
    const bytes = new Uint8Array(readFileSync(out));
    expect(decodeWav(bytes, 'trained.wav').sampleRate).toBe(16000);
    expect(JSON.parse(readWavComment(bytes)!).network.weights).toBe('instrument-cnn-v1');
  }, 120_000);

  it('writes the notes heard in the content, the style and the take with --notes-out, one track each', async () => {
    const out = path.join(dir, 'noted.wav');
    const notes = path.join(dir, 'take.mid');
    const r = await run([...renderDemo(out), '--iterations', '2', '--region', '0:3', '--notes-out', notes]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Wrote the notes heard in the content, the style and the take to .*take\.mid/);
    const smf = readSmf(new Uint8Array(readFileSync(notes)));
    expect(smf.format).toBe(1);
    expect(smf.tracks.map((t) => t.name)).toEqual([undefined, 'content: content.wav', 'style: style.wav', 'take: noted.wav']);
    const [content, , take] = smf.tracks.slice(1).map((t) => t.notes);
    expect(content.length).toBeGreaterThan(2);
    // Within the 3 s region (960 ticks a second), and the take plays the content's pitches.
    expect(Math.max(...content.map((n) => n.off))).toBeLessThanOrEqual(3 * 960 + 10);
    const pitches = new Set(content.map((n) => n.pitch));
    expect(take.filter((n) => pitches.has(n.pitch)).length).toBeGreaterThanOrEqual(0.6 * take.length);
    const wrong = await run([...renderDemo(path.join(dir, 'never2.wav')), '--notes-out', path.join(dir, 'notes.txt')]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--notes-out must name a \.mid or \.midi file/);
    expect(existsSync(path.join(dir, 'never2.wav'))).toBe(false);
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
    const budget = await run(['demo', '--memory-budget', 'lots', '--out', out]);
    expect(budget.code).toBe(2);
    expect(budget.stderr).toMatch(/--memory-budget must be a size such as 4G/);
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it('renders in segments with progress over the whole file, or refuses what the budget cannot hold', async () => {
    const out = path.join(dir, 'segments.wav');
    const r = await run(['demo', '--iterations', '3', '--segment-seconds', '5', '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const counts = new Set(events.filter((e) => e.event === 'progress' && e.segment).map((e) => e.segment.count));
    expect([...counts]).toEqual([2]);
    expect(events.at(-1).warnings.join(' ')).toMatch(/rendered in 2 segments/);
    expect(decodeWav(new Uint8Array(readFileSync(out)), 'segments.wav').frames).toBeGreaterThan(22050 * 9);
    // Even a 5-second stretch of a 4096-filter preset needs more than 300 MB: refused before rendering.
    const heavy = await run(['demo', '--preset', 'Grinstein content-init', '--memory-budget', '300M', '--out', path.join(dir, 'heavy.wav')]);
    expect(heavy.code).toBe(1);
    expect(heavy.stderr).toMatch(/"Grinstein content-init" needs about .* for even a 5-second stretch, over the 300\.0 MB memory budget/);
    expect(existsSync(path.join(dir, 'heavy.wav'))).toBe(false);
  }, 120_000);

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
    const list = b.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(list.some((x) => x.available)).toBe(true);
  }, 60_000);

  describe('safety checks before rendering', () => {
    const content = path.join(DEMO_DIR, 'content.wav');
    const style = path.join(DEMO_DIR, 'style.wav');
    const safe = mkdtempSync(path.join(tmpdir(), 'gramophone-cli-safety-'));
    const mine = path.join(safe, 'mine.wav');
    writeFileSync(mine, readFileSync(content));
    const before = readFileSync(mine);

    /** A refusal: the exit code, the message, no render started and the input untouched. */
    async function refused(args: string[], code: number, message: RegExp) {
      const r = await run(['render', '--iterations', '1', '--json', ...args]);
      expect(r.code, r.stdout + r.stderr).toBe(code);
      const events = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(events.some((e) => e.event === 'progress')).toBe(false);
      expect(events.at(-1)).toMatchObject({ event: 'error', message: expect.stringMatching(message) });
      expect(readFileSync(mine).equals(before)).toBe(true);
    }

    it('refuses an --out that is one of the inputs: same path, another spelling, a symlink, a hard link', async () => {
      await refused(['--content', mine, '--style', style, '--out', mine], 2, /is the input .*mine\.wav.*destroy it/);
      await refused(['--content', style, '--style', mine, '--out', path.join(safe, '.', 'sub', '..', 'mine.wav').replace('sub/..', '.')], 2, /is the input/);
      mkdirSync(path.join(safe, 'sub'), { recursive: true });
      await refused(['--content', mine, '--style', style, '--out', path.join(safe, 'sub', '..', 'mine.wav')], 2, /is the input/);
      symlinkSync(mine, path.join(safe, 'link.wav'));
      await refused(['--content', mine, '--style', style, '--out', path.join(safe, 'link.wav')], 2, /is the input/);
      const viaFolderLink = path.join(safe, 'folder-link');
      symlinkSync(safe, viaFolderLink);
      await refused(['--content', path.join(viaFolderLink, 'mine.wav'), '--style', style, '--out', mine], 2, /is the input/);
      linkSync(mine, path.join(safe, 'hard.wav'));
      await refused(['--content', mine, '--style', style, '--out', path.join(safe, 'hard.wav')], 2, /is the input/);
    }, 60_000);

    it('refuses a wrong extension, a missing or non-folder folder, and a folder as --out', async () => {
      await refused(['--content', mine, '--style', style, '--out', path.join(safe, 'take.mp3')], 2, /--out must name a \.wav file/);
      await refused(['--content', mine, '--style', style, '--out', path.join(safe, 'take')], 2, /--out must name a \.wav file/);
      await refused(['--content', mine, '--style', style, '--out', path.join(safe, 'no such folder', 'take.wav')], 1, /the folder .*no such folder.* does not exist/);
      await refused(['--content', mine, '--style', style, '--out', path.join(mine, 'take.wav')], 1, /is not a folder/);
      mkdirSync(path.join(safe, 'looks-like.wav'));
      await refused(['--content', mine, '--style', style, '--out', path.join(safe, 'looks-like.wav')], 2, /is a folder/);
      expect(existsSync(path.join(safe, 'take.mp3'))).toBe(false);
    }, 60_000);

    it('refuses a read-only output folder before rendering', async (ctx) => {
      const ro = mkdtempSync(path.join(tmpdir(), 'gramophone-ro-'));
      if (process.getuid?.() !== 0) {
        execFileSync('chmod', ['555', ro]);
        await refused(['--content', mine, '--style', style, '--out', path.join(ro, 'take.wav')], 1, /is not writable/);
        return;
      }
      // Root writes anywhere permissions say no; only a read-only file system stops it.
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', ro], { stdio: 'pipe' });
      } catch (err) {
        console.log(`skipped: cannot mount a read-only tmpfs here (${String((err as Error).message).split('\n')[0]})`);
        ctx.skip();
        return;
      }
      try {
        await refused(['--content', mine, '--style', style, '--out', path.join(ro, 'take.wav')], 1, /is on a read-only disk/);
      } finally {
        execFileSync('umount', [ro]);
      }
    }, 60_000);

    it('sizes inputs with a stat: a 5 GB file and a folder are refused without being read', async () => {
      const huge = path.join(safe, 'huge.wav');
      writeFileSync(huge, '');
      truncateSync(huge, 5 * 1024 ** 3); // sparse: costs no disk
      const t0 = performance.now();
      await refused(['--content', huge, '--style', style, '--out', path.join(safe, 'take.wav')], 2, /Cannot open "huge\.wav": it is 5\.00 GB, over the 1\.0 GB limit/);
      expect(performance.now() - t0).toBeLessThan(10_000);
      await refused(['--content', safe, '--style', style, '--out', path.join(safe, 'take.wav')], 2, /is a folder, not an audio file/);
    }, 60_000);

    it('warns when every weight is 0, and still renders', async () => {
      const out = path.join(safe, 'zero.wav');
      const r = await run([
        'render',
        '--content',
        content,
        '--style',
        style,
        '--out',
        out,
        '--alpha',
        '0',
        '--beta',
        '0',
        '--gamma',
        '0',
        '--delta',
        '0',
        '--nu',
        '0',
        '--iterations',
        '1',
        '--region',
        '0:1',
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/warning: every loss weight is 0/);
      expect(existsSync(out)).toBe(true);
    }, 60_000);

    it('writes the take at the content’s rate and width by default, from an MP3 content too', async () => {
      // 44.1 kHz stereo content made from the demo; the engine renders at the preset's rate.
      const demo = decodeWav(new Uint8Array(readFileSync(content)), 'content.wav');
      const { resample } = await import('../../engine/dsp/resample');
      const left = resample(demo.channels[0].subarray(0, demo.sampleRate * 2), demo.sampleRate, 44100);
      const stereo = path.join(safe, 'stereo-44k.wav');
      writeFileSync(stereo, encodeWav([left, left.map((v) => 0.5 * v)], 44100, 'pcm16'));
      const mp3 = path.join(safe, 'stereo-48k.mp3');
      execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', stereo, '-ar', '48000', '-b:a', '160k', mp3]);
      const cases: [string, string[], number, number][] = [
        [stereo, [], 44100, 2],
        [stereo, ['--rate', 'engine', '--channels', '1'], 22050, 1],
        [mp3, [], 48000, 2],
        [mp3, ['--rate', '96000'], 96000, 2],
      ];
      for (const [input, extra, rate, channels] of cases) {
        const out = path.join(safe, 'default.wav');
        const r = await run(['render', '--content', input, '--style', style, '--out', out, '--preset', 'Quick preview', '--iterations', '1', ...extra]);
        expect(r.code, r.stderr).toBe(0);
        const wav = decodeWav(new Uint8Array(readFileSync(out)), 'default.wav');
        expect([wav.sampleRate, wav.channels.length]).toEqual([rate, channels]);
        expect(Math.abs(wav.frames / rate - 2)).toBeLessThan(0.05);
        // The analysis ran at the preset's rate, not the content's.
        expect(JSON.parse(readWavComment(new Uint8Array(readFileSync(out)))!).analysis.sampleRate).toBe(22050);
      }
    }, 120_000);
  });
});
