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

/** "1k", "1.5k", "250". */
export const hzLabel = (hz: number): string => (hz >= 1000 ? `${Number((hz / 1000).toFixed(2))}k` : String(Math.round(hz)));

/**
 * Frequency marks for a spectrogram `heightPx` tall: round numbers, most important first
 * (decades, then 2 and 5, then the rest), each at least `minGapPx` from the others and
 * from the edges. Returns them top (highest) to bottom with their y in px.
 */
export function frequencyTicks(nyquist: number, scale: 'linear' | 'log', heightPx: number, minGapPx = 16): { hz: number; y: number }[] {
  const candidates: number[] = [];
  if (scale === 'log') {
    const steps = [[1], [2, 5], [3], [1.5, 4, 7], [6, 8, 9], [2.5, 1.2, 1.7]];
    for (const group of steps) for (let e = 1; e <= 5; e++) for (const m of group) candidates.push(m * Math.pow(10, e));
  } else {
    const step = niceStep(nyquist / Math.max(1, heightPx / minGapPx));
    for (let hz = step; hz < nyquist; hz += step) candidates.push(hz);
  }
  const kept: { hz: number; y: number }[] = [];
  for (const hz of candidates) {
    if (hz <= 0 || hz >= nyquist) continue;
    const y = hzToY(hz, nyquist, scale) * heightPx;
    if (y < minGapPx * 0.75 || y > heightPx - 4) continue;
    if (kept.some((k) => Math.abs(k.y - y) < minGapPx)) continue;
    kept.push({ hz, y });
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
