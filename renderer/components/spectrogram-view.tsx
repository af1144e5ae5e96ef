/**
 * A lane's spectrogram: the engine's dB spectrogram colour-mapped once into an offscreen
 * bitmap (per colour map / dB range / axis), then the visible time window drawn scaled on
 * every zoom or scroll. Hovering writes time, frequency and level to the read-out.
 */
import { useEffect, useRef, useState } from 'react';
import { useAppState, useController } from '../app/context';
import type { Spectrogram } from '../../common/audio';
import { hzToY, levelAt, spectrogramPixels, yToHz } from '../view/spectrogram-bitmap';
import { formatHz, formatTime, setReadout } from '../view/readout';
import { countRender } from '../view/render-count';
import { prepareCanvas } from '../view/canvas';

/** Bitmap rows (frequency resolution of the cached image). */
const ROWS = 256;
const H = 92;

interface Props {
  trackId: string;
  offset: number;
  duration: number;
  pps: number;
  scroll: number;
  width: number;
  label: string;
}

export function SpectrogramView({ trackId, offset, duration, pps, scroll, width, label }: Props) {
  countRender('SpectrogramView');
  const c = useController();
  const view = useAppState((s) => s.view);
  const ref = useRef<HTMLCanvasElement>(null);
  // Tagged with its track: when the lane gets a new file, the old track's spectrogram is
  // not drawn stretched over the new one's timeline while the new one is analysed.
  const [loaded, setLoaded] = useState<{ trackId: string; spec: Spectrogram } | null>(null);
  const [failed, setFailed] = useState<{ trackId: string; message: string } | null>(null);
  const spec = loaded?.trackId === trackId ? loaded.spec : null;
  const error = failed?.trackId === trackId ? failed.message : null;
  const bitmapRef = useRef<{ key: string; spec: Spectrogram; canvas: HTMLCanvasElement } | null>(null);

  useEffect(() => {
    let live = true;
    c.tracks.spectrogram(trackId).then(
      (s) => live && setLoaded({ trackId, spec: s }),
      (e: unknown) => live && setFailed({ trackId, message: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [c, trackId]);

  useEffect(() => {
    const cv = ref.current;
    if (!cv) return;
    const { g, w, h, dpr } = prepareCanvas(cv, width, H, '#0b0d10');
    if (!spec || spec.frames === 0) return;
    const key = `${view.colorMap}|${view.dbMin}|${view.dbMax}|${view.freqScale}`;
    if (bitmapRef.current?.key !== key || bitmapRef.current.spec !== spec) {
      const px = spectrogramPixels(spec, { height: ROWS, colorMap: view.colorMap, dbMin: view.dbMin, dbMax: view.dbMax, scale: view.freqScale });
      const off = bitmapRef.current?.canvas ?? document.createElement('canvas');
      off.width = spec.frames;
      off.height = ROWS;
      off.getContext('2d')!.putImageData(new ImageData(px, spec.frames, ROWS), 0, 0);
      bitmapRef.current = { key, spec, canvas: off };
    }
    // Track spans [offset, offset + duration] s; frames spread evenly over it.
    const t0 = Math.max(scroll, offset);
    const t1 = Math.min(scroll + width / pps, offset + duration);
    if (t1 > t0) {
      const f0 = ((t0 - offset) / duration) * spec.frames;
      const f1 = ((t1 - offset) / duration) * spec.frames;
      g.imageSmoothingEnabled = (f1 - f0) > w;
      g.drawImage(bitmapRef.current.canvas, f0, 0, Math.max(0.01, f1 - f0), ROWS, (t0 - scroll) * pps * dpr, 0, (t1 - t0) * pps * dpr, h);
    }
    // Frequency guides.
    g.font = `${10 * dpr}px ui-monospace, monospace`;
    g.fillStyle = 'rgba(255,255,255,0.55)';
    g.strokeStyle = 'rgba(255,255,255,0.10)';
    const nyq = spec.sampleRate / 2;
    for (const hz of [100, 1000, 5000, 10000]) {
      if (hz >= nyq) continue;
      const y = hzToY(hz, nyq, view.freqScale) * h;
      if (y < 10 * dpr || y > h - 2) continue;
      g.beginPath();
      g.moveTo(0, y);
      g.lineTo(w, y);
      g.stroke();
      g.fillText(hz >= 1000 ? `${hz / 1000}k` : String(hz), 3 * dpr, y - 2 * dpr);
    }
  }, [spec, view, pps, scroll, width, offset, duration]);

  const onMove = (e: React.MouseEvent<HTMLCanvasElement>) => {
    if (!spec) return;
    const r = e.currentTarget.getBoundingClientRect();
    const t = scroll + (e.clientX - r.left) / pps;
    const hz = yToHz((e.clientY - r.top) / r.height, spec.sampleRate / 2, view.freqScale);
    const frame = ((t - offset) / duration) * spec.frames;
    const db = levelAt(spec, frame, hz);
    setReadout(`${formatTime(t)}  ${formatHz(hz)}  ${Number.isNaN(db) ? '—' : `${db.toFixed(1)} dB`}`);
  };

  return (
    <div className="spectro-wrap">
      <canvas ref={ref} className="spectrogram" style={{ width, height: H }} aria-label={label} role="img" onMouseMove={onMove} onMouseLeave={() => setReadout('')} />
      {error ? <div className="lane-error inline" role="alert">Spectrogram unavailable: {error}</div> : !spec ? <div className="spectro-loading">Analysing…</div> : null}
    </div>
  );
}
