/**
 * Paired timing: `bench.js --serve W1|W2|W4|W5 [--inputs DIR] [--backend …]` sets the workload
 * up, warms it, prints `ready`, then runs one evaluation per line read on stdin and prints
 * its wall time in ms. bench/paired.py alternates these with PyTorch evaluations one by
 * one, so on a machine whose speed drifts (shared cores) each ratio compares neighbours.
 */
import { createInterface } from 'node:readline';
import { setupStyleWorkload, type StyleInputs } from './style';
import { peakRssMb, type StyleWorkload } from './workloads';

export async function serveStyleWorkload(w: StyleWorkload, signals: StyleInputs, backend: 'onnx' | 'tfjs'): Promise<void> {
  const { objective, content: c } = await setupStyleWorkload(w, signals, backend);
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
