/**
 * Which style note plays each content note, and which of its frames plays each moment.
 */
import type { Note } from '../../analysis/note-tracking';

/** Cost, in semitones of transposition, of stretching a style note to twice its body's length. */
const STRETCH_COST = 2;
/** An unpitched style note under a pitched content note costs this much. */
const UNPITCHED_COST = 24;

/**
 * The style note a content note takes: the least transposition (semitones), plus
 * STRETCH_COST per doubling the style note's body would need to last the content note,
 * plus UNPITCHED_COST for an unpitched style note under a pitched content note.
 * @returns the style note and the transposition ratio ρ = f0(content) / f0(style) (1 if either is unpitched)
 */
export function pickStyleNote(note: Note, style: readonly Note[]): { note: Note; ratio: number } {
  let best = style[0];
  let bestCost = Infinity;
  for (const s of style) {
    const pitched = Number.isFinite(note.f0) && Number.isFinite(s.f0);
    const pitch = pitched ? Math.abs(12 * Math.log2(note.f0 / s.f0)) : Number.isFinite(note.f0) ? UNPITCHED_COST : 0;
    const stretch = Math.max(0, Math.log2((note.end - note.start) / (s.body - s.start)));
    const cost = pitch + STRETCH_COST * stretch;
    if (cost < bestCost) [best, bestCost] = [s, cost];
  }
  return { note: best, ratio: Number.isFinite(note.f0) && Number.isFinite(best.f0) ? note.f0 / best.f0 : 1 };
}

/**
 * The style frame for frame k of a content note, and the level change (dB) it gets: the style
 * note played from its attack; past its body, its second half read back and forth (a frozen
 * frame repeated would buzz at the frame rate) while the level keeps falling at the
 * instrument's decay slope (dB per frame) from where the body ended — a struck note dies
 * away, a bowed one holds.
 * @param levelDb a style frame's level in dB
 */
export function styleFrameAt(src: Note, k: number, levelDb: (u: number) => number, slopeDb: number): { u: number; gainDb: number } {
  const len = src.body - src.start;
  if (k < len) return { u: src.start + k, gainDb: 0 };
  const loopStart = src.start + Math.floor(len / 2);
  const loopLen = src.body - loopStart;
  let u = src.body - 1;
  if (loopLen > 1) {
    const period = 2 * (loopLen - 1);
    const phase = (k - len) % period;
    u = phase < loopLen - 1 ? src.body - 2 - phase : loopStart + (phase - (loopLen - 1)) + 1;
  }
  return { u, gainDb: levelDb(src.body - 1) + slopeDb * (k - len + 1) - levelDb(u) };
}
