/**
 * The MFCC front end (Jain & Raj found it the weakest of the three, kept for comparison):
 * X = the first `coefficients` of the orthonormal DCT-II of log(1 + mel · |STFT|) per frame.
 * The inverse zero-fills the dropped coefficients (a cepstrally smoothed log-mel when fewer
 * than the bands are kept), undoes the DCT and the log, and inverts the mel filterbank.
 * X can be negative, so its box is the inputs' range widened by a quarter on each side.
 */
import { applyFilterbank, invertFilterbank, type Filterbank } from '../../dsp/filterbank';
import type { FrontEnd } from './front-end';
import { magnitude } from '../../dsp/stft';

/** Orthonormal DCT-II matrix, rows k = 0 … K−1 over n points. @returns K × n row-major */
export function dctMatrix(n: number, k: number): Float64Array {
  const d = new Float64Array(k * n);
  for (let i = 0; i < k; i++) {
    const s = i === 0 ? Math.sqrt(1 / n) : Math.sqrt(2 / n);
    for (let j = 0; j < n; j++) d[i * n + j] = s * Math.cos((Math.PI * i * (j + 0.5)) / n);
  }
  return d;
}

export function mfccFrontEnd(fb: Filterbank, coefficients: number): FrontEnd {
  const M = fb.bands;
  const K = coefficients;
  const dct = dctMatrix(M, K);
  return {
    bins: K,
    binHz: null,
    analyse(spec) {
      const { frames } = spec;
      const mel = applyFilterbank(fb, magnitude(spec), frames);
      const x = new Float32Array(frames * K);
      for (let t = 0; t < frames; t++) {
        for (let k = 0; k < K; k++) {
          let s = 0;
          for (let m = 0; m < M; m++) s += dct[k * M + m] * Math.log1p(mel[t * M + m]);
          x[t * K + k] = s;
        }
      }
      return x;
    },
    toMagnitude(x, frames) {
      const mel = new Float32Array(frames * M);
      for (let t = 0; t < frames; t++) {
        for (let m = 0; m < M; m++) {
          let s = 0;
          for (let k = 0; k < K; k++) s += dct[k * M + m] * x[t * K + k];
          mel[t * M + m] = Math.max(0, Math.expm1(s));
        }
      }
      return invertFilterbank(fb, mel, frames);
    },
    bounds(inputs) {
      let lo = Infinity;
      let hi = -Infinity;
      for (const a of inputs) for (let i = 0; i < a.length; i++) [lo, hi] = [Math.min(lo, a[i]), Math.max(hi, a[i])];
      const pad = 0.25 * (hi - lo || 1);
      return { lower: lo - pad, upper: hi + pad };
    },
  };
}
