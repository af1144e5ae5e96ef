/**
 * Which style note plays each content note, and which of its frames plays each moment.
 */
import type { Note } from '../../analysis/note-tracking';

/** Cost, in semitones of transposition, of stretching a style note to twice its body's length. */
const STRETCH_COST = 2;
/** An unpitched style note under a pitched content note costs this much. */
const UNPITCHED_COST = 24;
/** Cost, in semitones, of the whole register span between a content note and an unpitched style note (or under an unpitched content note). */
const REGISTER_COST = 12;

/**
 * Where each note sits in its signal's register, 0 (lowest) to 1 (highest): pitched notes
 * ranked by pitch among the pitched, unpitched ones by brightness (spectral centroid over
 * their attack) among the unpitched. Ranks, not frequencies, so a kick drum's hits go to a
 * low tom's and a hi-hat's to a rim click's whatever the two kits' absolute spectra.
 * @param spec the signal's STFT (frames × bins) the notes lie on
 */
export function registers(notes: readonly Note[], spec: { frames: number; bins: number; re: Float32Array; im: Float32Array }, attackFrames: number): Map<Note, number> {
  const key = new Map<Note, number>();
  for (const n of notes) {
    if (Number.isFinite(n.f0)) {
      key.set(n, n.f0);
      continue;
    }
    let num = 0;
    let den = 0;
    for (let t = n.start; t < Math.min(n.end, n.start + attackFrames, spec.frames); t++) {
      for (let k = 0; k < spec.bins; k++) {
        const i = t * spec.bins + k;
        const p = spec.re[i] * spec.re[i] + spec.im[i] * spec.im[i];
        num += p * k;
        den += p;
      }
    }
    key.set(n, den > 0 ? num / den : 0);
  }
  const out = new Map<Note, number>();
  for (const pitched of [true, false]) {
    const group = notes.filter((n) => Number.isFinite(n.f0) === pitched).sort((a, b) => key.get(a)! - key.get(b)!);
    group.forEach((n, i) => out.set(n, group.length > 1 ? i / (group.length - 1) : 0.5));
  }
  return out;
}

/**
 * The style note a content note takes: the least transposition (semitones), plus
 * STRETCH_COST per doubling the style note's body would need to last the content note,
 * plus UNPITCHED_COST for an unpitched style note under a pitched content note, plus, where
 * either is unpitched, REGISTER_COST times how far apart their registers are (`register`,
 * 0–1 within each signal; see `registers`).
 * @returns the style note and the transposition ratio ρ = f0(content) / f0(style) (1 if either is unpitched)
 */
export function pickStyleNote<S extends Note>(note: Note, style: readonly S[], register: (n: Note) => number = () => 0.5): { note: S; ratio: number } {
  let best = style[0];
  let bestCost = Infinity;
  for (const s of style) {
    const pitched = Number.isFinite(note.f0) && Number.isFinite(s.f0);
    const pitch = pitched ? Math.abs(12 * Math.log2(note.f0 / s.f0)) : (Number.isFinite(note.f0) ? UNPITCHED_COST : 0) + REGISTER_COST * Math.abs(register(note) - register(s));
    const stretch = Math.max(0, Math.log2((note.end - note.start) / (s.body - s.start)));
    const cost = pitch + STRETCH_COST * stretch;
    if (cost < bestCost) [best, bestCost] = [s, cost];
  }
  return { note: best, ratio: Number.isFinite(note.f0) && Number.isFinite(best.f0) ? note.f0 / best.f0 : 1 };
}

/** Share of a style note's body, from its start, before the part read back and forth (its attack and settling). */
const LOOP_FROM = 0.4;
/** Share of a style note's body, at its end, left out of the part read back and forth: the join to the next note (its attack blurred in by the STFT window, a legato change, the bow's turn). */
const LOOP_TRIM_END = 0.15;

/**
 * The frames [from, to) of a style note read back and forth past its body: its steady middle.
 * Past its end the frames near a join would come back every loop as a bright or dull bead.
 */
export function sustainSpan(src: Note): { from: number; to: number } {
  const len = src.body - src.start;
  const to = src.body - Math.floor(len * LOOP_TRIM_END);
  const from = Math.min(to - 1, src.start + Math.floor(len * LOOP_FROM));
  return { from: Math.max(src.start, from), to };
}

/**
 * The style frame for frame k of a content note, and the level change (dB) it gets: the style
 * note played from its attack to the end of its steady middle (`sustainSpan`); a content note
 * that lasts longer hears that middle read back and forth (a frozen frame repeated would buzz
 * at the frame rate) while the level keeps falling at the instrument's decay slope (dB per
 * frame) from where the middle ended — a struck note dies away, a bowed one holds. The style
 * note's own end (its join to the next note, or its release) is never played under a longer
 * note: its fall, and the rise back when the loop began, would sound as a second attack.
 * @param levelDb a style frame's level in dB
 * @param anchorDb the level (dB) the fall starts from: by default the middle's last frame's
 */
export function styleFrameAt(src: Note, k: number, levelDb: (u: number) => number, slopeDb: number, anchorDb?: number): { u: number; gainDb: number } {
  const { from, to } = sustainSpan(src);
  const played = to - src.start;
  if (k < played) return { u: src.start + k, gainDb: 0 };
  const target = (anchorDb ?? levelDb(to - 1)) + slopeDb * (k - played + 1);
  const loopLen = to - from;
  let u = to - 1;
  if (loopLen > 1) {
    const period = 2 * (loopLen - 1);
    const phase = (k - played) % period;
    u = phase < loopLen - 1 ? to - 2 - phase : from + (phase - (loopLen - 1)) + 1;
  }
  return { u, gainDb: target - levelDb(u) };
}
