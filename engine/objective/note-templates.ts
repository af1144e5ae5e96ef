/**
 * Note templates: the style instrument's own sound, frame by frame, moved to the content's
 * pitches and note times — what the content would sound like played by the style's
 * instrument, to a first order. It is the target of the `notes` loss term and a starting
 * point (`init: "notes"`); the other terms refine it.
 *
 * For every sounding content frame one style frame is chosen (unit selection, after
 * concatenative synthesis), by a Viterbi path over the style's frames that balances:
 * - pitch: semitones between the content's f0 and the style frame's (YIN, engine/dsp/pitch.ts);
 * - articulation: frames since the last onset (engine/dsp/onsets.ts) in both, so the
 *   content's note starts get the style's attacks and its held notes the style's sustain;
 * - continuity: moving on to the next style frame costs nothing, jumping costs a fixed amount,
 *   so the style's own evolution (vibrato, decay) plays through where it can.
 * The chosen frame is transposed by ρ = f0(content) / f0(style) keeping its spectral envelope
 * in place (formants and body resonances do not move with the pitch): with L = log(1 + |S|)
 * and E its cepstrally smoothed envelope, the template's log-magnitude at bin k is
 * E(k) + (L − E)(k / ρ). Each content note's loudness scales its frames (the content's
 * dynamics stay); within a note the style frames keep their own shape (attack, decay).
 */
import type { ComplexSpectrogram } from '../dsp/stft';
import { detectOnsets } from '../dsp/onsets';
import { yin } from '../dsp/pitch';

/** Per-frame description of a signal for the selection. */
export interface FrameTrack {
  /** f0 in Hz per frame (NaN: unpitched or silent), median-filtered over 5 frames. */
  f0: Float64Array;
  /** Frames since the last onset (or since sound began after a rest). */
  sinceOnset: Int32Array;
  /** Peak magnitude of each frame. */
  level: Float64Array;
  /** Whether the frame sounds (the render's rest rule). */
  sounding: readonly boolean[];
}

/** Cepstral coefficients kept for the envelope that stays in place when a frame is transposed. */
const ENVELOPE_COEFFICIENTS = 40;
/** Frames of articulation told apart: beyond this, every frame of a note counts as sustain. */
const ATTACK_FRAMES = 8;
/** Costs, in semitones of transposition: one frame of articulation mismatch, and a jump. */
const ARTICULATION_COST = 0.5;
const JUMP_COST = 2;
/** An unpitched style frame for a pitched content frame costs this much. */
const UNPITCHED_COST = 24;
/** YIN estimates with a normalised difference above this are treated as unpitched. */
const APERIODICITY_LIMIT = 0.35;

/** Median of the finite values in v[i − r … i + r] (NaN if none). */
function medianFilter(v: Float32Array, r: number): Float64Array {
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const w: number[] = [];
    for (let j = Math.max(0, i - r); j <= Math.min(v.length - 1, i + r); j++) if (Number.isFinite(v[j])) w.push(v[j]);
    w.sort((a, b) => a - b);
    out[i] = Number.isFinite(v[i]) && w.length ? w[w.length >> 1] : NaN;
  }
  return out;
}

/** Pitch, articulation and level per frame of a signal's STFT `spec` (hop `hop` at `sampleRate`). */
export function trackFrames(samples: Float32Array, spec: ComplexSpectrogram, sampleRate: number, hop: number, sounding: readonly boolean[]): FrameTrack {
  const frames = spec.frames;
  const track = yin(samples, { sampleRate, hop, window: Math.round(0.046 * sampleRate), fMin: 70 });
  const raw = new Float32Array(frames).fill(NaN);
  for (let t = 0; t < Math.min(frames, track.f0.length); t++) if (sounding[t] && track.aperiodicity[t] < APERIODICITY_LIMIT) raw[t] = track.f0[t];
  const f0 = medianFilter(raw, 2);
  const onsets = new Set(detectOnsets(samples).map((s) => Math.round((s * sampleRate) / hop)));
  const sinceOnset = new Int32Array(frames);
  for (let t = 0; t < frames; t++) sinceOnset[t] = !sounding[t] || onsets.has(t) || t === 0 || !sounding[t - 1] ? 0 : sinceOnset[t - 1] + 1;
  const level = new Float64Array(frames);
  for (let t = 0; t < frames; t++) {
    let m = 0;
    for (let k = 0; k < spec.bins; k++) {
      const i = t * spec.bins + k;
      m = Math.max(m, spec.re[i] * spec.re[i] + spec.im[i] * spec.im[i]);
    }
    level[t] = Math.sqrt(m);
  }
  return { f0, sinceOnset, level, sounding };
}

