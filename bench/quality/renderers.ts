/**
 * What plays a corpus clip. Sampler truths favour a method that transposes the style's own
 * recorded notes, so some truths come from elsewhere: FluidSynth with another sound font
 * than the style's (other recordings of the same General MIDI instrument), and the
 * Synthesis ToolKit's physical models (no recordings at all: the note is computed from a
 * model of the bore, string or bow). This file holds the renderer descriptions and the
 * SKINI score writer; corpus.ts runs the programs.
 */
import type { MidiNote } from '../../engine/analysis/midi-file';

/** Debian's sound fonts, by the name used in tables, and their packages. */
export const SOUND_FONTS = {
  FluidR3: { path: '/usr/share/sounds/sf2/FluidR3_GM.sf2', apt: 'fluid-soundfont-gm' },
  MuseScore: { path: '/usr/share/sounds/sf3/MuseScore_General_Lite.sf3', apt: 'musescore-general-soundfont-small' },
  TimGM6mb: { path: '/usr/share/sounds/sf2/TimGM6mb.sf2', apt: 'timgm6mb-soundfont' },
} as const;
export type SoundFontName = keyof typeof SOUND_FONTS;

/** The STK physical models the corpus uses (instrument names of `stk-demo`). */
export const STK_MODELS = ['Clarinet', 'Bowed', 'Flute', 'Brass', 'Saxofony', 'Mandolin'] as const;
export type StkModel = (typeof STK_MODELS)[number];
/** The Debian package holding `stk-demo`. */
export const STK_APT = 'stk';

/** FluidSynth with a sound font (the GM program is the instrument's), or an STK model. */
export type Renderer = { kind: 'fluidsynth'; font: SoundFontName } | { kind: 'stk'; model: StkModel };

/** Where a truth comes from, for grouping the tables. */
export const TRUTH_SOURCES = ['FluidR3', 'other sound font', 'STK'] as const;
export type TruthSource = (typeof TRUTH_SOURCES)[number];

export const FLUIDR3: Renderer = { kind: 'fluidsynth', font: 'FluidR3' };

/** The truth source a renderer stands for. */
export const sourceOf = (r: Renderer): TruthSource => (r.kind === 'stk' ? 'STK' : r.font === 'FluidR3' ? 'FluidR3' : 'other sound font');

/** A short tag for file and pair names: "fluidr3", "musescore", "stk-clarinet". */
export const rendererTag = (r: Renderer): string => (r.kind === 'stk' ? `stk-${r.model.toLowerCase()}` : r.font.toLowerCase());

/** Voices `stk-demo` is given (`-n`): the most notes any corpus piece holds at once, with room. */
export const STK_VOICES = 6;

/**
 * A SKINI score (the STK's text score format) of `notes`: "NoteOn <Δs> <channel> <key>
 * <velocity>" and "NoteOff …" lines in time order, each time the seconds since the line
 * before, channel 1. Note-offs come before note-ons at the same time, so a repeated pitch
 * restarts. No modulation wheel is sent: the models scale it to vibrato far deeper than
 * FluidR3 does (STK's Bowed at controller 1 = 64 goes out of tune: YIN finds the notes in 10 %
 * of the frames, against 99 % without), so STK clips play without added vibrato.
 * @param secondsPerTick the MIDI file's tempo / ticks per quarter, in seconds
 * @param velocity the note-on velocity for every note, 1–127 (the corpus sets it low enough that
 *   the models' 16-bit output does not clip)
 */
export function skiniScore(notes: readonly MidiNote[], secondsPerTick: number, velocity: number): string {
  if (!(velocity >= 1 && velocity <= 127)) throw new RangeError(`a SKINI velocity must be in 1–127, not ${velocity}`);
  const events: { tick: number; order: number; line: (dt: string) => string }[] = [];
  for (const n of notes) {
    events.push({ tick: n.tick, order: 1, line: (dt) => `NoteOn ${dt} 1 ${n.pitch} ${velocity}` });
    events.push({ tick: n.tick + n.ticks, order: 0, line: (dt) => `NoteOff ${dt} 1 ${n.pitch} 64` });
  }
  events.sort((a, b) => a.tick - b.tick || a.order - b.order);
  const lines: string[] = [];
  let now = 0;
  for (const e of events) {
    lines.push(e.line(((e.tick - now) * secondsPerTick).toFixed(6)));
    now = e.tick;
  }
  return lines.join('\n') + '\n';
}
