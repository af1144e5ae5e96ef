/**
 * The hover read-out (time, frequency, level) and other per-frame text: written straight to
 * a DOM node so pointer moves never re-render React.
 */
let target: HTMLElement | null = null;

/** Register the element that shows the read-out (null to unregister). */
export function bindReadout(el: HTMLElement | null): void {
  target = el;
}

export function setReadout(text: string): void {
  if (target) target.textContent = text;
}

/** mm:ss.mmm for a time in seconds. */
export function formatTime(s: number): string {
  const t = Math.max(0, s);
  const m = Math.floor(t / 60);
  const sec = t - m * 60;
  return `${String(m).padStart(2, '0')}:${sec.toFixed(3).padStart(6, '0')}`;
}

/** 440 Hz, 1.25 kHz. */
export function formatHz(hz: number): string {
  return hz >= 1000 ? `${(hz / 1000).toFixed(2)} kHz` : `${Math.round(hz)} Hz`;
}
