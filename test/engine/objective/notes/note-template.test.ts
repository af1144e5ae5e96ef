import { describe, expect, it } from 'vitest';
import { stft } from '../../../../engine/dsp/stft';
import { soundingFrames } from '../../../../engine/render/render';
import { noteTemplate } from '../../../../engine/objective/notes/note-template';
import { bowChange, noteShape, notesOf, trackFrames, type LegatoStart, type Note } from '../../../../engine/analysis/note-tracking';
import { pickStyleNote, styleFrameAt, sustainSpan } from '../../../../engine/objective/notes/note-selection';
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
    const legato = reedy(
      [
        { start: 0.1, end: 0.9, hz: 392 },
        { start: 0.9, end: 1.7, hz: 523.25 },
      ],
      1.9,
    );
    const s = input(legato);
    const notes = notesOf(trackFrames(s.samples, s.spec, SR, HOP, s.sounding), SR, HOP);
    expect(notes.map((n) => Math.round(n.f0))).toEqual([392, 523]);
    expect(Math.abs(notes[1].start - frameOf(0.9))).toBeLessThanOrEqual(3);
    expect(notes[0].slopeDb).toBeGreaterThan(-0.05);
  });
});

/**
 * One continuous-phase voice (harmonics 1 … 10 at 1/h) whose pitch follows `hzAt(t)`, level
 * `env(t)` and odd harmonics `odd(t)`: legato changes, glides and octave slips with no attack.
 */
function voice(seconds: number, hzAt: (t: number) => number, env: (t: number) => number = (t) => Math.min(1, t / 0.04), odd: (t: number) => number = () => 1): Float32Array {
  const x = new Float32Array(Math.round(seconds * SR));
  let phase = 0;
  for (let i = 0; i < x.length; i++) {
    const t = i / SR;
    phase += (2 * Math.PI * hzAt(t)) / SR;
    let v = 0;
    for (let h = 1; h <= 10; h++) v += ((h % 2 ? odd(t) : 1) * Math.sin(h * phase)) / h;
    x[i] = 0.25 * env(t) * v;
  }
  return x;
}
const track = (x: Float32Array, legato: LegatoStart) => {
  const s = input(x);
  return notesOf(trackFrames(s.samples, s.spec, SR, HOP, s.sounding, legato), SR, HOP);
};

