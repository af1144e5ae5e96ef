/**
 * The linear log-STFT front end (docs/ARCHITECTURE.md, "The objective"; the default): X = log(1 + |STFT|), bins =
 * nFft/2 + 1 at k · sampleRate / nFft Hz; its inverse is exact, M = exp(X) − 1.
 */
import type { FrontEnd } from './front-end';
import { logMagnitudeBounds } from './front-end';

export function linearFrontEnd(sampleRate: number, nFft: number): FrontEnd {
  const bins = nFft / 2 + 1;
  return {
    bins,
    binHz: Float32Array.from({ length: bins }, (_v, k) => (k * sampleRate) / nFft),
    analyse({ re, im }) {
      const x = new Float32Array(re.length);
      for (let i = 0; i < x.length; i++) x[i] = Math.log1p(Math.sqrt(re[i] * re[i] + im[i] * im[i]));
      return x;
    },
    toMagnitude(x) {
      const m = new Float32Array(x.length);
      for (let i = 0; i < x.length; i++) m[i] = Math.max(0, Math.expm1(x[i]));
      return m;
    },
    bounds: logMagnitudeBounds,
  };
}
