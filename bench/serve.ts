/**
 * Paired timing: `bench.js --serve W1|W2 [--inputs DIR] [--backend …]` sets the workload
 * up, warms it, prints `ready`, then runs one evaluation per line read on stdin and prints
 * its wall time in ms. bench/paired.py alternates these with PyTorch evaluations one by
 * one, so on a machine whose speed drifts (shared cores) each ratio compares neighbours.
 */
import { createInterface } from 'node:readline';
import { logMagnitude } from '../engine/dsp/stft';
import { createObjective } from '../engine/objective/create-objective';
import type { StyleInputs } from './style';
import { peakRssMb, type StyleWorkload } from './workloads';

export async function serveStyleWorkload(w: StyleWorkload, signals: StyleInputs, backend: 'onnx' | 'tfjs'): Promise<void> {
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
      network: { filters: w.filters, kernel: w.kernel, activation: 'relu', seed: 0 },
    },
    backend,
  );
  for (let i = 0; i < 2; i++) await objective.evaluate(c.data);
  process.stdout.write(`ready ${JSON.stringify({ impl: objective.backend, peak_rss_mb: peakRssMb() })}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() === 'quit') break;
    const t0 = performance.now();
    await objective.evaluate(c.data);
    process.stdout.write(`${(performance.now() - t0).toFixed(3)}\n`);
  }
  process.stdout.write(`done ${JSON.stringify({ peak_rss_mb: peakRssMb() })}\n`);
  objective.dispose();
}
