import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../../bench/args';
import { runStyleWorkload } from '../../bench/style';
import { STYLE_WORKLOADS, synthSignal, timingStats } from '../../bench/workloads';

describe('bench arguments', () => {
  it('defaults to every workload on onnx with 10 evaluations', () => {
    expect(parseBenchArgs([])).toEqual({ workloads: ['W1', 'W2', 'W3', 'W4', 'W5', 'E2E', 'STREAM'], backend: 'onnx', evals: 10, child: false, serve: false, cold: false });
  });
  it('reads workloads, backend, inputs and evals', () => {
    expect(parseBenchArgs(['w2', 'W1', '--backend', 'tfjs', '--inputs', '/tmp/x', '--evals', '3'])).toEqual({
      workloads: ['W2', 'W1'],
      backend: 'tfjs',
      inputs: '/tmp/x',
      evals: 3,
      child: false,
      serve: false,
      cold: false,
    });
    expect(parseBenchArgs(['STREAM', '--cold'])).toMatchObject({ workloads: ['STREAM'], cold: true });
  });
  it('runs PACE only when asked, for the presets and length given', () => {
    expect(parseBenchArgs([]).workloads).not.toContain('PACE');
    expect(parseBenchArgs(['pace', '--preset', 'Quick preview', '--preset', 'Verma & Smith', '--seconds', '60'])).toMatchObject({
      workloads: ['PACE'],
      presets: ['Quick preview', 'Verma & Smith'],
      seconds: 60,
    });
    expect(() => parseBenchArgs(['PACE', '--seconds', '0'])).toThrow(/from 1 to 3600/);
  });
  it('refuses what it does not know', () => {
    expect(() => parseBenchArgs(['W9'])).toThrow(/Unknown argument "W9"/);
    expect(() => parseBenchArgs(['--backend', 'cuda'])).toThrow(/onnx or tfjs/);
    expect(() => parseBenchArgs(['--inputs'])).toThrow(/needs a value/);
    expect(() => parseBenchArgs(['--evals', '0'])).toThrow(/≥ 1/);
  });
});

describe('bench statistics and inputs', () => {
  it('median, min and max as reference.py (statistics.median, 2 decimals)', () => {
    expect(timingStats([3, 1, 2])).toEqual({ n: 3, median_ms: 2, min_ms: 1, max_ms: 3 });
    expect(timingStats([4, 1, 2, 3])).toEqual({ n: 4, median_ms: 2.5, min_ms: 1, max_ms: 4 });
    expect(timingStats([1.234567, 9.87654])).toEqual({ n: 2, median_ms: 5.56, min_ms: 1.23, max_ms: 9.88 });
  });

  it('synthesizes reference.py-like signals: seeded, the right length, amplitude of five tones plus noise', () => {
    const a = synthSignal(22050, 1, 1);
    expect(a.length).toBe(22050);
    expect(Array.from(synthSignal(22050, 1, 1))).toEqual(Array.from(a));
    expect(Array.from(synthSignal(22050, 1, 2))).not.toEqual(Array.from(a));
    const rms = Math.sqrt(a.reduce((s, v) => s + v * v, 0) / a.length);
    // Five tones of amplitude 0.05–0.2 (rms each /√2) and noise of σ 0.05.
    expect(rms).toBeGreaterThan(0.09);
    expect(rms).toBeLessThan(0.35);
  });

  it("W1 and W2 are reference.py's settings", () => {
    expect(STYLE_WORKLOADS.W1).toEqual({ sampleRate: 22050, nFft: 2048, hop: 512, seconds: 10, filters: 4096, kernel: 11 });
    expect(STYLE_WORKLOADS.W2).toEqual({ sampleRate: 22050, nFft: 1024, hop: 256, seconds: 10, filters: 512, kernel: 11 });
  });
});

describe('style workload runner', () => {
  it("prints reference.py's fields for a small workload, on both backends, with matching loss0", async () => {
    const w = { sampleRate: 8000, nFft: 256, hop: 128, seconds: 0.5, filters: 16, kernel: 3 };
    const signals = { content: synthSignal(8000, 0.5, 1), style: synthSignal(8000, 0.5, 2), inputs: 'test' };
    const a = await runStyleWorkload('W2', w, signals, 'onnx', 2);
    expect(Object.keys(a)).toEqual(['workload', 'impl', 'n', 'median_ms', 'min_ms', 'max_ms', 'peak_rss_mb', 'threads', 'frames', 'bins', 'filters', 'kernel', 'loss0', 'inputs']);
    expect(a).toMatchObject({ workload: 'W2', n: 2, frames: 32, bins: 129, filters: 16, kernel: 3 });
    expect(a.impl).toMatch(/^onnx/);
    const b = await runStyleWorkload('W2', w, signals, 'tfjs', 1);
    expect(b.impl).toMatch(/^tfjs/);
    // At X = content the content term is 0; loss0 is style + energy + timbre on both backends.
    expect(Math.abs((a.loss0 as number) - (b.loss0 as number)) / (b.loss0 as number)).toBeLessThan(1e-3);
    expect(a.loss0 as number).toBeGreaterThan(0);
  });
});

describe('pace workload', () => {
  it('covers every built-in preset by default, or those named, and refuses an unknown name', async () => {
    const { pacePresets } = await import('../../bench/pace');
    const { BUILTIN_PRESETS } = await import('../../common/preset');
    expect(pacePresets(undefined).map((p) => p.name)).toEqual(BUILTIN_PRESETS.map((p) => p.name));
    expect(pacePresets(['quick preview']).map((p) => p.name)).toEqual(['Quick preview']);
    expect(() => pacePresets(['Nope'])).toThrow(/no built-in preset "Nope"/);
  });

  it('renders a preset on the demo pair tiled to the length asked for and reports its pace, loss and convergence', async () => {
    const { runPaceOne } = await import('../../bench/pace');
    const { tinyPreset } = await import('../helpers/demo');
    const line = await runPaceOne(tinyPreset(2), 12);
    expect(line).toMatchObject({ workload: 'PACE', content_s: 12, segments: 1, iterations_max: 6, gl_iterations: 6 });
    for (const k of ['wall_s', 'cpu_s', 'final_loss', 'peak_rss_mb']) expect(line[k] as number, k).toBeGreaterThan(0);
    expect(line.spectral_convergence_db as number).toBeLessThan(0);
    expect((line.loss_within as Record<string, number | null>)['10%']).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
