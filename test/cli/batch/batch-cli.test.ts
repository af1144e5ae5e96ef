/**
 * `gramophone batch` on the local pool, as a user runs it (the built CLI in its own
 * process): a grid with a bad input, resume after the batch is killed, Ctrl-C, and the
 * GPU fallback line. `npm test` builds dist/ first.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { decodeWav } from '../../../engine/audio/wav';
import { readWavComment } from '../../helpers/wav-comment';
import { events, startCli, writeFixtures } from './fixtures';

const root = mkdtempSync(path.join(tmpdir(), 'gramophone-batch-'));
const fx = writeFixtures(root, 2, 1);
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const resultLines = (dir: string) =>
  readFileSync(path.join(dir, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
/** Whether a process has ended (a zombie waiting to be reaped counts as ended). */
const gone = (pid: number) => {
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
};
/** Wait up to 5 s for every pid to end. */
async function allGone(pids: number[]): Promise<boolean> {
  for (let i = 0; i < 50 && !pids.every(gone); i++) await new Promise((r) => setTimeout(r, 100));
  return pids.every(gone);
}
const enginePids = (evs: Record<string, unknown>[]) => [...new Set(evs.filter((e) => e.event === 'job-start').map((e) => Number(/pid (\d+)/.exec(String(e.worker))?.[1])))];

