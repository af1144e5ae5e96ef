/**
 * Integrated loudness per ITU-R BS.1770-4 (the measure EBU R128 uses): K-weighting (a
 * high-shelf "pre-filter" modelling the head, then the RLB high-pass), mean square per
 * channel over 400 ms blocks overlapping by 75 %, channels weighted and summed, then two
 * gates: blocks below −70 LUFS are dropped (absolute), then blocks more than 10 LU below
 * the mean of the rest (relative). The A/B in the workstation matches tracks by this figure.
 */

/** A biquad section: y = (b0·x + b1·x₋₁ + b2·x₋₂ − a1·y₋₁ − a2·y₋₂), a0 normalised to 1. */
export interface Biquad {
  b: [number, number, number];
  a: [number, number, number];
}

// The analog parameters behind BS.1770's 48 kHz coefficients, so the same filters can be
// designed for any rate by the bilinear transform: at 48 kHz they reproduce the standard's
// table to about 1e-9.
const SHELF_HZ = 1681.974450955533;
const SHELF_GAIN_DB = 3.999843853973347;
const SHELF_Q = 0.7071752369554196;
const SHELF_BAND_EXPONENT = 0.4996667741545416;
const HIGHPASS_HZ = 38.13547087602444;
const HIGHPASS_Q = 0.5003270373238773;

/** Block length and hop of the gating, seconds. */
const BLOCK_S = 0.4;
const STEP_S = 0.1;
/** Absolute gate, LUFS. */
const ABSOLUTE_GATE = -70;
/** Relative gate, LU below the absolute-gated loudness. */
const RELATIVE_GATE = 10;
/** −0.691 dB: makes a 1 kHz sine read its RMS level (the K-filter's gain there). */
const OFFSET = -0.691;

/**
 * The two K-weighting stages for `sampleRate` Hz: the high shelf (+4 dB above ~1.7 kHz),
 * then the RLB high-pass (~38 Hz).
 */
export function kWeightingFilters(sampleRate: number): [Biquad, Biquad] {
  let k = Math.tan((Math.PI * SHELF_HZ) / sampleRate);
  const vh = Math.pow(10, SHELF_GAIN_DB / 20);
  const vb = Math.pow(vh, SHELF_BAND_EXPONENT);
  let a0 = 1 + k / SHELF_Q + k * k;
  const shelf: Biquad = {
    b: [(vh + (vb * k) / SHELF_Q + k * k) / a0, (2 * (k * k - vh)) / a0, (vh - (vb * k) / SHELF_Q + k * k) / a0],
    a: [1, (2 * (k * k - 1)) / a0, (1 - k / SHELF_Q + k * k) / a0],
  };
  k = Math.tan((Math.PI * HIGHPASS_HZ) / sampleRate);
  a0 = 1 + k / HIGHPASS_Q + k * k;
  // The standard leaves the high-pass numerator un-normalised at [1, −2, 1].
  const highpass: Biquad = { b: [1, -2, 1], a: [1, (2 * (k * k - 1)) / a0, (1 - k / HIGHPASS_Q + k * k) / a0] };
  return [shelf, highpass];
}

/**
 * BS.1770 channel weights by channel count: 1.41 (+1.5 dB) for the surround channels of
 * 5.0 (L R C Ls Rs) and 5.1 (L R C LFE Ls Rs, the LFE left out); 1 for everything else.
 */
export function channelWeights(channels: number): number[] {
  if (channels === 5) return [1, 1, 1, 1.41, 1.41];
  if (channels === 6) return [1, 1, 1, 0, 1.41, 1.41];
  return new Array<number>(channels).fill(1);
}

/**
 * Sums of the K-weighted signal's squares per 100 ms segment (the gating blocks are four
 * consecutive segments). Segment edges are rounded to whole samples.
 */
function segmentEnergies(x: Float32Array, filters: [Biquad, Biquad], edges: number[]): Float64Array {
  const out = new Float64Array(edges.length - 1);
  const [s, h] = filters;
  // Direct form I, state in locals: one pass, no allocation.
  let sx1 = 0,
    sx2 = 0,
    sy1 = 0,
    sy2 = 0,
    hy1 = 0,
    hy2 = 0,
    hx1 = 0,
    hx2 = 0;
  for (let seg = 0; seg < out.length; seg++) {
    let acc = 0;
    for (let i = edges[seg]; i < edges[seg + 1]; i++) {
      const v = x[i];
      const y = s.b[0] * v + s.b[1] * sx1 + s.b[2] * sx2 - s.a[1] * sy1 - s.a[2] * sy2;
      sx2 = sx1;
      sx1 = v;
      sy2 = sy1;
      sy1 = y;
      const z = h.b[0] * y + h.b[1] * hx1 + h.b[2] * hx2 - h.a[1] * hy1 - h.a[2] * hy2;
      hx2 = hx1;
      hx1 = y;
      hy2 = hy1;
      hy1 = z;
      acc += z * z;
    }
    out[seg] = acc;
  }
  return out;
}

const loudnessOf = (weightedMeanSquare: number) => OFFSET + 10 * Math.log10(weightedMeanSquare);

/**
 * Integrated loudness of a signal, in LUFS (LKFS).
 *
 * @param channels one Float32Array per channel, equal lengths, samples in [−1, 1]; channel
 *   order as in WAV (L R C LFE Ls Rs for 5.1)
 * @param sampleRate Hz
 * @returns LUFS, or null when nothing is above the absolute gate (silence, or a signal
 *   below −70 LUFS throughout). A clip shorter than one 400 ms block is measured as one block.
 */
export function integratedLoudness(channels: Float32Array[], sampleRate: number): number | null {
  const n = channels[0]?.length ?? 0;
  if (n === 0 || !(sampleRate > 0)) return null;
  const step = STEP_S * sampleRate;
  const segments = Math.max(1, Math.floor(n / step + 1e-9));
  // Samples after the last whole segment belong to no complete block and are left out.
  const edges = Array.from({ length: segments + 1 }, (_v, i) => Math.min(n, Math.round(i * step)));
  const perBlock = Math.round(BLOCK_S / STEP_S);
  const blocks = Math.max(1, segments - perBlock + 1);
  const span = Math.min(perBlock, segments);
  const filters = kWeightingFilters(sampleRate);
  const weights = channelWeights(channels.length);
  // z[j]: the channel-weighted mean square of block j.
  const z = new Float64Array(blocks);
  channels.forEach((x, c) => {
    if (weights[c] === 0) return;
    const e = segmentEnergies(x, filters, edges);
    for (let j = 0; j < blocks; j++) {
      let sum = 0;
      for (let k = j; k < j + span; k++) sum += e[k];
      z[j] += (weights[c] * sum) / (edges[j + span] - edges[j]);
    }
  });
  const gated = (threshold: number) => {
    let sum = 0;
    let count = 0;
    for (let j = 0; j < blocks; j++) {
      if (z[j] > 0 && loudnessOf(z[j]) > threshold) {
        sum += z[j];
        count++;
      }
    }
    return count ? sum / count : 0;
  };
  const absolute = gated(ABSOLUTE_GATE);
  if (absolute === 0) return null;
  const relative = gated(loudnessOf(absolute) - RELATIVE_GATE);
  return relative > 0 ? loudnessOf(relative) : null;
}

/** Highest absolute sample value of any channel, linear (1 = 0 dBFS; 0 for silence). */
export function samplePeak(channels: Float32Array[]): number {
  let peak = 0;
  for (const x of channels) for (let i = 0; i < x.length; i++) peak = Math.max(peak, Math.abs(x[i]));
  return peak;
}
