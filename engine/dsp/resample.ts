/**
 * Band-limited sample-rate conversion: a Kaiser-windowed sinc evaluated at the exact
 * rational position of every output sample (polyphase when the ratio has a small
 * numerator, an oversampled kernel table otherwise).
 */
import { GramophoneError } from '../../common/errors';

/**
 * Half-length of the kernel in samples of the lower of the two rates. With the transition
 * band below, the Kaiser design formula A ≈ 2.285·(2W)·2π·Δf + 7.95 gives ≈ 100 dB.
 */
const HALF_WIDTH = 64;
/** Passband edge and stopband edge as fractions of the lower rate (stopband at Nyquist). */
const PASS_EDGE = 0.45;
const STOP_EDGE = 0.5;
/** Kaiser β for ≈ 100 dB stopband attenuation: 0.1102·(A − 8.7). */
const KAISER_BETA = 0.1102 * (100 - 8.7);
/** Largest polyphase bank (phases × taps) built before switching to the table kernel. */
const MAX_BANK = 1 << 20;
/** Table points per kernel zero-crossing spacing; linear interpolation error ≈ −105 dB. */
const TABLE_DENSITY = 512;

/** Modified Bessel function of the first kind, order 0, by its power series. */
function besselI0(x: number): number {
  const q = (x * x) / 4;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 200 && term > 1e-17 * sum; k++) {
    term *= q / (k * k);
    sum += term;
  }
  return sum;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** The interpolation kernel h(τ), τ in input samples, and its support half-width. */
function makeKernel(fromRate: number, toRate: number) {
  const low = Math.min(1, toRate / fromRate);
  // Cutoff (−6 dB) midway through the transition band, as a fraction of the input rate ×2.
  const s = low * (PASS_EDGE + STOP_EDGE);
  const support = HALF_WIDTH / low;
  const norm = 1 / besselI0(KAISER_BETA);
  const h = (tau: number): number => {
    const u = tau / support;
    if (u >= 1 || u <= -1) return 0;
    const w = besselI0(KAISER_BETA * Math.sqrt(1 - u * u)) * norm;
    const a = Math.PI * s * tau;
    return s * (a === 0 ? 1 : Math.sin(a) / a) * w;
  };
  return { h, support, s };
}

/** The polyphase coefficients for one rate pair (see `resample`). */
interface Polyphase {
  /** Output n lies at input time n·M/L. */
  L: number;
  M: number;
  /** Taps k0 − K + 1 … k0 + K cover every input within the kernel's support. */
  K: number;
  /** Taps per output sample (2K). */
  T: number;
  /** Coefficient i for phase p weights input k0 − K + 1 + i; `out` is scratch of length T. */
  coeffs: (p: number, out: Float64Array) => Float64Array;
}

function polyphase(fromRate: number, toRate: number): Polyphase {
  const g = gcd(fromRate, toRate);
  const L = toRate / g;
  const M = fromRate / g;
  const { h, support, s } = makeKernel(fromRate, toRate);
  const K = Math.ceil(support) + 1;
  const T = 2 * K;
  // Coefficient i for phase p weights input k0 − K + 1 + i, at distance p/L + K − 1 − i.
  if (L * T <= MAX_BANK) {
    const bank = new Float64Array(L * T);
    for (let p = 0; p < L; p++) for (let i = 0; i < T; i++) bank[p * T + i] = h(p / L + K - 1 - i);
    return { L, M, K, T, coeffs: (p) => bank.subarray(p * T, p * T + T) };
  }
  // Ratios like 44100:44101 have tens of thousands of phases; sample h finely once and
  // interpolate instead of storing every phase.
  const q = TABLE_DENSITY * s;
  const table = new Float64Array(Math.ceil(support * q) + 2);
  for (let j = 0; j < table.length; j++) table[j] = h(j / q);
  const coeffs = (p: number, out: Float64Array) => {
    const frac = p / L;
    for (let i = 0; i < T; i++) {
      const u = Math.abs(frac + K - 1 - i) * q;
      const j = Math.floor(u);
      out[i] = j + 1 < table.length ? table[j] + (u - j) * (table[j + 1] - table[j]) : 0;
    }
    return out;
  };
  return { L, M, K, T, coeffs };
}

function checkRates(fromRate: number, toRate: number): void {
  for (const r of [fromRate, toRate]) {
    if (!Number.isInteger(r) || r <= 0) throw new GramophoneError('INVALID_INPUT', `Cannot resample at a rate of ${r} Hz.`);
  }
}

/**
 * The resampler of `resample` fed in blocks, so a long input never has to be held whole:
 * `push` blocks of input, then `end` for the output. Only the last few kernel lengths of
 * input are kept between blocks. The output is sample for sample the one `resample` gives
 * for the concatenated input. A writer that streams the output too calls `drain` after each
 * `push`, so the output is never held whole either.
 */
export class StreamResampler {
  private readonly pp: Polyphase | null;
  private readonly scratch: Float64Array;
  /** Input not yet consumed, starting at absolute input index `tailStart`. */
  private tail = new Float32Array(0);
  private tailStart = 0;
  private received = 0;
  /** Next output index to compute. */
  private next = 0;
  /** `out[i]` holds output index `outStart + i` (outputs before it were drained). */
  private outStart = 0;
  private out: Float32Array;

