/**
 * Timbre distances between a take and the truth, on a 64-band mel power spectrogram. All
 * three ignore a global gain (takes are peak-normalised, the truth is not at the same
 * loudness), so the same signal at any level is at distance 0 from itself.
 *
 * Analysis shared by all three (`melSpectrogram`): centred STFT with a periodic Hann window,
 * nFft 2048 (93 ms), hop 256 (11.6 ms) at 22.05 kHz; power |X|² through 64 triangular
 * HTK-mel filters from 0 Hz to the Nyquist frequency, peaking at 1 (engine/dsp/filterbank.ts). Non-finite
 * samples are read as 0 (the NaN count is reported separately).
 */
import { stft } from '../../engine/dsp/stft';
import { bandPower, melFilterbank, type Filterbank } from '../../engine/dsp/filterbank';

/** The metrics' analysis settings (the signals are at `sampleRate`). */
export const METRIC_ANALYSIS = { sampleRate: 22050, nFft: 2048, hop: 256, bands: 64 } as const;

/** Mel power spectrogram: frames × bands, row-major, linear power. */
export interface MelSpectrogram {
  frames: number;
  bands: number;
  power: Float32Array;
}

let bank: Filterbank | undefined;
const metricBank = () => {
  const { bands, sampleRate, nFft } = METRIC_ANALYSIS;
  return (bank ??= melFilterbank(bands, 0, sampleRate / 2, sampleRate, nFft, 'peak'));
};

/** `x` with NaN and ±Infinity replaced by 0 (the same array when all are finite). */
export function finiteSamples(x: Float32Array): Float32Array {
  if (x.every(Number.isFinite)) return x;
  return x.map((v) => (Number.isFinite(v) ? v : 0));
}

/** The shared analysis of a signal at METRIC_ANALYSIS.sampleRate. */
export function melSpectrogram(signal: Float32Array): MelSpectrogram {
  const { nFft, hop, bands } = METRIC_ANALYSIS;
  const spec = stft(finiteSamples(signal), { nFft, hop });
  return { frames: spec.frames, bands, power: bandPower(spec, metricBank()) };
}

const maxOf = (x: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < x.length; i++) if (x[i] > m) m = x[i];
  return m;
};

const dB = (p: number) => 10 * Math.log10(p);

function checkSameShape(a: MelSpectrogram, b: MelSpectrogram): void {
  if (a.frames !== b.frames || a.bands !== b.bands) {
    throw new Error(`cannot compare a ${a.frames}×${a.bands} mel spectrogram with a ${b.frames}×${b.bands} one: the signals must have the same length`);
  }
}

/** Floor of the long-term spectrum, relative to the signal's loudest band: −100 dB. */
export const LTAS_FLOOR_DB = -100;

/**
 * Long-term average spectrum in dB: L[b] = 10·log10(A[b] + A_max·10^(−100/10)), where
 * A[b] = mean over frames of the mel power in band b and A_max = max_b A[b].
 * @returns `bands` values
 */
export function ltasDb(m: MelSpectrogram): Float64Array {
  const avg = new Float64Array(m.bands);
  for (let t = 0; t < m.frames; t++) for (let b = 0; b < m.bands; b++) avg[b] += m.power[t * m.bands + b];
  for (let b = 0; b < m.bands; b++) avg[b] /= m.frames;
  const floor = maxOf(avg) * Math.pow(10, LTAS_FLOOR_DB / 10) || Number.MIN_VALUE;
  return avg.map((a) => dB(a + floor));
}

/**
 * Long-term average spectrum distance, dB: with d[b] = L_take[b] − L_truth[b] (`ltasDb`)
 * and d̄ its mean over the 64 bands, D = √(mean_b (d[b] − d̄)²). Removing d̄ removes any
 * global gain; what is left is the RMS of the spectral-shape difference.
 */
export function ltasDistance(take: MelSpectrogram, truth: MelSpectrogram): number {
  if (take.bands !== truth.bands) throw new Error('mel spectrograms with different band counts');
  const a = ltasDb(take);
  const b = ltasDb(truth);
  const d = a.map((v, i) => v - b[i]);
  const mean = d.reduce((s, v) => s + v, 0) / d.length;
  return Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / d.length);
}

/** Cepstral coefficients kept by the MFCC distance: 1 … 19 (c0, the level, is left out). */
export const MFCC_COEFFICIENTS = { first: 1, last: 19 } as const;
/** Floor of the per-frame log-mel spectrum for MFCCs, relative to the signal's loudest cell: −80 dB. */
export const MFCC_FLOOR_DB = -80;

/**
 * Mean MFCC vector: per frame, L[t,b] = 10·log10(P[t,b] + P_max·10^(−80/10)) with P_max the
 * signal's largest mel power cell; c[t,k] = Σ_b L[t,b]·√(2/B)·cos(πk(b + ½)/B) (orthonormal
 * DCT-II over the B = 64 bands); averaged over frames. Units: dB.
 * @returns coefficients MFCC_COEFFICIENTS.first … last (19 values)
 */
