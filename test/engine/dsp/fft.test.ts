import { describe, expect, it } from 'vitest';
import { fftImplementation, realFft } from '../../../engine/dsp/fft';
import { noise } from './signals';

/** Textbook DFT of a real signal in double precision: bins 0 … n/2. */
function directDft(x: Float32Array): { re: Float64Array; im: Float64Array } {
  const n = x.length;
  const re = new Float64Array(n / 2 + 1);
  const im = new Float64Array(n / 2 + 1);
  for (let k = 0; k <= n / 2; k++) {
    for (let t = 0; t < n; t++) {
      const a = (-2 * Math.PI * k * t) / n;
      re[k] += x[t] * Math.cos(a);
      im[k] += x[t] * Math.sin(a);
    }
  }
  return { re, im };
}

describe('realFft', () => {
  it('uses the SIMD wasm build of PFFFT', () => {
    expect(fftImplementation).toBe('pffft-wasm-simd');
  });

  // 32 … 4096 go through PFFFT (including a 3·2^k size); 2, 10, 16 through the direct fallback.
  for (const n of [2, 10, 16, 32, 96, 160, 512, 2048]) {
    it(`matches a direct DFT at n = ${n}, in the packed layout`, () => {
      const x = noise(n, n);
      const fft = realFft(n);
      fft.input().set(x);
      fft.forward();
      const out = fft.output();
      const ref = directDft(x);
      const tol = 1e-5 * Math.sqrt(n) * 4;
      expect(out[0]).toBeCloseTo(ref.re[0], 3);
      expect(Math.abs(out[1] - ref.re[n / 2])).toBeLessThan(tol);
      for (let k = 1; k < n / 2; k++) {
        expect(Math.abs(out[2 * k] - ref.re[k])).toBeLessThan(tol);
        expect(Math.abs(out[2 * k + 1] - ref.im[k])).toBeLessThan(tol);
      }
    });
  }

  it('inverts: inverse(forward(x)) = n·x', () => {
    for (const n of [16, 64, 4096]) {
      const x = noise(n, 7);
      const fft = realFft(n);
      fft.input().set(x);
      fft.forward();
      fft.input().set(fft.output());
      fft.inverse();
      const y = fft.output();
      for (let i = 0; i < n; i++) expect(Math.abs(y[i] / n - x[i])).toBeLessThan(1e-5);
    }
  });

  it('refuses odd sizes and large sizes PFFFT cannot do', () => {
    expect(() => realFft(31)).toThrow(/even/);
    expect(() => realFft(2 * 1031)).toThrow(/not supported/);
  });
});