/**
 * The style frame for every content frame (−1 in the content's rests): the cheapest path
 * under the costs above, by dynamic programming over (content frame, style frame) with
 * "next frame" or "jump anywhere" moves — O(T · Ts).
 */
export function selectFrames(content: FrameTrack, style: FrameTrack): Int32Array {
  const T = content.f0.length;
  const U = style.f0.length;
  const usable: number[] = [];
  for (let u = 0; u < U; u++) if (style.sounding[u]) usable.push(u);
  const path = new Int32Array(T).fill(-1);
  if (!usable.length) return path;
  const local = (t: number, u: number) => {
    const fc = content.f0[t];
    const fs = style.f0[u];
    const pitch = Number.isFinite(fc) ? (Number.isFinite(fs) ? Math.abs(12 * Math.log2(fc / fs)) : UNPITCHED_COST) : 0;
    const art = Math.abs(Math.min(content.sinceOnset[t], ATTACK_FRAMES) - Math.min(style.sinceOnset[u], ATTACK_FRAMES));
    return pitch + ARTICULATION_COST * art;
  };
  let prev = new Float64Array(U).fill(Infinity);
  const from: Int32Array[] = [];
  let started = false;
  for (let t = 0; t < T; t++) {
    const cur = new Float64Array(U).fill(Infinity);
    const back = new Int32Array(U).fill(-1);
    if (!content.sounding[t]) {
      // A rest: the next note starts wherever is cheapest (no continuity across rests).
      from.push(back);
      started = false;
      prev = new Float64Array(U).fill(Infinity);
      continue;
    }
    let bestPrev = -1;
    if (started) for (const u of usable) if (bestPrev < 0 || prev[u] < prev[bestPrev]) bestPrev = u;
    for (const u of usable) {
      let c = started ? prev[bestPrev] + JUMP_COST : 0;
      let b = started ? bestPrev : -1;
      if (started && u > 0 && prev[u - 1] < c) [c, b] = [prev[u - 1], u - 1];
      cur[u] = c + local(t, u);
      back[u] = b;
    }
    from.push(back);
    prev = cur;
    started = true;
  }
  // Trace back from the end of each run of sounding frames.
  for (let t = T - 1; t >= 0; t--) {
    if (!content.sounding[t]) continue;
    if (t === T - 1 || !content.sounding[t + 1]) {
      // prev holds the last row only for the final run; recompute the best end of this run.
      path[t] = argminRow(content, style, from, t, usable, local);
    } else {
      path[t] = from[t + 1][path[t + 1]];
    }
  }
  return path;
}

/** The cheapest style frame to end the run of sounding frames that ends at content frame `end`. */
function argminRow(content: FrameTrack, style: FrameTrack, from: Int32Array[], end: number, usable: number[], local: (t: number, u: number) => number): number {
  // Re-run the forward pass over this run only (runs are independent: rests cut the path).
  let start = end;
  while (start > 0 && content.sounding[start - 1]) start--;
  const U = style.f0.length;
  let prev = new Float64Array(U).fill(Infinity);
  for (let t = start; t <= end; t++) {
    const cur = new Float64Array(U).fill(Infinity);
    let bestPrev = -1;
    if (t > start) for (const u of usable) if (bestPrev < 0 || prev[u] < prev[bestPrev]) bestPrev = u;
    for (const u of usable) {
      let c = t > start ? prev[bestPrev] + JUMP_COST : 0;
      if (t > start && u > 0 && prev[u - 1] < c) c = prev[u - 1];
      cur[u] = c + local(t, u);
    }
    prev = cur;
  }
  void from;
  let best = usable[0];
  for (const u of usable) if (prev[u] < prev[best]) best = u;
  return best;
}

