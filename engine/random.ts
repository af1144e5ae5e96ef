/**
 * Seeded pseudo-random numbers. Everything random in a render (conv weights, noise
 * initialisation, Griffin-Lim's initial phase) draws from one of these, so a preset plus
 * its seed reproduces a take exactly.
 */

/** A source of uniform numbers in [0, 1). */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (mean 0, variance 1). */
  normal(): number;
  /** Fill `out` with normal draws of standard deviation `scale` (the same stream as `normal`). */
  fillNormal(out: Float32Array, scale: number): void;
}

/**
 * SplitMix32-style generator (Mulberry32 mixing): small state, full 2^32 period, good
 * enough statistics for weights and noise, and identical on every platform.
 * @param seed any 32-bit unsigned integer
 */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  let spare: number | null = null;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // Marsaglia's polar method: two normals per accepted point in the unit disc and no sin/cos
  // (about twice as fast as Box–Muller, which matters for 46 M conv weights at W1).
  // `pair` leaves them in out2[0] and out2[1].
  const out2 = new Float64Array(2);
  const pair = () => {
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * next() - 1;
      v = 2 * next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    out2[0] = u * f;
    out2[1] = v * f;
  };
  return {
    next,
    normal() {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      pair();
      spare = out2[1];
      return out2[0];
    },
    fillNormal(out, scale) {
      // Both values of a pair written at once: the same stream as calling `normal`
      // repeatedly, without the spare's branch per value.
      let i = 0;
      if (spare !== null && out.length > 0) {
        out[i++] = scale * spare;
        spare = null;
      }
      while (i < out.length) {
        pair();
        out[i++] = scale * out2[0];
        if (i < out.length) out[i++] = scale * out2[1];
        else spare = out2[1];
      }
    },
  };
}

/** Derive an independent stream for a named purpose from one preset seed. */
export function deriveSeed(seed: number, purpose: 'weights' | 'init' | 'phase'): number {
  const salt = { weights: 0x9e3779b9, init: 0x85ebca6b, phase: 0xc2b2ae35 }[purpose];
  let h = (seed ^ salt) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}
