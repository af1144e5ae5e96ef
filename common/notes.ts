/**
 * Note events as the engine's transcriber hears them, shared by the engine (templates, MIDI
 * export), the workstation (the piano-roll overlay) and the command line.
 */
import { z } from 'zod';

/** Samples of a note's bend curve per second (the transcriber's frame rate: 22050 Hz / 256). */
export const NOTE_BEND_RATE_HZ = 22050 / 256;

/** One heard note. */
export const NoteEventSchema = z.strictObject({
  /** Start and end in seconds from the start of the signal (end > start). */
  onsetS: z.number().min(0),
  offsetS: z.number().min(0),
  /** MIDI note number (60 = middle C, 69 = A4 = 440 Hz), a whole number 0–127. */
  midi: z.number().int().min(0).max(127),
  /** How strongly it was heard, 0–1 (the transcriber's mean activation over the note). */
  amplitude: z.number().min(0).max(1),
  /** The pitch's departure from `midi` in semitones, one value per 1 / NOTE_BEND_RATE_HZ s from the onset. */
  bend: z.array(z.number()),
});
export type NoteEvent = z.infer<typeof NoteEventSchema>;

/** Frequency in Hz of a (fractional) MIDI pitch. */
export const midiToHz = (midi: number): number => 440 * 2 ** ((midi - 69) / 12);
