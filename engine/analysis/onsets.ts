/**
 * Onsets: a log-mel spectral-flux detector with a maximum filter across bands (after Böck &
 * Widmer's SuperFlux, 2013, which keeps vibrato from reading as new notes). Used by the note
 * templates the objective builds and by the quality benchmark's onset metric.
 */
import { stft } from '../dsp/stft';
import { bandPower, melFilterbank, type Filterbank } from '../dsp/filterbank';

const finiteSamples = (x: Float32Array): Float32Array => (x.every(Number.isFinite) ? x : x.map((v) => (Number.isFinite(v) ? v : 0)));

/**
 * The detector's settings. Analysis: centred STFT, periodic Hann, nFft 1024 (46 ms), hop 256
 * (11.6 ms) at 22.05 kHz — at other rates the FFT size and hop scale to keep those
 * durations — and 64 HTK-mel bands.
 */
export const ONSET_DETECTOR = {
  sampleRate: 22050,
  nFft: 1024,
  hop: 256,
  bands: 64,
  /** Log-mel floor relative to the signal's loudest cell, dB. */
  floorDb: -80,
  /** Frames back the flux compares with (μ): 2 frames = 23 ms, for slow attacks. */
  lag: 2,
  /** The reference frame is max-filtered over ±1 band. */
  maxFilterBands: 1,
  /** A peak is the largest value within ±3 frames (±35 ms)… */
  peakFrames: 3,
  /** …at least `delta` dB above the mean flux from 10 frames before to 3 after… */
  meanBefore: 10,
  meanAfter: 3,
  delta: 1.5,
  /** …and at least 3 frames (35 ms) after the previous onset. */
  minGapFrames: 3,
} as const;

const banks = new Map<number, Filterbank>();

/** The FFT size and hop at `sampleRate` for the detector's 46 ms / 11.6 ms (powers of two for the FFT). */
function geometry(sampleRate: number): { nFft: number; hop: number } {
  const scale = sampleRate / ONSET_DETECTOR.sampleRate;
  return { nFft: 2 ** Math.round(Math.log2(ONSET_DETECTOR.nFft * scale)), hop: Math.max(1, Math.round(ONSET_DETECTOR.hop * scale)) };
}

/**
 * Onset strength per frame, dB: with L[t,b] = 10·log10(P[t,b] + P_max·10^(floorDb/10)) the
 * log-mel power (P_max the loudest cell, so the level does not matter) and
 * R[t,b] = max(L[t−lag, b−1 … b+1]), SF[t] = mean_b max(0, L[t,b] − R[t,b]); SF[t] = 0 for
 * t < lag. Frame t is centred on sample t·hop.
 */
export function onsetStrength(signal: Float32Array, sampleRate: number = ONSET_DETECTOR.sampleRate): Float64Array {
  const { bands, floorDb, lag, maxFilterBands: w } = ONSET_DETECTOR;
  const { nFft, hop } = geometry(sampleRate);
  let bank = banks.get(sampleRate);
  if (!bank) {
    bank = melFilterbank(bands, 0, sampleRate / 2, sampleRate, nFft, 'peak');
    banks.set(sampleRate, bank);
  }
  const spec = stft(finiteSamples(signal), { nFft, hop });
  const p = bandPower(spec, bank);
  let pMax = 0;
  for (let i = 0; i < p.length; i++) if (p[i] > pMax) pMax = p[i];
  const floor = pMax * Math.pow(10, floorDb / 10) || Number.MIN_VALUE;
  const L = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) L[i] = 10 * Math.log10(p[i] + floor);
  const sf = new Float64Array(spec.frames);
  for (let t = lag; t < spec.frames; t++) {
    let acc = 0;
    for (let b = 0; b < bands; b++) {
      let ref = -Infinity;
      for (let j = Math.max(0, b - w); j <= Math.min(bands - 1, b + w); j++) ref = Math.max(ref, L[(t - lag) * bands + j]);
      acc += Math.max(0, L[t * bands + b] - ref);
    }
    sf[t] = acc / bands;
  }
  return sf;
}

/**
 * Onset times in seconds: frames t where SF[t] is the maximum of SF[t−3 … t+3], SF[t] ≥
 * mean(SF[t−10 … t+3]) + delta, and t is at least `minGapFrames` after the previous onset;
 * time t·hop / sampleRate.
 * @param sampleRate of `signal`, Hz (default 22.05 kHz, the benchmark's)
 */
export function detectOnsets(signal: Float32Array, sampleRate: number = ONSET_DETECTOR.sampleRate): number[] {
  const { peakFrames, meanBefore, meanAfter, delta, minGapFrames } = ONSET_DETECTOR;
  const { hop } = geometry(sampleRate);
  const sf = onsetStrength(signal, sampleRate);
  const n = sf.length;
  const out: number[] = [];
  let last = -Infinity;
  for (let t = 0; t < n; t++) {
    let isMax = true;
    for (let j = Math.max(0, t - peakFrames); j <= Math.min(n - 1, t + peakFrames) && isMax; j++) if (sf[j] > sf[t]) isMax = false;
    if (!isMax) continue;
    const lo = Math.max(0, t - meanBefore);
    const hi = Math.min(n - 1, t + meanAfter);
    let mean = 0;
    for (let j = lo; j <= hi; j++) mean += sf[j];
    mean /= hi - lo + 1;
    if (sf[t] < mean + delta || t - last < minGapFrames) continue;
    out.push((t * hop) / sampleRate);
    last = t;
  }
  return out;
}
