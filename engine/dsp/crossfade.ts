/**
 * Joining two renders of overlapping stretches of one signal (a chunked render's segments)
 * with a crossfade that keeps the level constant whatever the two have in common.
 *
 * An equal-power fade (a = cos θ, b = sin θ, θ from 0 to π/2) keeps the power of the sum
 * constant when the two signals are uncorrelated (a² + b² = 1), but lifts it by up to 3 dB
 * in the middle when they are the same signal (there (a + b)² = 2). Segments whose phase
 * came from the same content agree closely in the overlap; segments from random phases do
 * not. So the fade is scaled by g = 1 / √(a² + b² + 2ρab), with ρ ≥ 0 the two signals'
 * correlation over the overlap: equal power at ρ = 0, equal gain (a + b = 1 at every point
 * once scaled) at ρ = 1. (Anti-correlated overlaps, ρ < 0, are faded as uncorrelated ones:
 * boosting them would only make the cancellation's edges louder.)
 */

/** Correlation coefficient ⟨x, y⟩ / (‖x‖‖y‖) of two equal-length signals; 0 if either is silent. */
export function correlation(x: Float32Array, y: Float32Array): number {
  let xy = 0;
  let xx = 0;
  let yy = 0;
  for (let i = 0; i < x.length; i++) {
    xy += x[i] * y[i];
    xx += x[i] * x[i];
    yy += y[i] * y[i];
  }
  return xx > 0 && yy > 0 ? xy / Math.sqrt(xx * yy) : 0;
}

/**
 * The gains of a crossfade of `length` samples from one signal to the next.
 * @param rho correlation of the two signals over the overlap (clamped to 0 … 1)
 * @returns fadeOut (1 → 0) for the outgoing signal and fadeIn (0 → 1) for the incoming one
 */
export function crossfadeGains(length: number, rho: number): { fadeOut: Float32Array; fadeIn: Float32Array } {
  const r = Math.min(1, Math.max(0, Number.isFinite(rho) ? rho : 0));
  const fadeOut = new Float32Array(length);
  const fadeIn = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const theta = ((i + 0.5) / length) * (Math.PI / 2);
    const a = Math.cos(theta);
    const b = Math.sin(theta);
    const g = 1 / Math.sqrt(a * a + b * b + 2 * r * a * b);
    fadeOut[i] = a * g;
    fadeIn[i] = b * g;
  }
  return { fadeOut, fadeIn };
}

/**
 * Write `next` into `out` from sample `at`, crossfading over the first `fade` samples with
 * what `out` already holds there (the previous segment), and copying the rest.
 * @param out the joined signal, written in place
 * @param next the incoming segment's samples (at least `fade` long)
 * @param at where `next[0]` belongs in `out`
 * @param fade crossfade length in samples (0: a plain copy)
 */
export function crossfadeInto(out: Float32Array, next: Float32Array, at: number, fade: number): void {
  const n = Math.min(next.length, out.length - at);
  const f = Math.min(fade, n);
  if (f > 0) {
    const prev = out.slice(at, at + f);
    const { fadeOut, fadeIn } = crossfadeGains(f, correlation(prev, next.subarray(0, f)));
    for (let i = 0; i < f; i++) out[at + i] = prev[i] * fadeOut[i] + next[i] * fadeIn[i];
  }
  out.set(next.subarray(f, n), at + f);
}
