/**
 * Issue 18: any music in. Chords through the transcriber and the note template, chords from
 * a solo style line, a note taken out of a chordal style, and unpitched material: drums as
 * content and as style (hit for hit, low hits to low hits) and speech as content (the take
 * follows its pitch).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRESET_NAME, builtinPreset } from '../../../../common/preset';
import { midiToHz } from '../../../../common/notes';
import { transcribe } from '../../../../engine/analysis/transcribe';
import { encodeWav } from '../../../../engine/audio/wav-encode';
import { stft } from '../../../../engine/dsp/stft';
import { noteTemplate, type TemplateInput } from '../../../../engine/objective/notes/note-template';
import { createRng } from '../../../../engine/random';
import { soundingFrames } from '../../../../engine/render/render';
import { renderRequest } from '../../../../engine/render/render-request';
import { SR, plucked, reedy, type ToneNote } from './signals';

const HOP = 256;
const input = async (x: Float32Array, nFft = 1024, hear = true): Promise<TemplateInput> => {
  const spec = stft(x, { nFft, hop: HOP });
  return { samples: x, spec, sounding: soundingFrames(spec), heard: hear ? (await transcribe(x, SR)).notes : undefined };
};
const frameOf = (s: number) => Math.round((s * SR) / HOP);
/** Power of a magnitude row (bins) within ±3 % of `hz`, for an FFT of `nFft`. */
const bandPower = (row: Float32Array, hz: number, nFft: number) => {
  let p = 0;
  for (let k = Math.floor((hz * 0.97 * nFft) / SR); k <= Math.ceil((hz * 1.03 * nFft) / SR); k++) p += row[k] * row[k];
  return p;
};
const db = (p: number) => 10 * Math.log10(p + 1e-30);

const SOLO_STYLE: ToneNote[] = [
  { start: 0.1, end: 0.7, hz: midiToHz(62) },
  { start: 0.8, end: 1.4, hz: midiToHz(67) },
  { start: 1.5, end: 2.1, hz: midiToHz(57) },
];

