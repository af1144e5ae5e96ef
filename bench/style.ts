/**
 * W1/W2: time one evaluation of the style objective (loss + gradient) exactly as
 * reference.py does: X = log1p|STFT| of the content, all four weights 1, evaluated at
 * X = content; two warm-up evaluations (loss0 is the second's), then `evals` timed ones.
 */
import { logMagnitude } from '../engine/dsp/stft';
import { createObjective } from '../engine/objective/create-objective';
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
  const shape = { nFft: w.nFft, hop: w.hop };
  const c = logMagnitude(signals.content, shape);
  const s = logMagnitude(signals.style, shape);
  const objective = await createObjective(
    {
      frames: c.frames,
      bins: c.bins,
      content: c.data,
      style: s.data,
      styleFrames: s.frames,
      weights: { content: 1, style: 1, energy: 1, timbre: 1 },
      network: { filters: w.filters, kernel: w.kernel, activation: 'relu', seed: NETWORK_SEED },
    },
    backend,
  );
  return { objective, content: c };
}

export async function runStyleWorkload(
  name: string,
  w: StyleWorkload,
  signals: StyleInputs,
  backend: 'onnx' | 'tfjs',
  evals: number,
): Promise<BenchLine> {
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
      filters: w.filters,
      kernel: w.kernel,
      loss0,
      inputs: signals.inputs,
    };
  } finally {
    objective.dispose();
  }
}
