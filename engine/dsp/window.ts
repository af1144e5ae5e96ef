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

const cache = new Map<string, Float32Array>();

/**
 * The analysis window of an n-point frame: a periodic Hann of `length` samples (≤ n) centred
 * in n, zero outside — librosa's and torch.stft's convention for a window shorter than the
 * FFT (Verma & Smith's 30 ms window in a 512-point FFT). Shared: do not modify it.
 * @param n frame (FFT) length in samples
 * @param length window length in samples, 1 … n (default n: the whole frame)
 * @returns Float32Array of length n
 */
export function frameWindow(n: number, length = n): Float32Array {
  const key = `${n}/${length}`;
  let w = cache.get(key);
  if (!w) {
    w = new Float32Array(n);
    w.set(hannWindow(length), (n - length) >> 1);
    cache.set(key, w);
  }
  return w;
}
