/**
 * Front ends on a triangular filterbank (filterbank.ts): log-mel (Jain & Raj's best) and
 * log-frequency (constant-Q-like, where a transposition is a shift along the bins, so a
 * convolution along frequency and a Gram over time × frequency do not care about pitch).
 * X = log(1 + B · |STFT|); the inverse is exp(X) − 1 followed by the filterbank's
 * non-negative least-squares inverse.
 */
import { applyFilterbank, invertFilterbank, type Filterbank } from '../../dsp/filterbank';
import type { FrontEnd } from './front-end';
import { logMagnitudeBounds } from './front-end';
import { magnitude } from '../../dsp/stft';

export function bandedFrontEnd(fb: Filterbank): FrontEnd {
  return {
    bins: fb.bands,
    binHz: fb.centres,
    analyse(spec) {
      const y = applyFilterbank(fb, magnitude(spec), spec.frames);
      for (let i = 0; i < y.length; i++) y[i] = Math.log1p(y[i]);
      return y;
    },
    toMagnitude(x, frames) {
      const y = new Float32Array(x.length);
      for (let i = 0; i < x.length; i++) y[i] = Math.max(0, Math.expm1(x[i]));
      return invertFilterbank(fb, y, frames);
    },
    bounds: logMagnitudeBounds,
  };
}
