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
  return {
    next,
    normal() {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      // Box–Muller; 1 - u keeps log away from 0.
      const u = 1 - next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
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
