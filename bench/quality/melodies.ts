/**
 * The quality benchmark's two corpora, written as code: monophonic melodies (the ground
 * truth of pitch and onsets), General MIDI instruments, and the pairs that combine them.
 * `dev` is for tuning; `holdout` has other melodies and other instruments and is never
 * used for tuning.
 */
import type { MidiNote } from '../../engine/analysis/midi-file';
import type { Renderer, TruthSource } from './renderers';

/** MIDI ticks per quarter note in every corpus file. */
export const TICKS_PER_QUARTER = 480;

/** A melody's note as ground truth, in seconds from the start of the clip. */
export interface Note {
  /** MIDI note number (69 = A4 = 440 Hz). */
  pitch: number;
  /** Note-on, seconds. */
  onset: number;
  /** Note-off, seconds (the instrument may ring on after it). */
  offset: number;
}

export interface Melody {
  /** Short id, unique within a corpus, e.g. "legato". */
  name: string;
  /** What it exercises. */
  about: string;
  tempoUsPerQuarter: number;
  /** Modulation wheel (vibrato depth in FluidR3) held through the melody, 0–127; see `clipModulation`. */
  modulation?: number;
  notes: MidiNote[];
}

/** Instrument families, for describing pairs (plucked/struck ↔ bowed/blown ↔ voice). */
export type Family = 'plucked' | 'struck' | 'bowed' | 'blown' | 'voice';

export interface Instrument {
  /** Short id, e.g. "violin". */
  name: string;
  /** General MIDI program, 0-based (0 = Acoustic Grand Piano). */
  program: number;
  family: Family;
  /** What plays it when not FluidSynth with FluidR3 (e.g. an STK physical model). */
  renderer?: Renderer;
}

/** A melody played by an instrument: one rendered clip. */
export interface Clip {
  melody: Melody;
  instrument: Instrument;
  /** Overrides the instrument's renderer (a truth from another sound font); undefined = the instrument's. */
  renderer?: Renderer;
}

/** Families whose players use vibrato. */
const VIBRATO_FAMILIES: readonly Family[] = ['bowed', 'blown', 'voice'];

/** The melody's modulation wheel for this instrument: none for plucked and struck ones (a piano has no vibrato). */
export const clipModulation = (clip: Clip): number | undefined => (VIBRATO_FAMILIES.includes(clip.instrument.family) ? clip.melody.modulation : undefined);

/** Content = melody M on A, style = M′ on B, truth = M on B. */
export interface Pair {
  /** "<content instrument>-<style instrument>", e.g. "piano-violin". */
  name: string;
  content: Clip;
  style: Clip;
  truth: Clip;
  /** What made the truth; undefined = FluidSynth with FluidR3, like the content and the style. */
  source?: TruthSource;
}

export const CORPUS_NAMES = ['dev', 'holdout'] as const;
export type CorpusName = (typeof CORPUS_NAMES)[number];

export interface Corpus {
  name: CorpusName;
  melodies: Melody[];
  pairs: Pair[];
}

/** Clip pairs by purpose: single melodic lines, or polyphonic material (chords, voices). */
export const SET_NAMES = ['single', 'poly'] as const;
export type SetName = (typeof SET_NAMES)[number];

const NOTE_NAMES: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };

