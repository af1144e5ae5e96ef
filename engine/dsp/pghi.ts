/**
 * Phase-gradient heap integration (Průša, Balazs & Søndergaard 2017, "A noniterative method
 * for reconstruction of phase from STFT magnitude"): a phase for a magnitude spectrogram
 * from the magnitude alone. For a Gaussian-like window the phase's time derivative follows
 * from the log-magnitude's slope along frequency and its frequency derivative from the slope
 * along time; integrating those gradients from the loudest bins outwards (a max-heap) gives
 * a phase that Griffin-Lim starts from far closer to a consistent spectrogram than a random
 * one, so it needs far fewer iterations to the same spectral convergence.
 *
 * Conventions are this engine's STFT (./stft.ts): frame t starts nFft/2 samples before
 * sample t·hop, so a click at the frame's centre has a phase stepping by π per bin, and a
 * steady partial at ω cycles per sample advances 2π·ω·hop per frame.
 */
import { createRng } from '../random';
import type { ComplexSpectrogram, StftShape } from './stft';

/** λ/L² of the Gaussian whose time-frequency spread matches a Hann window of length L (Průša et al.). */
const HANN_LAMBDA = 0.25645;

/** Bins this far below the loudest (relative magnitude) get a random phase: they carry nothing. */
const TOLERANCE = 1e-5;

/**
 * A unit phasor per bin (re = cos φ, im = sin φ) for `magnitude`, by phase-gradient heap integration.
 * @param magnitude |STFT| ≥ 0, frames × bins row-major (bins = nFft/2 + 1)
 * @param frames number of frames
 * @param shape the STFT's FFT size, hop and Hann window length
 * @param seed seeds the phase of the negligible bins
 * @returns frames × bins unit phasors (usable as Griffin-Lim's `initialPhase`)
 */
export function pghiPhase(magnitude: Float32Array, frames: number, shape: StftShape, seed: number): ComplexSpectrogram {
  const M = shape.nFft;
  const a = shape.hop;
  const L = shape.window ?? M;
  const bins = M / 2 + 1;
  const count = frames * bins;
  const lambda = HANN_LAMBDA * L * L;

  let peak = 0;
  for (let i = 0; i < count; i++) if (magnitude[i] > peak) peak = magnitude[i];
  const floor = peak * TOLERANCE;
  const slog = new Float64Array(count);
  const tiny = Math.max(floor, 1e-30);
  for (let i = 0; i < count; i++) slog[i] = Math.log(Math.max(magnitude[i], tiny));

  // dT: phase advance per hop (time derivative × hop); dF: phase step per bin.
  const dT = new Float64Array(count);
  const dF = new Float64Array(count);
  for (let t = 0; t < frames; t++) {
    const row = t * bins;
    for (let m = 0; m < bins; m++) {
      const i = row + m;
      const up = m + 1 < bins ? slog[i + 1] : slog[i];
      const down = m > 0 ? slog[i - 1] : slog[i];
      const span = (m + 1 < bins ? 1 : 0) + (m > 0 ? 1 : 0);
      const dLogDw = span > 0 ? ((up - down) / span) * M : 0;
      dT[i] = a * ((2 * Math.PI * m) / M + dLogDw / lambda);
      const next = t + 1 < frames ? slog[i + bins] : slog[i];
      const prev = t > 0 ? slog[i - bins] : slog[i];
      const tspan = (t + 1 < frames ? 1 : 0) + (t > 0 ? 1 : 0);
      const dLogDt = tspan > 0 ? (next - prev) / (tspan * a) : 0;
      dF[i] = -(lambda / M) * dLogDt - Math.PI;
    }
  }

  const phase = new Float64Array(count);
  const done = new Uint8Array(count);
  const rng = createRng(seed);
  for (let i = 0; i < count; i++) {
    if (magnitude[i] <= floor) {
      done[i] = 1;
      phase[i] = 2 * Math.PI * rng.next();
    }
  }

  // Seeds in order of loudness; the heap grows from each seed over its connected region.
  const order = loudestFirst(slog, done, Math.log(tiny), Math.log(Math.max(peak, tiny)));
  const heap = new Int32Array(count);
  let size = 0;
  const push = (i: number) => {
    let k = size++;
    while (k > 0) {
      const p = (k - 1) >> 1;
      if (magnitude[heap[p]] >= magnitude[i]) break;
      heap[k] = heap[p];
      k = p;
    }
    heap[k] = i;
  };
  const pop = (): number => {
    const top = heap[0];
    const last = heap[--size];
    let k = 0;
    for (;;) {
      let c = 2 * k + 1;
      if (c >= size) break;
      if (c + 1 < size && magnitude[heap[c + 1]] > magnitude[heap[c]]) c++;
      if (magnitude[heap[c]] <= magnitude[last]) break;
      heap[k] = heap[c];
      k = c;
    }
    heap[k] = last;
    return top;
  };
  const visit = (j: number, value: number) => {
    if (done[j]) return;
    phase[j] = value;
    done[j] = 1;
    push(j);
  };

  for (const seedBin of order) {
    if (done[seedBin]) continue;
    done[seedBin] = 1;
    phase[seedBin] = 0;
    push(seedBin);
    while (size > 0) {
      const i = pop();
      const t = Math.floor(i / bins);
      const m = i - t * bins;
      // Trapezoidal steps: the mean of both ends' gradients.
      if (t + 1 < frames) visit(i + bins, phase[i] + (dT[i] + dT[i + bins]) / 2);
      if (t > 0) visit(i - bins, phase[i] - (dT[i] + dT[i - bins]) / 2);
      if (m + 1 < bins) visit(i + 1, phase[i] + (dF[i] + dF[i + 1]) / 2);
      if (m > 0) visit(i - 1, phase[i] - (dF[i] + dF[i - 1]) / 2);
    }
  }

  const re = new Float32Array(count);
  const im = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    re[i] = Math.cos(phase[i]);
    im[i] = Math.sin(phase[i]);
  }
  return { frames, bins, re, im };
}

/** Buckets of the counting sort that orders the seeds (by log-magnitude, quantised). */
const SEED_BUCKETS = 4096;

/**
 * The bins not yet `done`, loudest first (to within 1/SEED_BUCKETS of the log-magnitude
 * range: exact order among near-equal bins does not matter for the seeds), in O(count).
 */
function loudestFirst(slog: Float64Array, done: Uint8Array, lo: number, hi: number): Int32Array {
  const scale = hi > lo ? (SEED_BUCKETS - 1) / (hi - lo) : 0;
  const bucket = (i: number) => SEED_BUCKETS - 1 - Math.min(SEED_BUCKETS - 1, Math.max(0, Math.floor((slog[i] - lo) * scale)));
  const starts = new Int32Array(SEED_BUCKETS + 1);
  let n = 0;
  for (let i = 0; i < slog.length; i++) {
    if (done[i]) continue;
    starts[bucket(i) + 1]++;
    n++;
  }
  for (let b = 0; b < SEED_BUCKETS; b++) starts[b + 1] += starts[b];
  const out = new Int32Array(n);
  for (let i = 0; i < slog.length; i++) if (!done[i]) out[starts[bucket(i)]++] = i;
  return out;
}
