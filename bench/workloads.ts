/**
 * The benchmark workloads of the PyTorch reference (docs/ARCHITECTURE.md, "Benchmarks"), with the same parameters,
 * and its input signal recipe for runs without its WAV files.
 */
import { createRng } from '../engine/random';

/**
 * One evaluation of the style objective at X = content. W1/W2: reference.py's conv1d with
 * all four weights 1. W4/W5: a built-in preset's whole objective (its front end, layer
 * stack and terms), the PyTorch side written in bench/paired.py.
 */
export interface StyleWorkload {
  sampleRate: number;
  nFft: number;
  hop: number;
  seconds: number;
  filters: number;
  kernel: number;
  /** A built-in preset whose front end and network the workload times instead (W4, W5). */
  preset?: string;
}

export type StyleWorkloadName = 'W1' | 'W2' | 'W4' | 'W5';

export const STYLE_WORKLOADS: Record<StyleWorkloadName, StyleWorkload> = {
  W1: { sampleRate: 22050, nFft: 2048, hop: 512, seconds: 10, filters: 4096, kernel: 11 },
  W2: { sampleRate: 22050, nFft: 1024, hop: 256, seconds: 10, filters: 512, kernel: 11 },
  // Verma & Smith: 16 kHz, 30 ms window in a 512-point FFT, 10 ms hop, six 3×3 conv2d layers with 2×2 pooling.
  W4: { sampleRate: 16000, nFft: 512, hop: 160, seconds: 10, filters: 64, kernel: 3, preset: 'Verma & Smith' },
  // Jain & Raj: 128-band log-mel at 22.05 kHz, one 3×3 conv2d of 64 channels, tanh.
  W5: { sampleRate: 22050, nFft: 2048, hop: 512, seconds: 10, filters: 64, kernel: 3, preset: 'IITB mel tanh' },
};

export const isStyleWorkload = (name: string): name is StyleWorkloadName => name in STYLE_WORKLOADS;

/** W3: fast Griffin-Lim on 10 s at 44.1 kHz (the parameters live in w3.ts). */
export const W3_AUDIO = { sampleRate: 44100, seconds: 10 };

export const WORKLOAD_NAMES = ['W1', 'W2', 'W3', 'W4', 'W5', 'E2E', 'PACE', 'STREAM'] as const;
export type WorkloadName = (typeof WORKLOAD_NAMES)[number];
/** What a bare `npm run bench` runs: PACE (every preset, minutes) only when asked for. */
export const DEFAULT_WORKLOADS: readonly WorkloadName[] = ['W1', 'W2', 'W3', 'W4', 'W5', 'E2E', 'STREAM'];

/**
 * reference.py's `synth`: five harmonic tones with vibrato plus a little noise, seeded.
 * The recipe is the same but the random numbers are ours (numpy's generator is not
 * reproduced), so the signal is comparable, not identical; use `--inputs` for identical.
 * @returns mono samples, round(sampleRate · seconds) long
 */
export function synthSignal(sampleRate: number, seconds: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const uniform = (lo: number, hi: number) => lo + (hi - lo) * rng.next();
  const n = Math.round(sampleRate * seconds);
  const y = new Float64Array(n);
  for (let tone = 0; tone < 5; tone++) {
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

/** reference.py's `emit` statistics: median, min, max (ms, 2 decimals) and count. */
export function timingStats(times: readonly number[]): { n: number; median_ms: number; min_ms: number; max_ms: number } {
  const s = [...times].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  const r2 = (v: number) => Math.round(v * 100) / 100;
  return { n: s.length, median_ms: r2(median), min_ms: r2(s[0]), max_ms: r2(s[s.length - 1]) };
}

/** Peak resident set of this process so far in MiB, as reference.py's ru_maxrss / 1024. */
export const peakRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 102.4) / 10;
