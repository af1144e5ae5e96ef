import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed } from '../../engine/random';

describe('seeded random numbers', () => {
  it('repeat for a seed and differ between seeds', () => {
    const a = createRng(7);
    const b = createRng(7);
    const c = createRng(8);
    const xs = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 100 }, () => c.next())).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('draws standard normals (mean 0, variance 1, symmetric tails)', () => {
    const r = createRng(1);
    const n = 200_000;
    let m = 0;
    let v = 0;
    let beyond2 = 0;
    for (let i = 0; i < n; i++) {
      const x = r.normal();
      m += x;
      v += x * x;
      if (Math.abs(x) > 2) beyond2++;
    }
    expect(Math.abs(m / n)).toBeLessThan(0.01);
    expect(Math.abs(v / n - 1)).toBeLessThan(0.01);
    expect(beyond2 / n).toBeCloseTo(0.0455, 2);
  });

  it('fillNormal gives exactly the stream of repeated normal() calls, at any split', () => {
    for (const len of [0, 1, 2, 7, 1000]) {
      const a = createRng(3);
      const b = createRng(3);
      const filled = new Float32Array(len);
      a.fillNormal(filled, 0.25);
      // An odd length leaves a spare for the next draw, as normal() would.
      const next = a.normal();
      const one = Float32Array.from({ length: len }, () => 0.25 * b.normal());
      expect(Buffer.from(filled.buffer).equals(Buffer.from(one.buffer))).toBe(true);
      expect(next).toBe(b.normal());
    }
  });

  it('derives independent seeds per purpose', () => {
    const seeds = ['weights', 'init', 'phase'].map((p) => deriveSeed(5, p as 'weights'));
    expect(new Set(seeds).size).toBe(3);
    expect(deriveSeed(5, 'weights')).toBe(seeds[0]);
  });
});
