/**
 * One style frame moved to another pitch with its spectral envelope in place (formants and
 * body resonances do not move with the pitch). In the power domain: with P = |S|² (its
 * inharmonic part turned down, see `harmonicWeight`) and E the local mean of P over one
 * harmonic spacing each side, the result's power at bin k is E(k) · (P / E)(k / ρ). The fine
 * structure P / E has mean 1 over any such span, before and after it is moved, so every
 * region keeps the style's power (a split in the log domain would keep the log mean instead,
 * and peaky harmonics moved into a flatter region would add their peaks' power there).
 */

/** Power kept between the harmonics of a pitched style note (−6 dB), and how near a bin must be to a harmonic (Hz, or 3 %). */
const INHARMONIC_KEEP = 0.25;
const HARMONIC_TOLERANCE_HZ = 16;
/** Points read per style bin when a frame is moved down (see `transposeFrame`). */
const SUB_READS = 2;
/** Half-width in bins of the envelope's average for an unpitched frame. */
const UNPITCHED_SPAN = 8;

/**
 * How much of a style bin at `hz` a note of pitch `f0` keeps: all of it near a harmonic,
 * `keep` (default INHARMONIC_KEEP) elsewhere — strings still ringing from the style's
 * earlier notes would otherwise move along and blur the new pitch, while the instrument's
 * noise (breath, bow, hammer) keeps some of its level. A note taken out of a chord keeps
 * far less: there the bins between its harmonics hold the other notes' partials (a harmonic
 * mask separates it). Unpitched notes keep everything.
 */
export function harmonicWeight(hz: number, f0: number, keep = INHARMONIC_KEEP): number {
  if (!Number.isFinite(f0)) return 1;
  return harmonicAt(hz, f0) ? 1 : keep;
}

/** The harmonic number (1, 2, …) of a pitch `f0` (Hz) that a bin at `hz` belongs to, or 0 when it lies between harmonics or below half the fundamental. */
export function harmonicAt(hz: number, f0: number): number {
  if (!(hz >= f0 * 0.5)) return 0;
  const h = Math.max(1, Math.round(hz / f0));
  return Math.abs(hz - h * f0) <= Math.max(0.03 * h * f0, HARMONIC_TOLERANCE_HZ) ? h : 0;
}

/** out[k] = mean of p over [k − w, k + w] (clipped to the spectrum); `prefix` is scratch of length n + 1. */
function localMean(p: Float64Array, w: number, prefix: Float64Array, out: Float64Array): void {
  const n = p.length;
  prefix[0] = 0;
  for (let k = 0; k < n; k++) prefix[k + 1] = prefix[k] + p[k];
  for (let k = 0; k < n; k++) {
    const lo = Math.max(0, k - w);
    const hi = Math.min(n - 1, k + w);
    out[k] = (prefix[hi + 1] - prefix[lo]) / (hi - lo + 1);
  }
}

/** Scratch buffers for `transposeFrame`, for frames of `bins` bins. */
export const transposeScratch = (bins: number) => ({ p: new Float64Array(bins), env: new Float64Array(bins), prefix: new Float64Array(bins + 1) });

/**
 * Write into `out` (bins magnitudes) the style frame `re`/`im` scaled by `gain`, moved by
 * ρ = `ratio`, its envelope kept in place.
 * @param f0 the style note's pitch (Hz; NaN for unpitched) — sets the envelope's span
 * @param binHz Hz per bin
 * @param keep power kept between the note's harmonics (see `harmonicWeight`)
 * @param shares per bin, the share of the style frame's power that is this note's (a chord's notes share partials; see chord-shares.ts); all of it when omitted
 */
export function transposeFrame(
  re: Float32Array,
  im: Float32Array,
  gain: number,
  ratio: number,
  f0: number,
  binHz: number,
  scratch: ReturnType<typeof transposeScratch>,
  out: Float32Array,
  keep = INHARMONIC_KEEP,
  shares?: Float64Array,
): void {
  const { p, env, prefix } = scratch;
  const F = p.length;
  for (let k = 0; k < F; k++) p[k] = gain * gain * (re[k] * re[k] + im[k] * im[k]) * harmonicWeight(k * binHz, f0, keep) * (shares ? shares[k] : 1);
  localMean(p, Number.isFinite(f0) ? Math.max(2, Math.round(f0 / binHz)) : UNPITCHED_SPAN, prefix, env);
  const fineAt = (q: number) => (env[q] > 0 ? p[q] / env[q] : 0);
  // Moved down (ρ < 1), bins above ρ·Nyquist would read past the style's spectrum and stay
  // empty: the note would stop at 6–7 kHz where the same instrument playing it lower still
  // has partials. There the comb continues: the read position steps down by whole harmonic
  // spacings of the style note (so a harmonic still lands on a harmonic) into the top of
  // the recorded spectrum, while the envelope stays the style's own.
  const spacing = Number.isFinite(f0) ? f0 / binHz : 0;
  const foldable = spacing > 0 && spacing < (F - 1) / 4;
  const fineRead = (at: number) => {
    let pos = at;
    if (pos > F - 2 && foldable) pos -= Math.ceil((pos - (F - 2)) / spacing) * spacing;
    if (pos < 0) return 0;
    const j = Math.floor(pos);
    const frac = pos - j;
    return j + 1 < F ? (1 - frac) * fineAt(j) + frac * fineAt(j + 1) : 0;
  };
  // Moved down, a style partial's window lobe (a few bins) shrinks to a fraction of a bin:
  // read at one point per output bin, its level there would swing by tens of dB as the
  // style's vibrato slides it across the bin grid (a low voice pulsing at the vibrato's
  // rate). Each output bin takes the mean of the fine structure over the span of style bins
  // that lands in it, which holds a partial's power whatever its place within the bin.
  const reads = ratio < 1 ? Math.ceil(SUB_READS / ratio) : 1;
  for (let k = 0; k < F; k++) {
    let fine = 0;
    if (reads === 1) fine = fineRead(k / ratio);
    else {
      for (let i = 0; i < reads; i++) fine += fineRead((k - 0.5 + (i + 0.5) / reads) / ratio);
      fine /= reads;
    }
    out[k] = Math.sqrt(env[k] * fine);
  }
}
