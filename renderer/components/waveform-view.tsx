/** A lane's waveform on a canvas, drawn from cached min/max peaks for the visible window. */
import { useEffect, useRef, useState } from 'react';
import { useController } from '../app/context';
import { columnPeaks, computePeaks, type Peaks } from '../view/peaks';
import { countRender } from '../view/render-count';
import { prepareCanvas } from '../view/canvas';

const H = 34;
const peakCache = new WeakMap<object, Peaks>();

interface Props {
  trackId: string;
  offset: number;
  duration: number;
  pps: number;
  scroll: number;
  width: number;
}

export function WaveformView({ trackId, offset, pps, scroll, width }: Props) {
  countRender('WaveformView');
  const c = useController();
  const ref = useRef<HTMLCanvasElement>(null);
  // Tagged with its track, so a lane never shows the previous file's waveform.
  const [loaded, setLoaded] = useState<{ trackId: string; peaks: Peaks } | null>(null);
  const peaks = loaded?.trackId === trackId ? loaded.peaks : null;

  useEffect(() => {
    let live = true;
    c.tracks.audio(trackId).then(
      (a) => {
        let p = peakCache.get(a);
        if (!p) {
          p = computePeaks(a.channels, a.sampleRate);
          peakCache.set(a, p);
        }
        if (live) setLoaded({ trackId, peaks: p });
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [c, trackId]);

  useEffect(() => {
    const cv = ref.current;
    if (!cv) return;
    const { g, w, h, dpr } = prepareCanvas(cv, width, H, '#101318');
    g.fillStyle = '#2a2f38';
    g.fillRect(0, h / 2, w, Math.max(1, dpr * 0.5));
    if (!peaks) return;
    const cols = columnPeaks(peaks, scroll, pps * dpr, w, offset);
    g.fillStyle = '#7fb7e6';
    for (let x = 0; x < w; x++) {
      if (Number.isNaN(cols.min[x])) continue;
      const y0 = (0.5 - Math.min(1, cols.max[x]) * 0.48) * h;
      const y1 = (0.5 - Math.max(-1, cols.min[x]) * 0.48) * h;
      g.fillRect(x, y0, 1, Math.max(1, y1 - y0));
    }
  }, [peaks, pps, scroll, width, offset]);

  return <canvas ref={ref} className="waveform" style={{ width, height: H }} aria-hidden="true" />;
}
