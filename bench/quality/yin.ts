/** Pitch accuracy: the engine's YIN tracker against a MIDI note list. */
import { cents, type PitchTrack } from '../../engine/analysis/pitch';
import { midiToHz, type Note } from './melodies';

/**
 * Raw pitch accuracy: over the frames whose centre time i·hop / sampleRate lies in
 * [onset, offset) of a note (the voiced truth frames), the fraction whose estimate is within
 * `toleranceCents` of the note's equal-tempered frequency. A frame without an estimate
 * (f0 NaN) counts as wrong. Returns NaN when no frame is voiced.
 */
export function rawPitchAccuracy(track: PitchTrack, notes: readonly Note[], toleranceCents = 50): { accuracy: number; voicedFrames: number } {
  let voiced = 0;
  let right = 0;
  for (const n of notes) {
    const ref = midiToHz(n.pitch);
    const first = Math.ceil((n.onset * track.sampleRate) / track.hop);
    for (let i = first; i < track.f0.length && (i * track.hop) / track.sampleRate < n.offset; i++) {
      voiced++;
      if (Math.abs(cents(track.f0[i], ref)) <= toleranceCents) right++;
    }
  }
  return { accuracy: voiced ? right / voiced : NaN, voicedFrames: voiced };
}