describe('gramophone batch (local pool)', () => {
  it('renders a grid on two engine processes; a bad input fails only its jobs; every take says how it was made', async () => {
    const junk = path.join(root, 'style', 'junk.wav');
    writeFileSync(junk, 'not audio at all '.repeat(20));
    const out = path.join(root, 'grid');
    const run = startCli(['batch', '--content', path.join(root, 'content'), '--style', fx.styles[0], junk, '--preset-file', fx.preset, '--beta', '0.5,2', '--processes', '2', '--out', out, '--json']);
    const code = await run.done;
    const evs = events(run);
    expect(code, run.stderr()).toBe(1);
    // The junk style is refused when the inputs are checked, before anything is rendered.
    expect(evs.find((e) => e.event === 'batch-start')).toMatchObject({ jobs: 8, toRun: 4, runner: '2 local engine processes' });
    expect(evs.findIndex((e) => e.event === 'job-failed')).toBeLessThan(evs.findIndex((e) => e.event === 'batch-start'));
    expect(enginePids(evs)).toHaveLength(2);
    const failed = evs.filter((e) => e.event === 'job-failed');
    expect(failed).toHaveLength(4);
    for (const f of failed) expect((f.error as { message: string }).message).toMatch(/junk\.wav/);
    expect(evs.filter((e) => e.event === 'job-done')).toHaveLength(4);
    expect(evs.filter((e) => e.event === 'batch-progress').at(-1)).toMatchObject({ done: 4, failed: 4, remaining: 0 });
    expect(evs.at(-1)).toMatchObject({ event: 'batch-done', done: 4, failed: 4, skipped: 0, cancelled: 0 });

    // Jobs refused when their inputs were checked are in the events and the summary; the
    // results file holds the jobs that ran.
    const lines = resultLines(out);
    expect(lines).toHaveLength(4);
    const done = lines.filter((l) => l.status === 'done');
    expect(done.map((l) => l.out).sort()).toEqual(['tune1_x_texture1_beta0.5.wav', 'tune1_x_texture1_beta2.wav', 'tune2_x_texture1_beta0.5.wav', 'tune2_x_texture1_beta2.wav']);
    for (const l of done) {
      const file = path.join(out, String(l.out));
      expect(l.outSha256).toBe(sha(file));
      expect((l.content as { sha256: string }).sha256).toBe(sha(String((l.content as { path: string }).path)));
      const bytes = new Uint8Array(readFileSync(file));
      expect(decodeWav(bytes, 'take.wav').frames).toBe(22050);
      const preset = JSON.parse(readWavComment(bytes)!);
      expect(preset).toEqual(l.preset);
      expect(preset.weights.style).toBe(String(l.out).endsWith('_beta2.wav') ? 2 : 0.5);
      expect(l.metrics).toMatchObject({ iterations: expect.any(Number), backend: expect.stringMatching(/^onnx/) });
    }
    // The engine processes end with the batch.
    expect(await allGone(enginePids(evs))).toBe(true);
    expect(readdirSync(out).filter((f) => f.startsWith('.'))).toEqual([]);
  }, 60_000);

  it('resumes a killed batch: no job rendered twice, none skipped, no engine left behind', async () => {
    const out = path.join(root, 'resume');
    const args = ['batch', '--content', ...fx.contents, '--style', fx.styles[0], '--preset-file', fx.preset, '--beta', '0.5,1,2', '--processes', '1', '--out', out, '--json'];
    const first = startCli(args);
    await first.waitFor((l) => l.includes('"event":"job-done"'));
    first.child.kill('SIGKILL');
    await first.done;
    const doneFirst = new Set(
      events(first)
        .filter((e) => e.event === 'job-done')
        .map((e) => e.index),
    );
    expect(doneFirst.size).toBeGreaterThan(0);
    expect(doneFirst.size).toBeLessThan(6);
    expect(await allGone(enginePids(events(first)))).toBe(true);

    const second = startCli(args);
    expect(await second.done, second.stderr()).toBe(0);
    const evs = events(second);
    const skipped = new Set(evs.filter((e) => e.event === 'job-skipped').map((e) => e.index));
    const doneSecond = new Set(evs.filter((e) => e.event === 'job-done').map((e) => e.index));
    for (const i of doneFirst) expect(skipped.has(i), `job ${i} finished before the kill`).toBe(true);
    for (const i of doneSecond) expect(doneFirst.has(i), `job ${i} rendered twice`).toBe(false);
    expect(new Set([...skipped, ...doneSecond]).size).toBe(6);
    expect(skipped.size + doneSecond.size).toBe(6);
    expect(readdirSync(out).filter((f) => f.endsWith('.wav'))).toHaveLength(6);
    expect(readdirSync(out).filter((f) => f.startsWith('.'))).toEqual([]);

    // A third run finds everything done; a changed recipe renders again.
    const third = startCli(args);
    expect(await third.done).toBe(0);
    expect(events(third).at(-1)).toMatchObject({ event: 'batch-done', done: 0, skipped: 6 });
    const changed = startCli(args.map((a) => (a === '0.5,1,2' ? '0.5,1,3' : a)));
    expect(await changed.done).toBe(0);
    expect(events(changed).at(-1)).toMatchObject({ event: 'batch-done', done: 2, skipped: 4 });
  }, 90_000);

  it('stops on Ctrl-C: finished takes stay, nothing partial, exit code 130', async () => {
    const out = path.join(root, 'cancel');
    const run = startCli([
      'batch',
      '--content',
      ...fx.contents,
      '--style',
      fx.styles[0],
      '--preset-file',
      fx.preset,
      '--beta',
      '0.5,1',
      '--iterations',
      '300',
      '--processes',
      '2',
      '--out',
      out,
      '--json',
    ]);
    await run.waitFor((l) => l.includes('"event":"job-progress"') && l.includes('"phase":"optimise"') && /"iteration":[3-9]/.test(l));
    const t = Date.now();
    run.child.kill('SIGINT');
    expect(await run.done).toBe(130);
    expect(Date.now() - t).toBeLessThan(5000);
    const evs = events(run);
    const end = evs.at(-1)!;
    expect(end).toMatchObject({ event: 'batch-done', failed: 0 });
    expect(Number(end.cancelled)).toBeGreaterThan(0);
    const wavs = readdirSync(out).filter((f) => f.endsWith('.wav'));
    expect(wavs).toHaveLength(Number(end.done));
    expect(readdirSync(out).filter((f) => f.startsWith('.'))).toEqual([]);
    const lines = existsSync(path.join(out, 'results.jsonl')) ? resultLines(out) : [];
    expect(lines.every((l) => l.status === 'done')).toBe(true);
    expect(lines).toHaveLength(Number(end.done));
    expect(await allGone(enginePids(evs))).toBe(true);
  }, 60_000);

  it('says clearly when Redis cannot be reached, and which options belong where', async () => {
    const args = ['--content', fx.contents[0], '--style', fx.styles[0], '--out', path.join(root, 'never')];
    const unreachable = startCli(['batch', '--queue', 'redis://127.0.0.1:1', ...args]);
    expect(await unreachable.done).toBe(1);
    expect(unreachable.stderr()).toMatch(/Cannot reach Redis at redis:\/\/127\.0\.0\.1:1: .*ECONNREFUSED.*Is redis-server running there\?/);
    const worker = startCli(['worker', '--queue', 'redis://127.0.0.1:1', '--content', fx.contents[0]]);
    expect(await worker.done).toBe(2);
    expect(worker.stderr()).toMatch(/A worker takes its jobs, inputs and presets from the queue/);
    const pool = startCli(['batch', '--queue', 'redis://127.0.0.1:1', '--processes', '2', ...args]);
    expect(await pool.done).toBe(2);
    expect(pool.stderr()).toMatch(/with --queue each worker chooses its own/);
  }, 30_000);

  it('--device gpu without a usable GPU says so in one line and renders the CPU’s exact take', async () => {
    const outs = ['cpu', 'gpu'].map((d) => path.join(root, `device-${d}.wav`));
    const cpu = startCli(['render', '--content', fx.contents[0], '--style', fx.styles[0], '--preset-file', fx.preset, '--device', 'cpu', '--out', outs[0], '--json']);
    const gpu = startCli(['render', '--content', fx.contents[0], '--style', fx.styles[0], '--preset-file', fx.preset, '--device', 'gpu', '--out', outs[1], '--json']);
    expect([await cpu.done, await gpu.done], cpu.lines.join('\n') + cpu.stderr()).toEqual([0, 0]);
    const warnings = events(gpu).filter((e) => e.event === 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toMatch(/running on the CPU/);
    expect(events(cpu).filter((e) => e.event === 'warning')).toEqual([]);
    const backend = (events(gpu).at(-1)!.metrics as { backend: string }).backend;
    expect(backend).toMatch(/cpu/);
    expect(sha(outs[1])).toBe(sha(outs[0]));
  }, 60_000);
});
