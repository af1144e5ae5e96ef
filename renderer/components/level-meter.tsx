/**
 * The master level: RMS bar with the peak as a tick, −60 to 0 dBFS, drawn every frame from
 * the playback's analyser (a canvas and a data attribute, never React state).
 */
import { useRef } from 'react';
import { useController } from '../app/context';
import { useAnimationFrame } from '../view/use-frame';
import { prepareCanvas } from '../view/canvas';
import { meterFraction } from '../view/meter';

const W = 96;
const H = 10;

export function LevelMeter() {
  const c = useController();
  const ref = useRef<HTMLCanvasElement>(null);
  const held = useRef({ peak: 0, at: 0 });
  useAnimationFrame((now) => {
    const cv = ref.current;
    if (!cv) return;
    const { peak, rms } = c.playback.levels();
    // Hold the peak for a second so a transient can be read.
    if (peak >= held.current.peak || now - held.current.at > 1000) held.current = { peak, at: now };
    const { g, w, h } = prepareCanvas(cv, W, H, '#0d0f12');
    const r = meterFraction(rms) * w;
    const grad = g.createLinearGradient(0, 0, w, 0);
    grad.addColorStop(0, '#3f9a55');
    grad.addColorStop(0.8, '#d8c84a');
    grad.addColorStop(1, '#e5584f');
    g.fillStyle = grad;
    g.fillRect(0, 0, r, h);
    g.fillStyle = held.current.peak >= 1 ? '#ff5b50' : '#e9f3ff';
    g.fillRect(Math.max(0, meterFraction(held.current.peak) * w - 2), 0, 2, h);
    const db = held.current.peak > 0 ? 20 * Math.log10(held.current.peak) : -Infinity;
    cv.dataset.peakDb = Number.isFinite(db) ? db.toFixed(1) : '-inf';
    cv.title = `Output level: peak ${Number.isFinite(db) ? `${db.toFixed(1)} dBFS` : 'silent'}`;
  });
  return <canvas ref={ref} className="level-meter" style={{ width: W, height: H }} aria-label="Level meter" role="img" />;
}
