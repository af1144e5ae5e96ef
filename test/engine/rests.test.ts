/**
 * Issue 8: no preset puts energy where the content is silent. A content with notes, a 1 s
 * rest and a silent tail keeps the rest and the tail at least 40 dB below the notes, for
 * every built-in preset (with few iterations: the rests are held by construction, not by
 * convergence).
 */
import { describe, expect, it } from 'vitest';
import { BUILTIN_PRESETS, type Preset } from '../../common/preset';
import { renderRequest } from '../../engine/render/render-request';
import { encodeWav } from '../../engine/audio/wav-encode';

const SR = 22050;
/** Harmonic notes with decays at 0–0.6 s and 1.6–2.1 s; silence elsewhere, to 2.6 s. */
function contentSignal(): Float32Array {
  const x = new Float32Array(Math.round(2.6 * SR));
  const note = (start: number, dur: number, hz: number) => {
    for (let i = 0; i < Math.round(dur * SR); i++) {
      const t = i / SR;
      const env = Math.min(1, t / 0.01) * Math.exp(-2 * t) * Math.min(1, (dur - t) / 0.02);
      let v = 0;
      for (let h = 1; h <= 6; h++) v += Math.sin(2 * Math.PI * hz * h * t) / h;
      x[Math.round(start * SR) + i] += 0.3 * env * v;
    }
  };
  note(0, 0.3, 262);
  note(0.3, 0.3, 330);
  note(1.6, 0.5, 392);
  return x;
}

/** A bowed-string-like style: sawtooth-ish partials with vibrato, 2 s. */
function styleSignal(): Float32Array {
  return Float32Array.from({ length: 2 * SR }, (_v, i) => {
    const t = i / SR;
    const f = 440 * (1 + 0.01 * Math.sin(2 * Math.PI * 5 * t));
    let v = 0;
    for (let h = 1; h <= 10; h++) v += Math.sin(2 * Math.PI * f * h * t) / h;
    return 0.2 * v;
  });
}

const wav = (x: Float32Array, name: string) => ({ name, bytes: encodeWav([x], SR, 'float32') });
const rms = (x: Float32Array, a: number, b: number) => {
  let s = 0;
  const [i0, i1] = [Math.round(a * SR), Math.round(b * SR)];
  for (let i = i0; i < i1; i++) s += x[i] * x[i];
  return Math.sqrt(s / (i1 - i0));
};
const db = (r: number) => 20 * Math.log10(Math.max(r, 1e-12));

/** The preset with few iterations and a shorter Griffin-Lim, everything else as shipped. */
const quick = (p: Preset): Preset => ({ ...p, optimizer: { ...p.optimizer, iterations: 2 }, griffinLim: { ...p.griffinLim, iterations: 8 } });

describe('the content’s rests stay silent', () => {
  const content = wav(contentSignal(), 'rests.wav');
  const style = wav(styleSignal(), 'bowed.wav');
  for (const preset of BUILTIN_PRESETS) {
    it(
      preset.name,
      async () => {
        const take = await renderRequest({ jobId: 'rests', content, style, preset: quick(preset) });
        const x = take.samples;
        const scale = take.sampleRate / SR;
        const at = (a: number, b: number) => rms(x, a * scale, b * scale);
        const notes = Math.max(at(0.05, 0.55), at(1.65, 2.05));
        // Leave 60 ms for the last frames' windows to fade on each side.
        expect(db(at(0.66, 1.54)) - db(notes), 'rest').toBeLessThan(-40);
        expect(db(at(2.16, 2.6)) - db(notes), 'tail').toBeLessThan(-40);
      },
      120_000,
    );
  }
});
