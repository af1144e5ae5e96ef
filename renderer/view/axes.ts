/**
 * Axis marks for the lanes: time ticks and their labels for the ruler, and frequency marks
 * for the spectrograms (as many as fit), with note names for the hover read-out. Pure, so
 * the rules (no label twice, no labels on top of each other) are tested.
 */
import { hzToY } from './spectrogram-bitmap';

/** A "nice" tick step (1, 2, 5 × 10^k seconds) giving ticks at least `minPx` apart. */
export function tickStep(pxPerSecond: number, minPx = 70): number {
  const raw = minPx / pxPerSecond;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

/** Decimal places a step needs so that consecutive ticks read differently (0.05 s → 2). */
const decimalsOf = (step: number) => (step >= 1 ? 0 : Math.min(6, Math.ceil(-Math.log10(step) - 1e-9)));

/** A ruler label: "1:05" for whole-second steps, "0:01.25" for finer ones. */
export function tickLabel(t: number, step: number): string {
  const d = decimalsOf(step);
  const scale = Math.pow(10, d);
  const units = Math.round(Math.max(0, t) * scale);
  const m = Math.floor(units / (60 * scale));
  const sec = (units - m * 60 * scale) / scale;
  return `${m}:${sec.toFixed(d).padStart(d ? d + 3 : 2, '0')}`;
}

/** Ticks from `t0` to `t1` seconds every `step`, on multiples of the step. */
export function ticks(t0: number, t1: number, step: number): number[] {
  const out: number[] = [];
  for (let k = Math.ceil(t0 / step - 1e-9); k * step <= t1 + 1e-9; k++) out.push(Number((k * step).toFixed(9)));
  return out;
}

/** A frequency with its unit: "250 Hz", "1 kHz", "1.5 kHz". */
export const hzLabel = (hz: number): string => (hz >= 1000 ? `${Number((hz / 1000).toFixed(2))} kHz` : `${Math.round(hz)} Hz`);

/** C in each octave from C1 (32.7 Hz) to C10, most useful first: C4 (middle C), then every other octave, then the rest. */
const C_OCTAVES = [4, 2, 6, 8, 3, 5, 7, 1, 9, 10];
/** Frequency of C in `octave` (A4 = 440 Hz), Hz. */
const cHz = (octave: number) => 440 * Math.pow(2, (12 * (octave + 1) - 69) / 12);

/** A mark on a spectrogram's frequency axis: where it is and what it says. */
export interface FrequencyTick {
  hz: number;
  /** Distance from the top, px. */
  y: number;
  /** "C4 · 262 Hz" on a log axis, "2 kHz" on a linear one. */
  label: string;
}

/**
 * Frequency marks for a spectrogram `heightPx` tall showing 0 (or the log floor) to `top` Hz:
 * on a log axis the C of each octave with its frequency ("C4 · 262 Hz", where a musician
 * finds the notes), on a linear axis round numbers ("2 kHz"); most important first, each at
 * least `minGapPx` from the others and from the edges. Returns them top (highest) to bottom.
 */
export function frequencyTicks(top: number, scale: 'linear' | 'log', heightPx: number, minGapPx = 16): FrequencyTick[] {
  const candidates: { hz: number; label: string }[] = [];
  if (scale === 'log') {
    for (const o of C_OCTAVES) candidates.push({ hz: cHz(o), label: `C${o} · ${hzLabel(cHz(o))}` });
  } else {
    const step = niceStep(top / Math.max(1, heightPx / minGapPx));
    for (let hz = step; hz < top; hz += step) candidates.push({ hz, label: hzLabel(hz) });
  }
  const kept: FrequencyTick[] = [];
  for (const { hz, label } of candidates) {
    if (hz <= 0 || hz >= top) continue;
    const y = hzToY(hz, top, scale) * heightPx;
    if (y < minGapPx * 0.75 || y > heightPx - 4) continue;
    if (kept.some((k) => Math.abs(k.y - y) < minGapPx)) continue;
    kept.push({ hz, y, label });
  }
  return kept.sort((a, b) => a.y - b.y);
}

/** 1, 2 or 5 × 10^k at or above `raw`. */
function niceStep(raw: number): number {
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw - 1e-9) return m * p;
  return 10 * p;
}

const NOTE_NAMES = ['C', 'C♯', 'D', 'D♯', 'E', 'F', 'F♯', 'G', 'G♯', 'A', 'A♯', 'B'];

/** The nearest equal-tempered note (A4 = 440 Hz) and how far off: "A4 +3 ct"; empty below 16 Hz. */
export function noteName(hz: number): string {
  if (!(hz >= 16)) return '';
  const midi = 69 + 12 * Math.log2(hz / 440);
  const n = Math.round(midi);
  const cents = Math.round((midi - n) * 100);
  const name = `${NOTE_NAMES[((n % 12) + 12) % 12]}${Math.floor(n / 12) - 1}`;
  return cents === 0 ? name : `${name} ${cents > 0 ? '+' : '−'}${Math.abs(cents)} ct`;
}