export function meanMfcc(m: MelSpectrogram): Float64Array {
  const { first, last } = MFCC_COEFFICIENTS;
  const B = m.bands;
  const floor = maxOf(m.power) * Math.pow(10, MFCC_FLOOR_DB / 10) || Number.MIN_VALUE;
  const basis = new Float64Array((last - first + 1) * B);
  for (let k = first; k <= last; k++) {
    for (let b = 0; b < B; b++) basis[(k - first) * B + b] = Math.sqrt(2 / B) * Math.cos((Math.PI * k * (b + 0.5)) / B);
  }
  const meanLog = new Float64Array(B);
  for (let t = 0; t < m.frames; t++) for (let b = 0; b < B; b++) meanLog[b] += dB(m.power[t * B + b] + floor);
  for (let b = 0; b < B; b++) meanLog[b] /= m.frames;
  // The DCT is linear, so the mean of the frames' coefficients is the DCT of the mean log spectrum.
  const out = new Float64Array(last - first + 1);
  for (let k = 0; k < out.length; k++) {
    let acc = 0;
    for (let b = 0; b < B; b++) acc += basis[k * B + b] * meanLog[b];
    out[k] = acc;
  }
  return out;
}

/**
 * Mean-MFCC distance, dB: √(Σ_{k=1}^{19} (c̄_take[k] − c̄_truth[k])² / 64), i.e. the RMS over
 * the 64 bands of the difference of the time-averaged log-mel spectra after cepstral
 * smoothing to coefficients 1–19 (Parseval). c0 is dropped, so a global gain does not count.
 */
export function mfccDistance(take: MelSpectrogram, truth: MelSpectrogram): number {
  if (take.bands !== truth.bands) throw new Error('mel spectrograms with different band counts');
  const a = meanMfcc(take);
  const b = meanMfcc(truth);
  let s = 0;
  for (let k = 0; k < a.length; k++) s += (a[k] - b[k]) ** 2;
  return Math.sqrt(s / take.bands);
}

/** Floor of the frame-wise comparison, relative to the truth's loudest mel cell: −60 dB. */
export const FRAME_FLOOR_DB = -60;

/**
 * Frame-wise log-mel distance, dB, time-aligned frame by frame. With a[i] = 10·log10 P_take
 * and T[i] = max(10·log10 P_truth, F) for every cell i (frames × bands), where the floor
 * F = 10·log10(max P_truth) − 60 dB:
 *   D = √(mean over all cells of (max(a[i] + o, F) − T[i])²),
 * where o (dB) is the one global gain that fits the take best where the music is: it
 * minimises Σ (max(a[i] + o, F) − T[i])² over the cells whose truth is above the floor
 * (found exactly; 0 for a silent take). Matching the level there, rather than over all
 * cells, keeps a take from buying back energy it puts into the truth's rests by being
 * turned down. The floor bounds silence against near-silence: a take that is quiet where
 * the truth is silent costs nothing, one that is silent where the truth plays costs at
 * most the truth's level above F.
 * @throws Error when the spectrograms differ in shape (signals of different lengths)
 */
export function frameLogMelDistance(take: MelSpectrogram, truth: MelSpectrogram): number {
  checkSameShape(take, truth);
  const n = take.power.length;
  const F = dB(maxOf(truth.power) || Number.MIN_VALUE) + FRAME_FLOOR_DB;
  const a = new Float64Array(n);
  const T = new Float64Array(n);
  const music: number[] = [];
  for (let i = 0; i < n; i++) {
    a[i] = dB(take.power[i]);
    T[i] = Math.max(dB(truth.power[i]), F);
    if (T[i] > F) music.push(i);
  }
  const o = bestOffset(
    music.map((i) => a[i]),
    music.map((i) => T[i]),
    F,
  );
  let s = 0;
  for (let i = 0; i < n; i++) s += (Math.max(a[i] + o, F) - T[i]) ** 2;
  return Math.sqrt(s / n);
}

/**
 * The o minimising Σ_i (max(a[i] + o, F) − T[i])². Cell i is above the floor once
 * o ≥ F − a[i]; between consecutive such breakpoints the sum is a quadratic in o with a
 * closed-form minimum, so a sweep over the sorted breakpoints finds the global one.
 * @returns 0 when every a[i] is −Infinity (nothing to scale)
 */
function bestOffset(a: readonly number[], T: readonly number[], F: number): number {
  const order = Array.from(a.keys())
    .filter((i) => Number.isFinite(a[i]))
    .sort((i, j) => a[j] - a[i]);
  // Below every breakpoint each cell costs (F − T)², whatever o is.
  let belowFloor = 0;
  for (let i = 0; i < a.length; i++) belowFloor += (F - T[i]) ** 2;
  let best = { o: 0, cost: Infinity };
  // Cells above the floor add Σ (a − T + o)² = k·o² + 2·s1·o + s2.
  let k = 0;
  let s1 = 0;
  let s2 = 0;
  for (let j = 0; j < order.length; j++) {
    const i = order[j];
    belowFloor -= (F - T[i]) ** 2;
    const d = a[i] - T[i];
    k++;
    s1 += d;
    s2 += d * d;
    // Cells order[0…j] are above the floor for o in [F − a[order[j]], F − a[order[j + 1]]).
    const lo = F - a[i];
    const hi = j + 1 < order.length ? F - a[order[j + 1]] : Infinity;
    const o = Math.min(hi, Math.max(lo, -s1 / k));
    const cost = k * o * o + 2 * s1 * o + s2 + belowFloor;
    if (cost < best.cost) best = { o, cost };
  }
  return best.o;
}