/** MIDI note number of a name such as "C4" (60), "F#4", "Bb3". */
export function noteNumber(name: string): number {
  const m = /^([A-G])(#|b)?(-?\d)$/.exec(name);
  if (!m) throw new Error(`not a note name: "${name}"`);
  return 12 * (Number(m[3]) + 1) + NOTE_NAMES[m[1]] + (m[2] === '#' ? 1 : m[2] === 'b' ? -1 : 0);
}

/** Frequency in Hz of a MIDI note number (equal temperament, A4 = 440 Hz). */
export const midiToHz = (pitch: number): number => 440 * Math.pow(2, (pitch - 69) / 12);

/** Every melody starts half a beat in, so no onset sits on the clip's first frame. */
const LEAD_IN_BEATS = 0.5;

/**
 * A melody from a score line: space-separated "NAME/BEATS" items ("C4/1", "F#5/.5") and
 * rests "r/BEATS"; each note sounds for `articulation` × its beats (1 = legato, touching).
 */
export function melody(name: string, about: string, bpm: number, articulation: number, score: string, modulation?: number): Melody {
  const notes: MidiNote[] = [];
  let beat = LEAD_IN_BEATS;
  for (const item of score.trim().split(/\s+/)) {
    const [pitch, beats] = item.split('/');
    const length = Number(beats);
    if (!(length > 0)) throw new Error(`bad length in "${item}"`);
    if (pitch !== 'r') {
      notes.push({
        pitch: noteNumber(pitch),
        tick: Math.round(beat * TICKS_PER_QUARTER),
        ticks: Math.round(length * articulation * TICKS_PER_QUARTER),
        velocity: 96,
      });
    }
    beat += length;
  }
  return { name, about, tempoUsPerQuarter: Math.round(60e6 / bpm), modulation, notes };
}

/** The melody's notes in seconds, exactly as the MIDI file times them. */
export function notesInSeconds(m: Melody): Note[] {
  const s = m.tempoUsPerQuarter / 1e6 / TICKS_PER_QUARTER;
  return m.notes.map((n) => ({ pitch: n.pitch, onset: n.tick * s, offset: (n.tick + n.ticks) * s }));
}

export const DEV_MELODIES: Melody[] = [
  melody('legato', 'stepwise line, notes touching', 100, 1, 'E4/1 F4/1 G4/1 A4/1 G4/1 F4/1 E4/1 D4/1 C4/1 D4/1 E4/1 G4/1 F4/1 E4/1'),
  melody('staccato', 'short detached notes, repeated pitches, a 1 s rest', 120, 0.25, 'G4/1 G4/1 D5/1 D5/1 E5/1 E5/1 D5/2 r/2 C5/.5 C5/.5 B4/.5 B4/.5 A4/.5 A4/.5 G4/1'),
  melody('leaps', 'wide leaps up to an octave and a sixth', 100, 0.8, 'C4/1 C5/1 E4/1 G5/1 D4/1 A5/1 F4/1 E5/1 G4/1 D5/.5 B4/.5 G5/1 A4/1 C4/2'),
  melody(
    'runs',
    'fast sixteenth-note scales, chromatic at the end',
    120,
    0.9,
    'C4/.25 D4/.25 E4/.25 F4/.25 G4/.25 A4/.25 B4/.25 C5/.25 D5/.25 C5/.25 B4/.25 A4/.25 G4/.25 F4/.25 E4/.25 D4/.25 r/1 ' +
      'E4/.25 F#4/.25 G4/.25 A4/.25 B4/.25 C5/.25 D5/.25 E5/.25 F#5/.25 G5/.25 F#5/.25 E5/.25 D5/.25 C5/.25 B4/.25 A4/.25 r/1 ' +
      'G4/.25 G#4/.25 A4/.25 A#4/.25 B4/.25 C5/.25 C#5/.25 D5/.25 G5/2',
  ),
  melody('long', 'two-second notes with the modulation wheel up (vibrato)', 60, 0.95, 'G4/2 C5/2 A4/2 E5/2', 64),
  melody('rests', 'syncopated phrases separated by rests', 110, 0.85, 'A4/1.5 C5/.5 r/1 E5/1 D5/.5 C5/.5 r/2 A4/.5 B4/.5 C5/1 r/1 G4/2 r/1'),
];

export const HOLDOUT_MELODIES: Melody[] = [
  melody('waltz', 'legato minor line in three', 105, 1, 'D4/2 F4/1 A4/2 G4/1 F4/1 E4/1 D4/1 C#4/1 E4/2 D4/2'),
  melody('pentatonic', 'staccato pentatonic figure with a rest', 132, 0.3, 'A4/.5 C5/.5 D5/.5 E5/.5 G5/1 E5/.5 D5/.5 C5/1 r/2 A4/.5 A4/.5 G4/.5 A4/.5 C5/1 D5/.5 C5/.5 A4/2'),
  melody('octaves', 'leaps of octaves, sixths and tenths', 96, 0.7, 'F4/1 F5/1 A4/1 D5/1 C4/1 A4/1 Bb4/1 G5/1 E4/1 C5/1 F4/2'),
  melody(
    'arpeggios',
    'triplet arpeggios over two octaves',
    100,
    0.9,
    'C4/.333 E4/.333 G4/.334 C5/.333 G4/.333 E4/.334 F4/.333 A4/.333 C5/.334 F5/.333 C5/.333 A4/.334 ' +
      'G4/.333 B4/.333 D5/.334 G5/.333 D5/.333 B4/.334 A4/.333 C5/.333 E5/.334 A5/.333 E5/.333 C5/.334 ' +
      'D5/.333 F5/.333 A5/.334 F5/.333 D5/.333 A4/.334 C5/2',
  ),
  melody('sustained', 'long notes with deep vibrato', 50, 0.95, 'A4/1.5 F5/1.5 D5/1.5 Bb4/2', 80),
  melody('dotted', 'dotted rhythms between rests', 116, 0.8, 'E4/.75 G4/.25 B4/1 r/1.5 A4/.5 G4/.5 F#4/.5 E4/1 r/1 B4/.75 C5/.25 D5/1 B4/2'),
];

export const I = (name: string, program: number, family: Family): Instrument => ({ name, program, family });
const piano = I('piano', 0, 'struck');
const violin = I('violin', 40, 'bowed');
const guitar = I('guitar', 24, 'plucked');
const flute = I('flute', 73, 'blown');
const marimba = I('marimba', 12, 'struck');
const clarinet = I('clarinet', 71, 'blown');
const trumpet = I('trumpet', 56, 'blown');
const choir = I('choir', 52, 'voice');

const vibraphone = I('vibraphone', 11, 'struck');
const cello = I('cello', 42, 'bowed');
const harp = I('harp', 46, 'plucked');
const oboe = I('oboe', 68, 'blown');
const steelGuitar = I('steel-guitar', 25, 'plucked');
const altoSax = I('alto-sax', 65, 'blown');
const harpsichord = I('harpsichord', 6, 'plucked');
const oohs = I('oohs', 53, 'voice');

/** [content instrument, style instrument, content melody, style melody]. */
type PairLine = [Instrument, Instrument, string, string];

function corpus(name: CorpusName, melodies: Melody[], lines: PairLine[]): Corpus {
  const byName = (n: string) => {
    const m = melodies.find((x) => x.name === n);
    if (!m) throw new Error(`no melody "${n}" in the ${name} corpus`);
    return m;
  };
  const pairs = lines.map(([a, b, m, m2]): Pair => {
    if (m === m2) throw new Error(`pair ${a.name}-${b.name}: content and style need different melodies`);
    return {
      name: `${a.name}-${b.name}`,
      content: { melody: byName(m), instrument: a },
      style: { melody: byName(m2), instrument: b },
      truth: { melody: byName(m), instrument: b },
    };
  });
  return { name, melodies, pairs };
}

/** The corpora, by name. */
export const CORPORA: Record<CorpusName, Corpus> = {
  dev: corpus('dev', DEV_MELODIES, [
    [piano, violin, 'long', 'runs'],
    [violin, piano, 'legato', 'staccato'],
    [guitar, flute, 'staccato', 'long'],
    [flute, guitar, 'runs', 'leaps'],
    [marimba, clarinet, 'leaps', 'legato'],
    [clarinet, marimba, 'rests', 'runs'],
    [trumpet, choir, 'long', 'staccato'],
    [choir, trumpet, 'leaps', 'rests'],
  ]),
  holdout: corpus('holdout', HOLDOUT_MELODIES, [
    [vibraphone, cello, 'sustained', 'arpeggios'],
    [cello, vibraphone, 'waltz', 'pentatonic'],
    [harp, oboe, 'pentatonic', 'sustained'],
    [oboe, harp, 'arpeggios', 'octaves'],
    [steelGuitar, altoSax, 'octaves', 'waltz'],
    [altoSax, steelGuitar, 'dotted', 'arpeggios'],
    [harpsichord, oohs, 'sustained', 'pentatonic'],
    [oohs, harpsichord, 'octaves', 'dotted'],
  ]),
};

/** The General MIDI instruments above, by name, for the other sets of pairs. */
export const INSTRUMENTS = { piano, violin, guitar, flute, marimba, clarinet, trumpet, choir, vibraphone, cello, harp, oboe, steelGuitar, altoSax, harpsichord, oohs } as const;
