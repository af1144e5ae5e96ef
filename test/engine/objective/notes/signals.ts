/** Synthetic instruments for the note-template tests: a plucked one and a clarinet-like one. */

export const SR = 22050;

export interface ToneNote {
  /** Seconds. */
  start: number;
  end: number;
  hz: number;
}

/** Harmonic notes added into one signal of `seconds`: `partial(h)` is harmonic h's amplitude, `env(t, dur)` the envelope. */
export function render(notes: readonly ToneNote[], seconds: number, partial: (h: number) => number, env: (t: number, dur: number) => number, vibratoHz = 0): Float32Array {
  const x = new Float32Array(Math.round(seconds * SR));
  for (const n of notes) {
    const dur = n.end - n.start;
    let phase = 0;
    for (let i = 0; i < Math.round(dur * SR); i++) {
      const t = i / SR;
      const f = n.hz * (1 + (vibratoHz ? 0.006 * Math.sin(2 * Math.PI * vibratoHz * t) : 0));
      phase += (2 * Math.PI * f) / SR;
      let v = 0;
      for (let h = 1; h <= 12 && h * f < SR / 2; h++) v += partial(h) * Math.sin(h * phase);
      x[Math.round(n.start * SR) + i] += 0.25 * env(t, dur) * v;
    }
  }
  return x;
}

/** A plucked string: every harmonic, falling as 1/h, quick attack and exponential decay. */
export const plucked = (notes: readonly ToneNote[], seconds: number) =>
  render(
    notes,
    seconds,
    (h) => 1 / h,
    (t, dur) => Math.min(1, t / 0.003) * Math.exp(-3 * t) * Math.min(1, (dur - t) / 0.01),
  );

/** A clarinet-like tone: odd harmonics only, held, with a short attack and vibrato. */
export const reedy = (notes: readonly ToneNote[], seconds: number) =>
  render(
    notes,
    seconds,
    (h) => (h % 2 ? 1 / h : 0.02 / h),
    (t, dur) => Math.min(1, t / 0.04) * Math.min(1, (dur - t) / 0.03),
    5,
  );
