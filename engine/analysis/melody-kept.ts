/**
 * "Melody kept": how much of the content's melody a take still plays, measured by pitch, not
 * by feature distance. A timbre transfer that moves the style instrument onto the content's
 * notes changes every feature of the sound yet keeps the melody; this says so.
 */
import { cents, yin, type PitchTrack } from './pitch';

/** Frames more aperiodic than this (YIN's d′) are not a clear pitch and are not scored. */
const PITCHED_APERIODICITY = 0.2;
/** A take's pitch counts as the content's within this many cents (a quarter tone each way). */
const TOLERANCE_CENTS = 50;
/** Fewer pitched content frames than this and there is no melody to keep (drums, noise, speech rests). */
const MIN_PITCHED_FRAMES = 4;

/**
 * A YIN track with 46 ms windows every 46 ms, from 70 Hz, whatever the rate: a share of
 * frames needs no finer grid, and this keeps the cost to about a tenth of a render's.
 */
function track(x: Float32Array, sampleRate: number): PitchTrack {
  const hop = 2 * Math.max(1, Math.round(sampleRate * 0.0232));
  return yin(x, { sampleRate, hop, window: hop, fMin: 70 });
}

/**
 * The share of the content's clearly pitched frames in which the take's pitch is within
 * ±50 cents of the content's (octave errors count as misses).
 * @param content mono samples at `sampleRate`
 * @param take mono samples at `sampleRate`, aligned with the content (same start)
 * @returns 0 … 1, or undefined when the content has too few pitched frames to judge
 */
export function melodyKept(content: Float32Array, take: Float32Array, sampleRate: number): number | undefined {
  const c = track(content, sampleRate);
  const t = track(take, sampleRate);
  let pitched = 0;
  let kept = 0;
  for (let i = 0; i < c.f0.length; i++) {
    if (!(c.aperiodicity[i] < PITCHED_APERIODICITY)) continue;
    pitched++;
    const f = i < t.f0.length ? t.f0[i] : NaN;
    if (Number.isFinite(f) && Math.abs(cents(f, c.f0[i])) <= TOLERANCE_CENTS) kept++;
  }
  return pitched >= MIN_PITCHED_FRAMES ? kept / pitched : undefined;
}
