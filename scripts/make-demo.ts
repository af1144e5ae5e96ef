/**
 * Generates the bundled demo pair in assets/demo/ (run: `npx tsx scripts/make-demo.ts`):
 *   content.wav — a plucked-string melody (additive, decaying partials), 10 s
 *   style.wav   — a bowed, vibrato string tone with body resonances and bow noise, 6 s
 * Both mono, 22.05 kHz, 16-bit. Seeded, so the files are reproducible.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeWav } from '../engine/audio/wav-encode';
import { createRng } from '../engine/random';

const SR = 22050;
const midiHz = (m: number) => 440 * Math.pow(2, (m - 69) / 12);

/**
 * One plucked-string note of `seconds` at `hz`: inharmonic partials with the comb-shaped
 * spectrum of a string plucked at a fifth of its length, higher partials dying faster, and
 * a short noise transient for the pick.
 */
function pluck(hz: number, seconds: number, seed: number, brightness = 0.6): Float32Array {
  const rng = createRng(seed);
  const n = Math.round(seconds * SR);
  const out = new Float32Array(n);
  const pluckPoint = 0.2 + 0.05 * brightness;
  const inharmonicity = 1e-4;
  for (let k = 1; ; k++) {
    const f = k * hz * Math.sqrt(1 + inharmonicity * k * k);
    if (f > SR / 2 - 500) break;
    const amp = (Math.abs(Math.sin(Math.PI * k * pluckPoint)) / Math.pow(k, 1.6 - 0.5 * brightness)) * 0.5;
    const t60 = 1.6 / (1 + 0.35 * (k - 1));
    const rate = Math.log(1000) / (t60 * SR);
    const w = (2 * Math.PI * f) / SR;
    const phase = rng.next() * 2 * Math.PI;
    for (let i = 0; i < n; i++) out[i] += amp * Math.exp(-rate * i) * Math.sin(w * i + phase);
  }
  // The pick: 4 ms of decaying noise.
  const pick = Math.round(0.004 * SR);
  for (let i = 0; i < pick && i < n; i++) out[i] += 0.15 * (rng.next() * 2 - 1) * (1 - i / pick);
  // A 3 ms rise avoids a click at the onset; the player damps the string before the next note.
  const rise = Math.round(0.003 * SR);
  for (let i = 0; i < rise && i < n; i++) out[i] *= i / rise;
  const fade = Math.min(n, Math.round(0.08 * SR));
  for (let i = 0; i < fade; i++) out[n - 1 - i] *= i / fade;
  return out;
}

function melody(): Float32Array {
  // A minor tune in eighths and quarters at 100 bpm (eighth = 0.3 s).
  const notes: [number, number][] = [
    [69, 1],
    [72, 1],
    [76, 2],
    [74, 1],
    [72, 1],
    [71, 2],
    [69, 1],
    [71, 1],
    [72, 1],
    [74, 1],
    [76, 2],
    [72, 2],
    [77, 1],
    [76, 1],
    [74, 1],
    [72, 1],
    [71, 2],
    [67, 2],
    [69, 1],
    [72, 1],
    [71, 1],
    [68, 1],
    [69, 4],
  ];
  const eighth = 0.3;
  const total = Math.round(10 * SR);
  const out = new Float32Array(total);
  let t = 0.1;
  notes.forEach(([m, beats], k) => {
    const start = Math.round(t * SR);
    const note = pluck(midiHz(m), Math.min(beats * eighth + 0.15, 10 - t), 1000 + k, 0.45 + 0.1 * (k % 3));
    for (let i = 0; i < note.length && start + i < total; i++) out[start + i] += 0.5 * note[i];
    t += beats * eighth;
  });
  return finish(out);
}

/** A two-pole resonator gain at f for a body resonance at fc with bandwidth bw (Hz). */
const resonance = (f: number, fc: number, bw: number) => 1 / Math.sqrt(1 + Math.pow((f - fc) / (bw / 2), 2));

function bowed(): Float32Array {
  const rng = createRng(7);
  const seconds = 6;
  const n = seconds * SR;
  const out = new Float32Array(n);
  // Two bowed notes, G4 then D5, overlapping slightly as on one string crossing.
  const notes = [
    { hz: midiHz(67), start: 0.05, end: 3.2 },
    { hz: midiHz(74), start: 3.0, end: 5.9 },
  ];
  for (const note of notes) {
    const harmonics = Math.floor((SR / 2 - 200) / note.hz);
    const phases = new Float64Array(harmonics + 1);
    const amps = new Float64Array(harmonics + 1);
    for (let k = 1; k <= harmonics; k++) {
      const f = k * note.hz;
      // Sawtooth-like source (1/k) shaped by violin-like body resonances.
      const body = 0.35 + resonance(f, 290, 120) + 0.8 * resonance(f, 700, 300) + 1.1 * resonance(f, 2600, 1200);
      amps[k] = body / k;
    }
    const i0 = Math.round(note.start * SR);
    const i1 = Math.round(note.end * SR);
    let noiseLp = 0;
    for (let i = i0; i < i1; i++) {
      const t = (i - i0) / SR;
      const dur = (i1 - i0) / SR;
      const attack = Math.min(1, t / 0.25);
      const release = Math.min(1, (dur - t) / 0.35);
      const swell = 0.75 + 0.25 * Math.sin((Math.PI * t) / dur);
      const env = attack * attack * release * swell;
      // Vibrato fades in after the attack, as a player's does.
      const vib = 1 + 0.006 * Math.min(1, Math.max(0, (t - 0.4) / 0.6)) * Math.sin(2 * Math.PI * 5.6 * t);
      let s = 0;
      for (let k = 1; k <= harmonics; k++) {
        phases[k] += (2 * Math.PI * k * note.hz * vib) / SR;
        if (phases[k] > 2 * Math.PI) phases[k] -= 2 * Math.PI;
        s += amps[k] * Math.sin(phases[k]);
      }
      noiseLp = 0.7 * noiseLp + 0.3 * (rng.next() * 2 - 1);
      out[i] += env * (0.18 * s + 0.02 * noiseLp);
    }
  }
  return finish(out);
}

/** Peak-normalise to −3 dBFS. */
function finish(x: Float32Array): Float32Array {
  let peak = 0;
  for (const v of x) peak = Math.max(peak, Math.abs(v));
  const g = peak > 0 ? Math.pow(10, -3 / 20) / peak : 1;
  return x.map((v) => v * g);
}

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../assets/demo');
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, 'content.wav'), encodeWav([melody()], SR, 'pcm16', { title: 'Plucked melody (Gramophone demo content)' }));
writeFileSync(path.join(dir, 'style.wav'), encodeWav([bowed()], SR, 'pcm16', { title: 'Bowed string (Gramophone demo style)' }));
console.log(`wrote ${dir}/content.wav and style.wav`);
