import { describe, expect, it } from 'vitest';
import { rawPitchAccuracy } from '../../../bench/quality/yin';
import { cents, yin } from '../../../engine/analysis/pitch';
import { midiToHz } from '../../../bench/quality/melodies';
import { sine } from '../../engine/dsp/signals';
import { RATE, harmonicTone } from './signals';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
/** Median cents error of the track's frames 10 … end−10 against `hz`. */
const errorCents = (x: Float32Array, hz: number) => {
  const t = yin(x, { sampleRate: RATE });
  return median(Array.from(t.f0.subarray(10, t.f0.length - 10), (f) => Math.abs(cents(f, hz))));
};

describe('YIN pitch tracker', () => {
  it('finds pure tones within 3 cents from 65 Hz to 1.5 kHz', () => {
    for (const hz of [65.4, 110, 261.63, 440, 987.77, 1500]) expect(errorCents(sine(hz, RATE, RATE / 2, 0.5), hz), `${hz} Hz`).toBeLessThan(3);
  });

  it('is octave-correct on harmonic tones with a weak fundamental and strong upper partials', () => {
    expect(errorCents(harmonicTone(196, 0.5, [0.2, 1, 0.8, 0.6, 0.3]), 196)).toBeLessThan(5);
    expect(errorCents(harmonicTone(330, 0.5, [0.3, 0.2, 1, 0.1, 0.5]), 330)).toBeLessThan(5);
  });

  it('works with an odd window and any hop', () => {
    const t = yin(sine(440, RATE, RATE / 2, 0.5), { sampleRate: RATE, window: 1023, hop: 1023 });
    expect(median(Array.from(t.f0.subarray(2, t.f0.length - 2), (f) => Math.abs(cents(f, 440))))).toBeLessThan(3);
  });

  it('gives no estimate in silence, and does not care about the level', () => {
    const x = new Float32Array(RATE);
    x.set(sine(440, RATE, RATE / 2, 1e-3));
    const t = yin(x, { sampleRate: RATE });
    const frames = t.f0.length;
    expect(Number.isNaN(t.f0[frames - 5])).toBe(true);
    expect(Math.abs(cents(t.f0[20], 440))).toBeLessThan(3);
    expect(yin(new Float32Array(4096), { sampleRate: RATE }).f0.every(Number.isNaN)).toBe(true);
  });
});

describe('raw pitch accuracy', () => {
  // Two notes, A4 for 0.5 s then E5 for 0.5 s, then 0.5 s of silence.
  const notes = [
    { pitch: 69, onset: 0, offset: 0.5 },
    { pitch: 76, onset: 0.5, offset: 1 },
  ];
  const melody = new Float32Array(Math.round(1.5 * RATE));
  for (let i = 0; i < RATE; i++) melody[i] = 0.5 * Math.sin((2 * Math.PI * midiToHz(i < RATE / 2 ? 69 : 76) * i) / RATE);

  it('is about 1 for the melody itself, counting only the voiced frames', () => {
    const r = rawPitchAccuracy(yin(melody, { sampleRate: RATE }), notes);
    expect(r.voicedFrames).toBe(Math.ceil(RATE / 256)); // frames centred in [0, 1 s)
    expect(r.accuracy).toBeGreaterThan(0.95);
  });

  it('is about 0 an octave off or a semitone off (a frame or two at the change may agree), and 0 for silence', () => {
    const octave = melody.map((_, i) => (i < RATE ? 0.5 * Math.sin((2 * Math.PI * 2 * midiToHz(i < RATE / 2 ? 69 : 76) * i) / RATE) : 0));
    expect(rawPitchAccuracy(yin(octave, { sampleRate: RATE }), notes).accuracy).toBeLessThan(0.05);
    const semitone = melody.map((_, i) => (i < RATE ? 0.5 * Math.sin((2 * Math.PI * midiToHz(i < RATE / 2 ? 70 : 77) * i) / RATE) : 0));
    expect(rawPitchAccuracy(yin(semitone, { sampleRate: RATE }), notes).accuracy).toBeLessThan(0.05);
    expect(rawPitchAccuracy(yin(new Float32Array(melody.length), { sampleRate: RATE }), notes).accuracy).toBe(0);
  });

  it('a 40-cent detune still counts, 60 cents does not', () => {
    const detuned = (c: number) => melody.map((_, i) => (i < RATE ? 0.5 * Math.sin((2 * Math.PI * midiToHz((i < RATE / 2 ? 69 : 76) + c / 100) * i) / RATE) : 0));
    expect(rawPitchAccuracy(yin(detuned(40), { sampleRate: RATE }), notes).accuracy).toBeGreaterThan(0.95);
    expect(rawPitchAccuracy(yin(detuned(60), { sampleRate: RATE }), notes).accuracy).toBeLessThan(0.05);
  });
});
