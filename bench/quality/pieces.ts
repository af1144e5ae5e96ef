/**
 * Polyphonic pieces written as code: block chords, two voices, a bass under a tune,
 * arpeggios held like a sustain pedal holds them, short piano pieces. Each voice is a score
 * line; the voices are merged into one melody whose notes overlap in time.
 */
import { TICKS_PER_QUARTER, noteNumber, type Melody } from './melodies';
import type { MidiNote } from '../../engine/analysis/midi-file';

/** Every piece starts half a beat in, like the melodies. */
const LEAD_IN_BEATS = 0.5;

/** One voice: its articulation (sounding length / written length) and its score line. */
type Voice = [articulation: number, score: string];

/**
 * A piece from voices. A score line is space-separated items "PITCHES/BEATS[:HOLD]":
 * PITCHES one note name ("C4") or several joined by "+" (a chord, "C3+E4+G4"), or "r" for a
 * rest; BEATS the written length (time to the next item); HOLD, when given, how many beats the
 * notes sound (a held arpeggio note rings under the next ones), else articulation × BEATS.
 * @throws Error for a bad item, or a pitch sounding twice at once (one key cannot be struck again while held)
 */
export function piece(name: string, about: string, bpm: number, voices: Voice[]): Melody {
  const notes: MidiNote[] = [];
  for (const [articulation, score] of voices) {
    let beat = LEAD_IN_BEATS;
    for (const item of score.trim().split(/\s+/)) {
      const m = /^([^/]+)\/([\d.]+)(?::([\d.]+))?$/.exec(item);
      const length = Number(m?.[2]);
      if (!m || !(length > 0)) throw new Error(`${name}: bad item "${item}"`);
      const sounding = m[3] === undefined ? length * articulation : Number(m[3]);
      if (!(sounding > 0)) throw new Error(`${name}: bad hold in "${item}"`);
      if (m[1] !== 'r') {
        for (const p of m[1].split('+')) {
          notes.push({ pitch: noteNumber(p), tick: Math.round(beat * TICKS_PER_QUARTER), ticks: Math.round(sounding * TICKS_PER_QUARTER), velocity: 90 });
        }
      }
      beat += length;
    }
  }
  notes.sort((a, b) => a.tick - b.tick || a.pitch - b.pitch);
  for (let i = 0; i < notes.length; i++) {
    for (let j = i + 1; j < notes.length && notes[j].tick < notes[i].tick + notes[i].ticks; j++) {
      if (notes[j].pitch === notes[i].pitch) throw new Error(`${name}: pitch ${notes[i].pitch} sounds twice at tick ${notes[j].tick}`);
    }
  }
  return { name, about, tempoUsPerQuarter: Math.round(60e6 / bpm), notes };
}

