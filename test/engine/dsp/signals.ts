/** Seeded test signals for the DSP tests (generated, never downloaded). */
import { createRng } from '../../../engine/random';

/** reference.py's `synth` recipe with our RNG (one definition, shared with the bench). */
export { synthSignal as synth } from '../../../bench/workloads';

/** A sine of `amplitude` at `freq` Hz, `length` samples. */
export function sine(freq: number, sampleRate: number, length: number, amplitude = 1, phase = 0): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * freq * i) / sampleRate + phase);
  return out;
}

/** Uniform noise in [−1, 1), seeded. */
export function noise(length: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = 2 * rng.next() - 1;
  return out;
}