describe('note tracking of legato lines', () => {
  // G4 held, then a 90 ms glide up to C5 from 0.9 s, as a bowed or sung change goes.
  const glide = (t: number) => (t < 0.9 ? 392 : t < 0.99 ? 392 * (523.25 / 392) ** ((t - 0.9) / 0.09) : 523.25);

  it('a content note starts in its glide; a style note once it has left the old pitch', () => {
    const content = track(voice(1.8, glide), 'glide');
    expect(content.map((n) => Math.round(n.f0))).toEqual([392, 524]);
    // Within the glide (0.9 … 0.99 s), not after it.
    expect(content[1].start).toBeGreaterThanOrEqual(frameOf(0.9) - 1);
    expect(content[1].start).toBeLessThanOrEqual(frameOf(0.95));
    const style = track(voice(1.8, glide), 'departure');
    expect(style.at(-1)!.f0).toBeCloseTo(524, -1);
    expect(style.at(-1)!.start).toBeGreaterThan(content[1].start);
  });

  // All harmonics, the odd ones faded out over 30 ms: the even ones alone sound an octave up.
  const oddOff = (a: number, b: number) => (t: number) => (t < a - 0.03 || t > b + 0.03 ? 1 : t < a ? (a - t) / 0.03 : t > b ? (t - b) / 0.03 : 0);

  it('a brief octave slip starts no note; an octave held does', () => {
    const slip = track(
      voice(1.4, () => 262, undefined, oddOff(0.6, 0.67)),
      'glide',
    );
    expect(slip.every((n) => Math.abs(cents(n.f0, 262)) < 50)).toBe(true);
    expect(slip.some((n) => n.start > frameOf(0.55) && n.start < frameOf(0.64))).toBe(false);
    const held = track(
      voice(1.4, () => 262, undefined, oddOff(0.6, 1.5)),
      'glide',
    );
    expect(held.map((n) => Math.round(n.f0))).toEqual([262, 524]);
    expect(Math.abs(held[1].start - frameOf(0.6))).toBeLessThanOrEqual(3);
  });

  it('a legato change starts at the dip in level before it (a bow change), not at a decay or a swell', () => {
    const db = (v: number[]) => Float64Array.from(v, (x) => 10 ** (x / 20));
    // Held at 0 dB, a dip to −6 dB at frame 5, the new note climbing back; the pitch is named at frame 8.
    expect(bowChange(db([0, 0, -1, -3, -5, -6, -4, -3, -2, -1, 0]), 8, 7)).toBe(5);
    // A note dying away, or swelling, has no dip: the change stays where the pitch said.
    expect(bowChange(db([0, -1, -2, -3, -4, -5, -6, -7, -8, -9, -10]), 8, 7)).toBe(8);
    expect(bowChange(db([-10, -9, -8, -7, -6, -5, -4, -3, -2, -1, 0]), 8, 7)).toBe(8);
    // A shallow ripple (the level does not climb 2 dB out of it) is no bow change either.
    expect(bowChange(db([0, 0, -0.5, -1, -1.5, -1, -0.5, -0.5, -0.5, -0.5, -0.5]), 8, 7)).toBe(8);
  });

  it('a pitch change deep in a dying note (over 20 dB down) is its tail, not a new note', () => {
    // A slow glide a fifth up (no attack, no flux) after the note has died away by 30 or by 10 dB.
    const slow = (t: number) => (t < 0.7 ? 440 : t < 0.9 ? 440 * 1.5 ** ((t - 0.7) / 0.2) : 660);
    const decay = (db: number) => (t: number) => Math.min(1, t / 0.005) * 10 ** ((-db * Math.min(t, 0.7)) / 0.7 / 20);
    expect(track(voice(1.3, slow, decay(30)), 'glide')).toHaveLength(1);
    expect(track(voice(1.3, slow, decay(10)), 'glide').map((n) => Math.round(n.f0 / 10) * 10)).toEqual([440, 660]);
  });

  it('a held note ends where it falls 30 dB for good, not at a beat dipping below that and coming back', () => {
    // Levels per frame: a struck note decaying, beating 14 dB deep, released at frame 80.
    const beating = Float64Array.from({ length: 100 }, (_v, t) => 10 ** ((t < 80 ? -0.3 * t - 7 * (1 - Math.cos((2 * Math.PI * t) / 16)) : -60) / 20));
    expect(20 * Math.log10(Math.min(...beating.subarray(0, 60)))).toBeLessThan(-30);
    const { offset } = noteShape(beating, 0, 100, 3);
    expect(offset).toBeGreaterThanOrEqual(70);
    expect(offset).toBeLessThanOrEqual(80);
  });

  it('a held note is let go where it falls suddenly for good, not at a sudden dip it comes back from (a slur)', () => {
    // Levels per frame: a slurred start dipping 25 dB at frame 4, held at 0 dB, let go at frame 40 (a sudden 20 dB fall).
    const db = (t: number) => (t === 4 ? -28 : t < 40 ? (t < 2 ? -3 : 0) : -20);
    const slurred = Float64Array.from({ length: 50 }, (_v, t) => 10 ** (db(t) / 20));
    expect(noteShape(slurred, 0, 50, 3).offset).toBe(40);
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

  it('plays a style note from its attack, then reads its steady middle back and forth at the decay slope', () => {
    const src = note(10, 20, 440);
    const { from, to } = sustainSpan(src);
    // The middle: after the attack's first 40 %, short of the join to the next note.
    expect([from, to]).toEqual([14, 19]);
    const frames = Array.from({ length: 22 }, (_v, k) => styleFrameAt(src, k, () => 0, -1));
    expect(frames.slice(0, 9).map((f) => f.u)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18]);
    const loop = frames.slice(9).map((f) => f.u);
    expect(Math.min(...loop)).toBeGreaterThanOrEqual(14);
    expect(Math.max(...loop)).toBeLessThanOrEqual(18);
    // Consecutive frames move by one: no splice inside the loop.
    loop.forEach((u, i) => i && expect(Math.abs(u - loop[i - 1])).toBe(1));
    // The fall starts where the middle ends (frame 9 of the note): six frames later, −7 dB.
    expect(frames[15].gainDb).toBe(-7);
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
    for (const [lo, hi] of [
      [900, 2100],
      [2100, 3600],
    ])
      expect(Math.abs(10 * Math.log10(band(out, lo, hi) / band(re, lo, hi)))).toBeLessThan(2);
  });
  it('moved down, keeps harmonics up to the top of the spectrum at the content pitch', () => {
    const F = N_FFT / 2 + 1;
    const nyquist = (F - 1) * binHz;
    const re = new Float32Array(F);
    const im = new Float32Array(F);
    // Harmonics of 400 Hz, equally loud, up to the top of the spectrum.
    for (let h = 1; h * 400 < nyquist - 50; h++) re[Math.round((h * 400) / binHz)] = 1;
    const out = new Float32Array(F);
    transposeFrame(re, im, 1, 0.6, 400, binHz, transposeScratch(F), out);
    const power = (x: Float32Array, lo: number, hi: number) => {
      let p = 0;
      for (let k = Math.round(lo / binHz); k < Math.round(hi / binHz); k++) p += x[k] * x[k];
      return p;
    };
    // Above 0.6 × Nyquist the style's spectrum ends; the moved note must not.
    const top = [0.75 * nyquist, 0.95 * nyquist] as const;
    expect(10 * Math.log10(power(out, ...top) / power(re, ...top))).toBeGreaterThan(-3);
    // And what is there is still the comb of 240 Hz: a harmonic near the top against the bin between two.
    const h = Math.floor((0.9 * nyquist) / 240);
    const peak = Math.max(...[-1, 0, 1].map((d) => out[Math.round((h * 240) / binHz) + d]));
    expect(peak).toBeGreaterThan(10 * out[Math.round(((h + 0.5) * 240) / binHz)]);
  });
  it('moved two octaves down, a style note with vibrato keeps its partials steady (no pulsing at the vibrato rate)', () => {
    // 330 Hz, 20 harmonics at 1/h, vibrato ±20 cents at 6 Hz: what a violin's sample holds.
    const x = new Float32Array(SR);
    let phase = 0;
    for (let i = 0; i < x.length; i++) {
      phase += (2 * Math.PI * 330 * 2 ** ((20 / 1200) * Math.sin((2 * Math.PI * 6 * i) / SR))) / SR;
      for (let h = 1; h <= 20; h++) x[i] += Math.sin(h * phase) / h;
    }
    const spec = stft(x, shape);
    const F = spec.bins;
    const out = new Float32Array(F);
    const scratch = transposeScratch(F);
    // Power of the moved note's 2nd and 3rd harmonics (82.5 Hz apart), ±1 bin, frame by frame.
    const levels: number[][] = [[], []];
    for (let t = 10; t < spec.frames - 10; t++) {
      transposeFrame(spec.re.subarray(t * F, (t + 1) * F), spec.im.subarray(t * F, (t + 1) * F), 1, 0.25, 330, binHz, scratch, out);
      [2, 3].forEach((h, i) => {
        const c = Math.round((h * 82.5) / binHz);
        levels[i].push(10 * Math.log10(out[c - 1] ** 2 + out[c] ** 2 + out[c + 1] ** 2));
      });
    }
    // Read at one point per bin, these swung by 15–16 dB as the vibrato slid the shrunk partials across the bins.
    for (const v of levels) expect(Math.max(...v) - Math.min(...v)).toBeLessThan(3);
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

  it('plays a tracked content note the transcription hears at another pitch at the heard pitch', () => {
    const c = input(plucked(CONTENT, 2.2));
    const s = input(reedy(STYLE, 2.5));
    const F = c.spec.bins;
    const at = (m: Float32Array, t: number, hz: number) => Math.max(...Array.from({ length: 3 }, (_v, d) => m[t * F + Math.round(hz / binHz) - 1 + d]));
    const t = frameOf(1.5);
    // Heard as the tracker reads them, the notes keep their pitches; the last one heard a minor third higher moves there.
    const heard = CONTENT.map((n, i) => ({ onsetS: n.start, offsetS: n.end, midi: Math.round(69 + 12 * Math.log2(n.hz / 440)) + (i === 2 ? 3 : 0), amplitude: 0.5, bend: [] }));
    const moved = noteTemplate({ ...c, heard }, s, SR, HOP).magnitude;
    const kept = noteTemplate(c, s, SR, HOP).magnitude;
    expect(at(kept, t, 659.26)).toBeGreaterThan(10 * at(kept, t, 783.99));
    expect(at(moved, t, 783.99)).toBeGreaterThan(10 * at(moved, t, 659.26));
  });

  it('starts a legato content note where the transcription hears its onset, not late in its glide', () => {
    // G4, then a 150 ms glide up to C5 from 0.9 s: the tracker starts C5 part-way up.
    const glide = (t: number) => (t < 0.9 ? 392 : t < 1.05 ? 392 * (523.25 / 392) ** ((t - 0.9) / 0.15) : 523.25);
    const c = input(voice(1.8, glide));
    const s = input(reedy(STYLE, 2.5));
    const late = track(c.samples, 'glide')[1].start;
    expect(late).toBeGreaterThanOrEqual(frameOf(0.9) + 3);
    const heard = [
      { onsetS: 0.02, offsetS: 0.9, midi: 67, amplitude: 0.5, bend: [] },
      { onsetS: 0.9, offsetS: 1.8, midi: 72, amplitude: 0.5, bend: [] },
    ];
    const tracked = noteTemplate(c, s, SR, HOP).source;
    const timed = noteTemplate({ ...c, heard }, s, SR, HOP).source;
    // The C5 note's first style frame (its attack) lands at the heard onset instead.
    expect(timed[frameOf(0.9)]).toBe(tracked[late]);
    expect(tracked[frameOf(0.9)]).not.toBe(tracked[late]);
  });

  it('does not play a tracked style note the transcription does not hear at its pitch', () => {
    const c = input(plucked([{ start: 0.1, end: 0.6, hz: 200 }], 0.8));
    const styleNotes: ToneNote[] = [
      { start: 0.2, end: 1.2, hz: 392 },
      { start: 1.3, end: 1.6, hz: 196 },
    ];
    const s = input(reedy(styleNotes, 1.8));
    const from = (t: Int32Array) => Array.from(t.subarray(frameOf(0.15), frameOf(0.5)));
    // Tracked alone, the low note is the nearest in pitch.
    expect(from(noteTemplate(c, s, SR, HOP).source).every((u) => u >= frameOf(1.25))).toBe(true);
    // Heard by the transcription as the 392 Hz note only, the low one is not played.
    const heard = [{ onsetS: 0.2, offsetS: 1.2, midi: 67, amplitude: 0.5, bend: [] }];
    const styled = from(noteTemplate(c, { ...s, heard }, SR, HOP).source);
    expect(styled.every((u) => u >= frameOf(0.15) && u < frameOf(1.25))).toBe(true);
  });
});
