/**
 * Periodic Hann window of `n` samples: w[i] = 0.5 − 0.5·cos(2πi/n). "Periodic" (denominator
 * n, not n − 1) is what makes hop = n/4 overlaps sum to a constant, and is the convention of
 * librosa, torch.hann_window(periodic=True) and scipy's "hann" for spectral analysis.
 * @returns Float32Array of length n
 */
export function hannWindow(n: number): Float32Array {
  const w = new Float32Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  return w;
}

const cache = new Map<number, Float32Array>();

/** The periodic Hann window of `n` samples, shared (do not modify it). */
export function cachedHann(n: number): Float32Array {
  let w = cache.get(n);
  if (!w) {
    w = hannWindow(n);
    cache.set(n, w);
  }
  return w;
}