describe('polyphonic note templates', () => {
  it('plays a plucked C major triad with a solo reed line: every chord note at its own pitch, none doubled, rests silent', async () => {
    const triad = [60, 64, 67].map((m) => ({ start: 0.2, end: 1.2, hz: midiToHz(m) }));
    // A 4096-point FFT resolves semitones at C4 (5.4 Hz bins).
    const c = await input(plucked(triad, 1.6), 4096);
    const s = await input(reedy(SOLO_STYLE, 2.3), 4096);
    const { magnitude } = noteTemplate(c, s, SR, HOP);
    const F = c.spec.bins;
    const row = magnitude.subarray(frameOf(0.6) * F, frameOf(0.6) * F + F);
    const band = (hz: number) => db(bandPower(row, hz, 4096));
    const fundamentals = triad.map((n) => band(n.hz));
    // Each note's fundamental stands within 10 dB of the others (the content plays them alike)…
    expect(Math.max(...fundamentals) - Math.min(...fundamentals)).toBeLessThan(10);
    // …and well above a pitch not played (D4 lies between C4 and E4).
    expect(Math.min(...fundamentals) - band(midiToHz(62))).toBeGreaterThan(10);
    // The reed's even harmonics stay weak: C4's second harmonic (C5, no chord note's odd harmonic) is well under its third.
    expect(band(3 * triad[0].hz)).toBeGreaterThan(band(2 * triad[0].hz) + 6);
    for (let k = 0; k < F; k++) expect(magnitude[frameOf(1.5) * F + k]).toBe(0);
  }, 60_000);

  it('takes a note out of a chordal style with its own harmonics only', async () => {
    // Style: reed chords C4+E4, then F4+A4; content: a plucked line.
    const style = reedy(
      [
        { start: 0.1, end: 1.0, hz: midiToHz(60) },
        { start: 0.1, end: 1.0, hz: midiToHz(64) },
        { start: 1.1, end: 2.0, hz: midiToHz(65) },
        { start: 1.1, end: 2.0, hz: midiToHz(69) },
      ],
      2.2,
    );
    const s = await input(style);
    const c = await input(plucked([{ start: 0.2, end: 0.9, hz: midiToHz(62) }], 1.2));
    const { magnitude } = noteTemplate(c, s, SR, HOP);
    const F = c.spec.bins;
    const row = magnitude.subarray(frameOf(0.5) * F, frameOf(0.5) * F + F);
    const d4 = midiToHz(62);
    // The D4 is there with the reed's odd harmonics; the other chord note, moved along, is
    // not: over 21 dB down (18 dB when the mask kept −20 dB between the harmonics).
    expect(db(bandPower(row, d4, 1024))).toBeGreaterThan(db(bandPower(row, d4 * 2 ** (4 / 12), 1024)) + 21);
    expect(db(bandPower(row, 3 * d4, 1024))).toBeGreaterThan(db(bandPower(row, 2 * d4, 1024)) + 6);
  }, 60_000);

  it("leaves a chord note's shared partials to the note they belong to", async () => {
    // Style: plucked chords whose upper note is the lower one's third harmonic (G4 over C3,
    // C5 over F3); content: a plucked D3, played by the style's C3 moved up a tone.
    const style = plucked(
      [
        { start: 0.1, end: 1.0, hz: midiToHz(48) },
        { start: 0.1, end: 1.0, hz: midiToHz(67) },
        { start: 1.1, end: 2.0, hz: midiToHz(53) },
        { start: 1.1, end: 2.0, hz: midiToHz(72) },
      ],
      2.2,
    );
    const s = await input(style, 4096);
    const c = await input(plucked([{ start: 0.2, end: 0.9, hz: midiToHz(50) }], 1.2), 4096);
    const { magnitude } = noteTemplate(c, s, SR, HOP);
    const F = c.spec.bins;
    const row = magnitude.subarray(frameOf(0.4) * F, frameOf(0.4) * F + F);
    const d3 = midiToHz(50);
    // The plucked C3's own third harmonic is 9.5 dB under its fundamental; given G4's
    // fundamental along with it, the D3's third harmonic would stand level with its fundamental.
    const third = db(bandPower(row, 3 * d3, 4096)) - db(bandPower(row, d3, 4096));
    expect(third).toBeLessThan(-6);
    // Its second harmonic, shared with no chord note, keeps the pluck's 1 / h (−6 dB).
    expect(db(bandPower(row, 2 * d3, 4096)) - db(bandPower(row, d3, 4096))).toBeGreaterThan(-12);
  }, 60_000);

  it('releases a struck chord where it has died away, though the transcription holds it on', async () => {
    // Plucked C4 + E4 held 3 s: the pluck falls as e^(−3t), 30 dB down 1.15 s after the onset.
    const chord = [60, 64].map((m) => ({ start: 0.2, end: 3.2, hz: midiToHz(m) }));
    const x = plucked(chord, 3.6);
    const spec = stft(x, { nFft: 4096, hop: HOP });
    // The transcription as the network may give it: both notes to 3.2 s.
    const heard = chord.map((n) => ({ onsetS: n.start, offsetS: n.end, midi: Math.round(69 + 12 * Math.log2(n.hz / 440)), amplitude: 0.5, bend: [] }));
    const c: TemplateInput = { samples: x, spec, sounding: soundingFrames(spec), heard };
    const s = await input(reedy(SOLO_STYLE, 2.3), 4096);
    const { magnitude } = noteTemplate(c, s, SR, HOP);
    const F = spec.bins;
    const power = (sec: number) => magnitude.subarray(frameOf(sec) * F, (frameOf(sec) + 1) * F).reduce((a, v) => a + v * v, 0);
    expect(power(0.6)).toBeGreaterThan(0);
    // Silent (under −100 dB) from there: the reed would otherwise hold both notes at full level to 3.2 s.
    for (const sec of [1.8, 2.8]) expect(power(sec)).toBeLessThan(power(0.6) * 1e-10);
  }, 60_000);

  it(`"${DEFAULT_PRESET_NAME}" keeps both pitches of a two-note chord in the take`, async () => {
    const chord = [60, 64].map((m) => ({ start: 0.2, end: 1.4, hz: midiToHz(m) }));
    const preset = builtinPreset(DEFAULT_PRESET_NAME)!;
    const take = await renderRequest({
      jobId: 'chord',
      content: { name: 'chord.wav', bytes: encodeWav([plucked(chord, 1.8)], SR, 'float32') },
      style: { name: 'reed.wav', bytes: encodeWav([reedy(SOLO_STYLE, 2.3)], SR, 'float32') },
      preset,
    });
    expect(take.samples.every(Number.isFinite)).toBe(true);
    const spec = stft(take.samples, { nFft: 4096, hop: 1024 });
    const mean = new Float32Array(spec.bins);
    let n = 0;
    for (let t = Math.round((0.4 * SR) / 1024); t < Math.round((1.2 * SR) / 1024); t++, n++) {
      for (let k = 0; k < spec.bins; k++) mean[k] += Math.hypot(spec.re[t * spec.bins + k], spec.im[t * spec.bins + k]);
    }
    const level = (hz: number) => db(bandPower(mean, hz, 4096));
    const [c4, e4] = chord.map((x) => level(x.hz));
    expect(Math.abs(c4 - e4)).toBeLessThan(10);
    // Whole tones away (a semitone from E4 lies inside its window's main lobe).
    for (const off of [62, 66, 58]) expect(Math.min(c4, e4) - level(midiToHz(off)), `${c4} ${e4} vs ${off}: ${level(midiToHz(off))}`).toBeGreaterThan(10);
    // The transcriber hears both in the take too.
    const heard = (await transcribe(take.samples, SR)).notes.filter((x) => x.onsetS < 0.5 && x.offsetS > 1.0).map((x) => x.midi);
    expect(heard).toEqual(expect.arrayContaining([60, 64]));
  }, 90_000);
});

