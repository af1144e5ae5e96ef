/**
 * The shell against the real engine process (dist/engine/engine-process.js, forked as the
 * local server does): a render with progress, cancel at several points, and the engine
 * killed mid-render ten times in a row.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { dispatch } from '../../common/rpc';
import { rendererApi, type Track } from '../../common/contract';
import type { RenderProgress } from '../../common/audio';
import { BUILTIN_PRESETS, type Preset } from '../../common/preset';
import { makeShell } from './helpers/shell-fixture';

let fx: ReturnType<typeof makeShell>;
let demo: { content: Track; style: Track };
const progress: RenderProgress[] = [];

const call = async <T>(method: string, args: unknown, signal?: AbortSignal): Promise<T> => {
  const r = await dispatch(rendererApi, fx.shell.handlers, method, args, signal);
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
  return r.value as T;
};
const quick = (iterations: number, gl = 8): Preset => {
  const p = BUILTIN_PRESETS.find((x) => x.name === 'Quick preview')!;
  return { ...p, optimizer: { ...p.optimizer, iterations }, griffinLim: { ...p.griffinLim, iterations: gl } };
};
const render = (jobId: string, preset: Preset, seconds = 2, signal?: AbortSignal) =>
  call<Track>('render', { jobId, contentId: demo.content.id, styleId: demo.style.id, preset, region: { start: 0, end: seconds } }, signal);
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: { code?: string }) => e.code ?? String(e),
  );
const waitFor = async (cond: () => boolean, ms: number) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - t0;
};

beforeAll(async () => {
  fx = makeShell({ engine: 'real' });
  fx.shell.emitTo((event, data) => {
    if (event === 'renderProgress') progress.push(data as RenderProgress);
  });
  demo = await call('loadDemo', {});
}, 120_000);
afterAll(() => fx.shell.dispose());

describe('shell with the real engine', () => {
  it('renders a take with progress', async () => {
    progress.length = 0;
    const take = await render('real-1', quick(6));
    expect(take.kind).toBe('take');
    expect(take.info.duration).toBeCloseTo(2, 1);
    const mine = progress.filter((p) => p.jobId === 'real-1');
    expect(mine.some((p) => p.phase === 'optimise' && p.iteration > 0)).toBe(true);
    expect(mine.some((p) => p.phase === 'reconstruct')).toBe(true);
    const audio = await call<{ channels: Float32Array[] }>('getAudio', { trackId: take.id });
    expect(audio.channels[0].length).toBe(take.info.frames);
    expect(fx.shell.engine.status.state).toBe('ready');
  });

  const points: [string, (jobId: string) => Promise<void>][] = [
    ['before it starts', async () => undefined],
    ['while analysing', (id) => waitFor(() => progress.some((p) => p.jobId === id && (p.phase === 'decode' || p.phase === 'analyse')), 60_000).then(() => undefined)],
    ['while optimising', (id) => waitFor(() => progress.some((p) => p.jobId === id && p.phase === 'optimise' && p.iteration >= 2), 60_000).then(() => undefined)],
    ['while reconstructing', (id) => waitFor(() => progress.some((p) => p.jobId === id && p.phase === 'reconstruct'), 60_000).then(() => undefined)],
  ];
  for (const [label, when] of points) {
    it(`cancels ${label}: CANCELLED, engine idle within 2 s, no take and no file`, async () => {
      const jobId = `cancel-${label.replace(/\W+/g, '-')}`;
      const takesBefore = fx.shell.tracks.takes().length;
      const preset = label === 'while reconstructing' ? quick(3, 4000) : quick(5000);
      const abort = new AbortController();
      const result = codeOf(render(jobId, preset, 4, abort.signal));
      await when(jobId);
      const t0 = Date.now();
      abort.abort();
      expect(await result).toBe('CANCELLED');
      // Idle: the job is over and nothing computes for it (if the engine did not stop in
      // time it was killed, and a fresh one is starting in the background).
      const idleMs = Date.now() - t0;
      expect(fx.shell.engine.status.state).not.toBe('busy');
      const readyMs = (await waitFor(() => fx.shell.engine.status.state === 'ready', 30_000)) + idleMs;
      console.log(`cancel ${label}: job over after ${idleMs} ms, engine ready after ${readyMs} ms`);
      expect(idleMs).toBeLessThan(2000);
      expect(fx.shell.tracks.takes().length).toBe(takesBefore);
      expect(fs.existsSync(fx.exportDir) ? fs.readdirSync(fx.exportDir) : []).toEqual([]);
    }, 90_000);
  }

  it('survives being killed mid-render 10 times: ENGINE_CRASHED each time, presets untouched, then renders', async () => {
    await call('savePreset', { preset: { ...quick(5), name: 'Survivor' } });
    const presetsFile = path.join(fx.root, 'data', 'presets.json');
    const before = fs.readFileSync(presetsFile);
    const codes: string[] = [];
    const t0 = Date.now();
    for (let i = 0; i < 10; i++) {
      const jobId = `kill-${i}`;
      const result = codeOf(render(jobId, quick(5000)));
      await waitFor(() => progress.some((p) => p.jobId === jobId), 60_000);
      fx.killEngine();
      codes.push(await result);
    }
    console.log(`10 kills and restarts in ${Date.now() - t0} ms`);
    expect(codes).toEqual(Array(10).fill('ENGINE_CRASHED'));
    expect(fs.readFileSync(presetsFile).equals(before)).toBe(true);
    const take = await render('after-kills', quick(4, 4));
    expect(take.kind).toBe('take');
    // At least the 10 kills. On a loaded machine a restart that misses its start-up
    // deadline is killed and counted too, which is the host doing its job, not a failure.
    expect(fx.shell.engine.crashCount).toBeGreaterThanOrEqual(10);
    expect((await call<{ user: Preset[] }>('listPresets', {})).user.map((p) => p.name)).toEqual(['Survivor']);
  }, 180_000);
});
