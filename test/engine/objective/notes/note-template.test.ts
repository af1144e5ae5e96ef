import { describe, expect, it } from 'vitest';
import { stft } from '../../../../engine/dsp/stft';
import { soundingFrames } from '../../../../engine/render';
import { noteTemplate } from '../../../../engine/objective/notes/note-template';
import { notesOf, trackFrames, type Note } from '../../../../engine/objective/notes/note-tracking';
import { pickStyleNote, styleFrameAt } from '../../../../engine/objective/notes/note-selection';
import { transposeFrame, transposeScratch } from '../../../../engine/objective/notes/transpose';
import { SR, plucked, reedy, type ToneNote } from './signals';

const HOP = 256;
const N_FFT = 1024;
const shape = { nFft: N_FFT, hop: HOP };
const binHz = SR / N_FFT;
const CONTENT: ToneNote[] = [
  { start: 0.1, end: 0.6, hz: 440 },
  { start: 0.7, end: 1.2, hz: 523.25 },
  { start: 1.3, end: 1.8, hz: 659.26 },
];
const STYLE: ToneNote[] = [
  { start: 0.2, end: 1.2, hz: 392 },
  { start: 1.3, end: 2.3, hz: 587.33 },
];
const input = (x: Float32Array) => {
  const spec = stft(x, shape);
  return { samples: x, spec, sounding: soundingFrames(spec) };
};
const frameOf = (s: number) => Math.round((s * SR) / HOP);
const cents = (a: number, b: number) => 1200 * Math.log2(a / b);

describe('note tracking', () => {
  it('cuts plucked notes at their onsets and reads their pitch', () => {
    const c = input(plucked(CONTENT, 2.2));
    const notes = notesOf(trackFrames(c.samples, c.spec, SR, HOP, c.sounding), SR, HOP);
    expect(notes).toHaveLength(3);
    notes.forEach((n, i) => {
      expect(Math.abs(n.start - frameOf(CONTENT[i].start))).toBeLessThanOrEqual(2);
      expect(Math.abs(cents(n.f0, CONTENT[i].hz))).toBeLessThan(30);
      // A plucked note dies away; the slope is in dB per frame.
      expect(n.slopeDb).toBeLessThan(-0.1);
    });
  });

  it('finds legato notes by their pitch change, and held notes hold', () => {
    const legato = reedy([{ start: 0.1, end: 0.9, hz: 392 }, { start: 0.9, end: 1.7, hz: 523.25 }], 1.9);
    const s = input(legato);
    const notes = notesOf(trackFrames(s.samples, s.spec, SR, HOP, s.sounding), SR, HOP);
    expect(notes.map((n) => Math.round(n.f0))).toEqual([392, 523]);
    expect(Math.abs(notes[1].start - frameOf(0.9))).toBeLessThanOrEqual(3);
    expect(notes[0].slopeDb).toBeGreaterThan(-0.05);
  });
});

describe('note selection', () => {
  const note = (start: number, end: number, f0: number, body = end): Note => ({ start, end, f0, peak: 1, body, offset: end, slopeDb: 0 });
  it('takes the nearest pitch, unless stretching it far costs more', () => {
    const style = [note(0, 40, 392), note(50, 54, 440), note(60, 100, 587)];
    expect(pickStyleNote(note(0, 40, 440), style).note.f0).toBe(392); // 2 semitones beat stretching 4 frames tenfold
    expect(pickStyleNote(note(0, 4, 440), style).note.f0).toBe(440);
    const r = pickStyleNote(note(0, 40, 600), style);
    expect(r.note.f0).toBe(587);
    expect(r.ratio).toBeCloseTo(600 / 587, 12);
  });

  it('plays a style note from its attack, then reads its second half back and forth at the decay slope', () => {
    const src = note(10, 20, 440);
    const frames = Array.from({ length: 22 }, (_v, k) => styleFrameAt(src, k, () => 0, -1));
    expect(frames.slice(0, 10).map((f) => f.u)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    const loop = frames.slice(10).map((f) => f.u);
    expect(Math.min(...loop)).toBeGreaterThanOrEqual(15);
    expect(Math.max(...loop)).toBeLessThanOrEqual(19);
    // Consecutive frames move by one: no splice inside the loop.
    loop.forEach((u, i) => i && expect(Math.abs(u - loop[i - 1])).toBe(1));
    expect(frames[15].gainDb).toBe(-6);
  });
});

describe('transposition with the envelope in place', () => {
  it('moves the harmonics by ρ and keeps the power of wide regions', () => {
    const F = N_FFT / 2 + 1;
    const re = new Float32Array(F);
    const im = new Float32Array(F);
    // Harmonics of 300 Hz under a formant at 1.5 kHz.
    for (let h = 1; h * 300 < 10000; h++) re[Math.round((h * 300) / binHz)] = Math.exp(-(((h * 300 - 1500) / 1200) ** 2));
    const out = new Float32Array(F);
    transposeFrame(re, im, 1, 1.5, 300, binHz, transposeScratch(F), out);
    const peakNear = (hz: number) => Math.max(...Array.from({ length: 5 }, (_v, d) => out[Math.round(hz / binHz) - 2 + d]));
    const between = (hz: number) => out[Math.round(hz / binHz)];
    expect(peakNear(450)).toBeGreaterThan(20 * between(675));
    expect(peakNear(900)).toBeGreaterThan(20 * between(1125));
    const band = (x: Float32Array, lo: number, hi: number) => {
      let p = 0;
      for (let k = Math.round(lo / binHz); k < Math.round(hi / binHz); k++) p += x[k] * x[k] + (x === out ? 0 : im[k] * im[k]);
      return p;
    };
    // Wide bands keep their power within 2 dB (the formant stays at 1.5 kHz).
    for (const [lo, hi] of [[900, 2100], [2100, 3600]]) expect(Math.abs(10 * Math.log10(band(out, lo, hi) / band(re, lo, hi)))).toBeLessThan(2);
  });
});

describe('the note template', () => {
  it('plays the reedy style’s odd harmonics at the plucked content’s pitches and note times, silent in rests', () => {
    const c = input(plucked(CONTENT, 2.2));
    const s = input(reedy(STYLE, 2.5));
    const { magnitude } = noteTemplate(c, s, SR, HOP);
    const F = c.spec.bins;
    const at = (t: number, hz: number) => Math.max(...Array.from({ length: 5 }, (_v, d) => magnitude[t * F + Math.round(hz / binHz) - 2 + d]));
    for (const n of CONTENT) {
      const t = frameOf((n.start + n.end) / 2);
      // The fundamental is the content's; the spectrum is the style's: odd harmonics strong, even ones weak.
      expect(at(t, n.hz)).toBeGreaterThan(5 * at(t, n.hz * 1.5));
      expect(at(t, 3 * n.hz)).toBeGreaterThan(4 * at(t, 2 * n.hz));
      expect(at(t, 3 * n.hz)).toBeGreaterThan(4 * at(t, 4 * n.hz));
    }
    // A rest between notes and the silent tail stay silent.
    for (const t of [frameOf(2.1)]) for (let k = 0; k < F; k++) expect(magnitude[t * F + k]).toBe(0);
  });
});