/** A drum hit: seeded noise through a one-pole low-pass (`lowHz`) or high-pass (`highHz`), decaying with time constant `tau` s. */
function hit(x: Float32Array, at: number, seed: number, tau: number, filter: { lowHz?: number; highHz?: number }, gain = 0.5) {
  const rng = createRng(seed);
  let lp = 0;
  const a = filter.lowHz ? 1 - Math.exp((-2 * Math.PI * filter.lowHz) / SR) : 0;
  let prev = 0;
  for (let i = 0; i < Math.round(tau * 6 * SR) && Math.round(at * SR) + i < x.length; i++) {
    const w = rng.normal();
    let v = w;
    if (filter.lowHz) v = lp += a * (w - lp);
    if (filter.highHz) [v, prev] = [w - prev, w];
    x[Math.round(at * SR) + i] += gain * v * Math.exp(-i / SR / tau);
  }
}

describe('unpitched material', () => {
  // Content kit: kicks (low) and hats (high); style kit: a low tom-like thud and a high click.
  const content = new Float32Array(Math.round(2.2 * SR));
  const kicks = [0.2, 1.0];
  const hats = [0.6, 1.4];
  kicks.forEach((t, i) => hit(content, t, 10 + i, 0.06, { lowHz: 150 }, 2));
  hats.forEach((t, i) => hit(content, t, 20 + i, 0.02, { highHz: 1 }));
  const styleKit = new Float32Array(Math.round(1.6 * SR));
  hit(styleKit, 0.2, 31, 0.03, { highHz: 1 }); // the click comes first…
  hit(styleKit, 0.8, 32, 0.08, { lowHz: 300 }, 2); // …then the thud

  it('drums as content and as style: every hit played, low hits by the low hit, high by the high', async () => {
    const c = await input(content);
    const s = await input(styleKit);
    const { magnitude, source } = noteTemplate(c, s, SR, HOP);
    const F = c.spec.bins;
    const thud = [frameOf(0.75), frameOf(1.5)];
    const click = [frameOf(0.15), frameOf(0.75)];
    for (const t of kicks) {
      const u = source[frameOf(t) + 1];
      expect(u, `kick at ${t} s`).toBeGreaterThanOrEqual(thud[0]);
      expect(u).toBeLessThan(thud[1]);
    }
    for (const t of hats) {
      const u = source[frameOf(t) + 1];
      expect(u, `hat at ${t} s`).toBeGreaterThanOrEqual(click[0]);
      expect(u).toBeLessThan(click[1]);
    }
    // Hit for hit: energy at each content hit, silence between hits.
    const energy = (t: number) => magnitude.subarray(t * F, (t + 1) * F).reduce((a, v) => a + v * v, 0);
    for (const t of [...kicks, ...hats]) expect(energy(frameOf(t) + 1)).toBeGreaterThan(0);
    expect(energy(frameOf(2.1))).toBe(0);
  }, 60_000);

  it('drums as the style of a pitched line: a hit for every note', async () => {
    const line: ToneNote[] = [0.2, 0.7, 1.2].map((start, i) => ({ start, end: start + 0.4, hz: midiToHz(60 + 4 * i) }));
    const c = await input(plucked(line, 1.8));
    const s = await input(styleKit);
    const { magnitude, source } = noteTemplate(c, s, SR, HOP);
    const F = c.spec.bins;
    for (const n of line) {
      const t = frameOf(n.start) + 1;
      expect(source[t], `note at ${n.start} s`).toBeGreaterThanOrEqual(0);
      // The hit's attack lands on the note's start: the style frame is within the hit's first frames.
      const hitStarts = [frameOf(0.2), frameOf(0.8)];
      expect(hitStarts.some((h) => source[t] - h >= -1 && source[t] - h <= 3)).toBe(true);
      expect(magnitude.subarray(t * F, (t + 1) * F).some((v) => v > 0)).toBe(true);
    }
  }, 60_000);

  it('speech as content: the template follows its intonation frame by frame', async () => {
    // A voiced syllable: a pulse-like source (every harmonic) through two formants, its f0
    // wavering ±4 % (±68 cents) about 150 Hz three times a second — under the tracker's
    // 70-cent note step, so it stays one note and only a frame-by-frame pitch follows it.
    const seconds = 1.2;
    const x = new Float32Array(Math.round(seconds * SR));
    const f0At = (t: number) => 150 * (1 + 0.04 * Math.sin(2 * Math.PI * 3 * t));
    let phase = 0;
    for (let i = Math.round(0.1 * SR); i < Math.round(1.1 * SR); i++) {
      const t = i / SR;
      phase += (2 * Math.PI * f0At(t)) / SR;
      let v = 0;
      for (let h = 1; h * f0At(t) < 4000; h++) {
        const hz = h * f0At(t);
        const formants = 1 / (1 + ((hz - 700) / 150) ** 2) + 0.5 / (1 + ((hz - 1200) / 200) ** 2) + 0.05;
        v += formants * Math.sin(h * phase);
      }
      x[i] = 0.1 * v * Math.min(1, (t - 0.1) / 0.02, (1.1 - t) / 0.02);
    }
    const nFft = 4096;
    const c = await input(x, nFft);
    const s = await input(reedy([{ start: 0.1, end: 1.5, hz: 220 }], 1.7), nFft);
    const { magnitude } = noteTemplate(c, s, SR, HOP);
    const F = c.spec.bins;
    const binHz = SR / nFft;
    let worst = 0;
    for (let sec = 0.3; sec <= 0.95; sec += 0.05) {
      const row = magnitude.subarray(frameOf(sec) * F, frameOf(sec) * F + F);
      // The reed's strongest partial below 1 kHz, refined by a parabola, over its harmonic number.
      const want = f0At(sec);
      let k = Math.round(want / binHz);
      for (let j = Math.round(want / binHz); j < Math.round(1000 / binHz); j++) if (row[j] > row[k]) k = j;
      const [a, b, d] = [row[k - 1], row[k], row[k + 1]];
      const hz = (k + (0.5 * (a - d)) / (a - 2 * b + d)) * binHz;
      const got = hz / Math.round(hz / want);
      worst = Math.max(worst, Math.abs(1200 * Math.log2(got / want)));
    }
    // A note's single median pitch would be off by up to 68 cents.
    expect(worst).toBeLessThan(30);
  }, 60_000);
});