/** Orthonormal DCT-II rows 0 … K−1 over n points, K × n. */
function dctRows(n: number, k: number): Float64Array {
  const d = new Float64Array(k * n);
  for (let i = 0; i < k; i++) {
    const s = i === 0 ? Math.sqrt(1 / n) : Math.sqrt(2 / n);
    for (let j = 0; j < n; j++) d[i * n + j] = s * Math.cos((Math.PI * i * (j + 0.5)) / n);
  }
  return d;
}

/** Cepstral smoothing of one log-magnitude frame: its projection on the first K DCT rows. */
function smooth(l: Float64Array, dct: Float64Array, k: number, out: Float64Array): void {
  const n = l.length;
  out.fill(0);
  for (let i = 0; i < k; i++) {
    let c = 0;
    for (let j = 0; j < n; j++) c += dct[i * n + j] * l[j];
    for (let j = 0; j < n; j++) out[j] += c * dct[i * n + j];
  }
}

/**
 * The template's linear magnitude, frames × bins of the content's STFT (0 in its rests).
 * @param content the content's samples, STFT and sounding frames
 * @param style the style's
 */
export function noteTemplate(
  content: { samples: Float32Array; spec: ComplexSpectrogram; sounding: readonly boolean[] },
  style: { samples: Float32Array; spec: ComplexSpectrogram; sounding: readonly boolean[] },
  sampleRate: number,
  hop: number,
): { magnitude: Float32Array; path: Int32Array } {
  const F = content.spec.bins;
  const c = trackFrames(content.samples, content.spec, sampleRate, hop, content.sounding);
  const s = trackFrames(style.samples, style.spec, sampleRate, hop, style.sounding);
  const path = selectFrames(c, s);
  const magnitude = new Float32Array(content.spec.frames * F);
  const dct = dctRows(F, ENVELOPE_COEFFICIENTS);
  const l = new Float64Array(F);
  const env = new Float64Array(F);
  const spec = style.spec;
  // Note loudness: each content frame takes the peak level of its note (onset to onset),
  // relative to the content's loudest; style frames are taken relative to the style's loudest.
  const cPeak = Math.max(...c.level);
  const sPeak = Math.max(...s.level);
  const noteLevel = new Float64Array(path.length);
  for (let t = 0; t < path.length; ) {
    let e = t + 1;
    while (e < path.length && c.sounding[e] && c.sinceOnset[e] > 0) e++;
    let peak = 0;
    for (let j = t; j < e; j++) peak = Math.max(peak, c.level[j]);
    for (let j = t; j < e; j++) noteLevel[j] = cPeak > 0 ? peak / cPeak : 0;
    t = e;
  }
  for (let t = 0; t < path.length; t++) {
    const u = path[t];
    if (u < 0) continue;
    const fc = c.f0[t];
    const fs = s.f0[u];
    const ratio = Number.isFinite(fc) && Number.isFinite(fs) ? fc / fs : 1;
    const gain = sPeak > 0 ? (noteLevel[t] * cPeak) / sPeak : 0;
    for (let k = 0; k < F; k++) {
      const i = u * F + k;
      l[k] = Math.log1p(gain * Math.sqrt(spec.re[i] * spec.re[i] + spec.im[i] * spec.im[i]));
    }
    smooth(l, dct, ENVELOPE_COEFFICIENTS, env);
    for (let k = 0; k < F; k++) {
      // Fine structure read at k / ρ (linear interpolation), envelope at k.
      const pos = k / ratio;
      const j = Math.floor(pos);
      const frac = pos - j;
      const fine = j + 1 < F ? (1 - frac) * (l[j] - env[j]) + frac * (l[j + 1] - env[j + 1]) : j < F ? l[j] - env[j] : -env[k];
      magnitude[t * F + k] = Math.max(0, Math.expm1(env[k] + fine));
    }
  }
  return { magnitude, path };
}