/** The most notes a melody holds at once. */
export function maxPolyphony(m: Melody): number {
  const edges = m.notes.flatMap((n) => [
    [n.tick, 1],
    [n.tick + n.ticks, -1],
  ]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let most = 0;
  for (const [, d] of edges) most = Math.max(most, (now += d));
  return most;
}

export const DEV_PIECES: Melody[] = [
  piece('chords', 'four-note block chords, I–vi–IV–V–I in C', 90, [[0.9, 'C3+E4+G4+C5/2 A2+E4+A4+C5/2 F2+F4+A4+C5/2 G2+D4+G4+B4/2 C3+E4+G4+C5/1 r/1 G2+F4+G4+B4/1 C3+E4+G4+C5/1']]),
  piece('two-voices', 'two independent voices, a tenth to an octave apart', 105, [
    [0.95, 'E5/1 D5/1 C5/1 D5/1 E5/.5 F5/.5 G5/1 F5/1 E5/1 D5/2 C5/4'],
    [0.95, 'C4/2 G3/2 A3/2 B3/1 G3/1 A3/1 F3/1 G3/1 C4/3'],
  ]),
  piece('bass-tune', 'a detached bass line under a legato tune', 110, [
    [0.9, 'G4/1 A4/.5 B4/.5 C5/1 B4/.5 A4/.5 G4/1 E4/1 D4/2 G4/1 B4/1 D5/1 C5/.5 B4/.5 A4/1 G4/2'],
    [0.6, 'G2/1 D3/1 E3/1 B2/1 C3/1 G2/1 D3/1 D2/1 G2/1 B2/1 C3/1 D3/1 E3/.5 C3/.5 D3/1 G2/2'],
  ]),
  piece('arpeggio-pedal', 'rising arpeggios, every note held to the end of its bar (a sustain pedal)', 100, [
    [
      1,
      'C3/.5:3 G3/.5:2.5 C4/.5:2 E4/.5:1.5 G4/.5:1 C5/.5:.5 A2/.5:3 E3/.5:2.5 A3/.5:2 C4/.5:1.5 E4/.5:1 A4/.5:.5 ' +
        'F2/.5:3 C3/.5:2.5 F3/.5:2 A3/.5:1.5 C4/.5:1 F4/.5:.5 G2/.5:3 D3/.5:2.5 G3/.5:2 B3/.5:1.5 D4/.5:1 G4/.5:.5 C3+G3+C4+E4/1.5',
    ],
  ]),
  piece('piano-piece', 'a tune over left-hand fifths and sevenths', 92, [
    [0.95, 'E5/1 D5/.5 C5/.5 D5/1 E5/1 E5/1 E5/2 D5/1 D5/1 E5/1 D5/1 C5/2'],
    [0.9, 'C3+G3/2 C3+G3/2 G2+F3/2 C3+G3/2 G2+F3/2 G2+B3/1 C3+E3/2'],
  ]),
];

export const HOLDOUT_PIECES: Melody[] = [
  piece('chorale', 'four-part chorale in B flat', 80, [
    [0.95, 'D5/1 D5/1 C5/1 Bb4/1 A4/2 Bb4/1 C5/1 D5/1 C5/1 Bb4/1'],
    [0.95, 'Bb4/1 A4/1 G4/1 G4/1 F#4/2 G4/1 G4/1 F4/1 F4/1 F4/1'],
    [0.95, 'F4/1 F4/1 Eb4/1 D4/1 D4/2 D4/1 Eb4/1 Bb3/1 A3/1 D4/1'],
    [0.95, 'Bb2/1 D3/1 C3/1 G2/1 D3/2 G2/1 C3/1 Bb2/1 F3/1 Bb2/1'],
  ]),
  piece('canon', 'a minor-key canon at the octave, two beats apart', 112, [
    [0.9, 'A4/1 B4/1 C5/1 E5/1 D5/1 C5/1 B4/1 A4/1 G#4/2 A4/2'],
    [0.9, 'r/2 A3/1 B3/1 C4/1 E4/1 D4/1 C4/1 B3/1 A3/1 G#3/2 A3/2'],
  ]),
  piece('walking-bass', 'a walking bass in F under a syncopated tune', 120, [
    [0.85, 'r/1 C5/1.5 A4/.5 F4/1 D5/1.5 Bb4/.5 F4/1 r/1 E5/1 G5/1 E5/1 C5/1 F5/3'],
    [0.8, 'F2/1 A2/1 C3/1 D3/1 Bb2/1 D3/1 F3/1 D3/1 C3/1 E3/1 G3/1 Bb2/1 A2/1 C3/1 F2/2'],
  ]),
  piece('broken-chords', 'an Alberti figure over held bass notes in D minor', 104, [
    [1, 'D3/4 Bb2/4 G2/4 A2/2'],
    [0.9, 'D4/.5 A4/.5 F4/.5 A4/.5 D4/.5 A4/.5 F4/.5 A4/.5 D4/.5 Bb4/.5 F4/.5 Bb4/.5 D4/.5 Bb4/.5 F4/.5 Bb4/.5 D4/.5 G4/.5 Bb4/.5 G4/.5 D4/.5 G4/.5 Bb4/.5 G4/.5 C#4/.5 E4/.5 A4/1'],
  ]),
  piece('waltz-piece', 'oom-pah-pah under a tune in A minor', 138, [
    [0.95, 'E5/2 A5/1 G#5/3 A5/1.5 B5/.5 C6/1 D6/2 C6/1 B5/3 A5/3'],
    [0.7, 'A2/1 C4+E4/1 C4+E4/1 E2/1 B3+D4/1 B3+D4/1 A2/1 C4+E4/1 C4+E4/1 D3/1 D4+F4/1 D4+F4/1 E2/1 B3+D4+G#4/1 B3+D4+G#4/1 A2/3'],
  ]),
];