  /**
   * @param fromRate input rate in Hz, a positive integer
   * @param toRate output rate in Hz, a positive integer
   * @param expectedInput input samples expected in all, if known: the output is then
   *   allocated once at its final size
   * @throws GramophoneError INVALID_INPUT when a rate is not a positive integer
   */
  constructor(
    private readonly fromRate: number,
    private readonly toRate: number,
    expectedInput?: number,
  ) {
    checkRates(fromRate, toRate);
    this.pp = fromRate === toRate ? null : polyphase(fromRate, toRate);
    this.scratch = new Float64Array(this.pp?.T ?? 0);
    this.out = new Float32Array(expectedInput === undefined ? 0 : this.outputLength(expectedInput));
  }

  private outputLength(inputLength: number): number {
    return Math.round((inputLength * this.toRate) / this.fromRate);
  }

  /** Make room for output index `m` (relative to `outStart`). */
  private reserve(m: number): void {
    if (m < this.out.length) return;
    const grown = new Float32Array(Math.max(m + 1, Math.ceil(this.out.length * 1.5), 4096));
    grown.set(this.out);
    this.out = grown;
  }

  /**
   * Compute every output whose kernel window lies within the input received so far (all
   * remaining outputs when `final`, taking the signal as zero past its end). `x` holds input
   * from absolute index `xStart` to `this.received`.
   */
  private produce(x: Float32Array, xStart: number, final: boolean): void {
    const pp = this.pp!;
    const { L, M, K, T, coeffs } = pp;
    const scratch = this.scratch;
    const n = this.received;
    const outLen = final ? this.outputLength(n) : Infinity;
    let out = this.out;
    const o0 = this.outStart;
    let m = this.next;
    for (; m < outLen; m++) {
      const pos = m * M; // exact in doubles: below 2^53 for any audio we could hold
      const k0 = Math.floor(pos / L);
      const start = k0 - K + 1;
      if (!final && start + T > n) break;
      const c = coeffs(pos - k0 * L, scratch);
      const iLo = start < 0 ? -start : 0;
      const iHi = start + T > n ? n - start : T;
      let acc = 0;
      const base = start - xStart;
      for (let i = iLo; i < iHi; i++) acc += x[base + i] * c[i];
      if (m - o0 >= out.length) {
        this.reserve(m - o0);
        out = this.out;
      }
      out[m - o0] = acc;
    }
    this.next = m;
    // Keep the input the next output's window starts at, and after.
    const keepFrom = Math.max(xStart, Math.floor((this.next * M) / L) - K + 1);
    this.tail = x.slice(Math.min(keepFrom - xStart, x.length));
    this.tailStart = Math.min(keepFrom, xStart + x.length);
  }

  /** Add the next block of input samples. */
  push(block: Float32Array): void {
    if (block.length === 0) return;
    if (!this.pp) {
      this.reserve(this.received - this.outStart + block.length - 1);
      this.out.set(block, this.received - this.outStart);
      this.received += block.length;
      this.next = this.received;
      return;
    }
    let x = block;
    if (this.tail.length > 0) {
      x = new Float32Array(this.tail.length + block.length);
      x.set(this.tail);
      x.set(block, this.tail.length);
    } else {
      this.tailStart = this.received;
    }
    this.received += block.length;
    this.produce(x, this.tailStart, false);
  }

  /**
   * The output computed since the last `drain` (all of it the first time), handed over and
   * no longer held. Samples near the input's end wait for more input or for `end`.
   */
  drain(): Float32Array {
    const ready = this.out.slice(0, this.next - this.outStart);
    this.outStart = this.next;
    this.out = new Float32Array(0);
    return ready;
  }

  /**
   * Finish: the output not yet drained, up to round(input length · toRate / fromRate)
   * samples in all (the whole output when `drain` was never called).
   */
  end(): Float32Array {
    const n = this.outputLength(this.received) - this.outStart;
    if (this.pp && this.received > 0) this.produce(this.tail, this.tailStart, true);
    this.tail = new Float32Array(0);
    return this.out.length === n ? this.out : this.out.slice(0, n);
  }
}

/**
 * Resample a signal from one rate to another with a band-limited (Kaiser-windowed sinc)
 * interpolator: passband flat to 0.45 × the lower rate (ripple ≪ 0.01 dB), stopband from
 * the lower Nyquist down ≈ 100 dB. Output sample n sits at time n / toRate, aligned with
 * input sample 0 (no delay); the signal is taken as zero outside its ends.
 *
 * @param x mono samples at `fromRate`
 * @param fromRate input rate in Hz, a positive integer
 * @param toRate output rate in Hz, a positive integer
 * @returns round(x.length · toRate / fromRate) samples at `toRate` (a copy when rates match)
 * @throws GramophoneError INVALID_INPUT when a rate is not a positive integer
 *
 * @example resample(new Float32Array(44100), 44100, 48000).length === 48000
 */
export function resample(x: Float32Array, fromRate: number, toRate: number): Float32Array {
  checkRates(fromRate, toRate);
  if (fromRate === toRate) return x.slice();
  const r = new StreamResampler(fromRate, toRate, x.length);
  r.push(x);
  return r.end();
}
