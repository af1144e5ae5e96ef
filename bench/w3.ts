/**
 * W3 (reference.py): 100 iterations of fast Griffin-Lim, momentum 0.99, on 10 s at 44.1 kHz
 * with nFft 2048, hop 512. The timed unit matches reference.py's: initial random phase,
 * the iterations and the final inverse STFT (the target magnitude is computed beforehand).
 */
import { fftImplementation } from '../engine/dsp/fft';
import { defaultKernelThreads, kernelWorkerPath } from '../engine/dsp/kernel-pool';
import { griffinLim } from '../engine/dsp/griffin-lim';
import { magnitude, stft, type StftShape } from '../engine/dsp/stft';

const SHAPE: StftShape = { nFft: 2048, hop: 512 };
const ITERATIONS = 100;
const MOMENTUM = 0.99;

/**
 * Time W3 `repeats` times on `signal` (mono, 44.1 kHz; reference.py writes it as W3.wav).
 * @returns per-repeat wall times in ms, the spectral convergence of the last run, frame count,
 *   and the implementation (FFT and threads) measured
 */
export async function runW3(signal: Float32Array, repeats: number): Promise<{ times_ms: number[]; spectral_convergence: number; frames: number; impl: string }> {
  const spec = stft(signal, SHAPE);
  const mag = magnitude(spec);
  const opts = { momentum: MOMENTUM, length: signal.length, seed: 3 };
  // Start the worker threads and warm the JIT outside the timed runs.
  await griffinLim(mag, spec.frames, SHAPE, { ...opts, iterations: 2 });
  const times: number[] = [];
  let sc = NaN;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    const out = await griffinLim(mag, spec.frames, SHAPE, { ...opts, iterations: ITERATIONS });
    times.push(performance.now() - t0);
    sc = out.spectralConvergence;
  }
  const threads = kernelWorkerPath() ? defaultKernelThreads() : 1;
  return { times_ms: times, spectral_convergence: sc, frames: spec.frames, impl: `${fftImplementation} ×${threads} threads` };
}
