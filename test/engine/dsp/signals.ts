/** Seeded test signals for the DSP tests (generated, never downloaded). */
import { createRng } from '../../../engine/random';

/**
 * reference.py's `synth`: five harmonic tones (100–1000 Hz, amplitude 0.05–0.2) with
 * vibrato (index 3, rate 0.5–5 Hz) plus Gaussian noise of σ 0.05. Same recipe, our RNG.
 */
export function synth(sampleRate: number, seconds: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const uniform = (a: number, b: number) => a + (b - a) * rng.next();
  const n = Math.round(sampleRate * seconds);
  const y = new Float64Array(n);
  for (let k = 0; k < 5; k++) {
    const f0 = uniform(100, 1000);
    const amp = uniform(0.05, 0.2);
    const rate = uniform(0.5, 5);
    for (let i = 0; i < n; i++) {
      const t = i / sampleRate;
      y[i] += amp * Math.sin(2 * Math.PI * f0 * t + 3 * Math.sin(2 * Math.PI * rate * t));
    }
  }
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = y[i] + 0.05 * rng.normal();
  return out;
}

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
