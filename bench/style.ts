/**
 * W1/W2/W4/W5: time one evaluation of the style objective (loss + gradient) exactly as
 * reference.py does: X = log1p|STFT| of the content, all four weights 1, evaluated at
 * X = content; two warm-up evaluations (loss0 is the second's), then `evals` timed ones.
 */
import { PresetSchema, builtinPreset, type Preset } from '../common/preset';
import { createObjective } from '../engine/objective/create-objective';
import { createFrontEnd } from '../engine/objective/front-ends';
import { analyseSignal } from '../engine/objective/front-ends/analyse';
import { peakRssMb, timingStats, type StyleWorkload } from './workloads';

/** The signals a style workload runs on, and where they came from (for the `inputs` field). */
export interface StyleInputs {
  content: Float32Array;
  style: Float32Array;
  inputs: string;
}

/** One JSON-ready result line with reference.py's fields (+ `inputs`). */
export type BenchLine = Record<string, unknown>;

/** Seed of the network weights (reference.py uses torch.manual_seed(0)). */
const NETWORK_SEED = 0;

/**
 * The workload's objective and its content X (frames × bins), set up as reference.py does.
 * Shared by the timed run here and the paired server in serve.ts.
 */
export async function setupStyleWorkload(w: StyleWorkload, signals: StyleInputs, backend: 'onnx' | 'tfjs') {
  const preset = workloadPreset(w);
  const frontEnd = createFrontEnd(preset);
  const c = analyseSignal(signals.content, preset, frontEnd);
  const s = analyseSignal(signals.style, preset, frontEnd);
  const objective = await createObjective({ frames: c.frames, bins: c.bins, content: c.x, style: s.x, styleFrames: s.frames, preset, binHz: frontEnd.binHz, frameRate: w.sampleRate / w.hop }, backend);
  return { objective, content: { frames: c.frames, bins: c.bins, data: c.x } };
}

/**
 * The preset a workload times: its own network and analysis on top of a built-in (W1/W2:
 * reference.py's conv1d with all four weights 1; W4/W5: the built-in they name).
 */
export function workloadPreset(w: StyleWorkload): Preset {
  const base = builtinPreset(w.preset ?? 'Quick preview')!;
  if (w.preset) return base;
  return PresetSchema.parse({
    ...base,
    weights: { content: 1, style: 1, energy: 1, timbre: 1 },
    analysis: { sampleRate: w.sampleRate, nFft: w.nFft, hop: w.hop, window: w.nFft },
    network: {
      layers: [
        { kind: 'conv1d', filters: w.filters, kernel: w.kernel },
        { kind: 'activation', fn: 'relu' },
      ],
      seed: NETWORK_SEED,
      weights: 'random',
    },
  });
}

export async function runStyleWorkload(name: string, w: StyleWorkload, signals: StyleInputs, backend: 'onnx' | 'tfjs', evals: number): Promise<BenchLine> {
  const { objective, content: c } = await setupStyleWorkload(w, signals, backend);
  try {
    let loss0 = NaN;
    for (let i = 0; i < 2; i++) loss0 = (await objective.evaluate(c.data)).loss;
    const times: number[] = [];
    for (let i = 0; i < evals; i++) {
      const t0 = performance.now();
      await objective.evaluate(c.data);
      times.push(performance.now() - t0);
    }
    const threads = Number(/(\d+) threads?/.exec(objective.backend)?.[1] ?? 1);
    return {
      workload: name,
      impl: objective.backend,
      ...timingStats(times),
      peak_rss_mb: peakRssMb(),
      threads,
      frames: c.frames,
      bins: c.bins,
      ...(w.preset ? { preset: w.preset } : { filters: w.filters, kernel: w.kernel }),
      loss0,
      inputs: signals.inputs,
    };
  } finally {
    objective.dispose();
  }
}
