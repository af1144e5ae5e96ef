/**
 * The lane stack: a view toolbar (colour map, dB range, frequency axis, zoom, scroll), a
 * time ruler, the lanes, and one playhead across all of them. Zoom and scroll are shared;
 * the playhead moves in a requestAnimationFrame loop without touching React state.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useAppState, useController } from '../app/context';
import { COLOR_MAPS, type ColorMapName } from '../state/app-state';
import * as A from '../state/actions';
import { TrackLane, HEADER_W } from './track-lane';
import { bindReadout, formatTime } from '../view/readout';
import { useAnimationFrame } from '../view/use-frame';
import { lutCss } from '../view/colormap';
import { countRender } from '../view/render-count';

/** Longest timeline of all lanes, seconds. */
function useTimeline(): number {
  return useAppState((s) => {
    let end = 0;
    for (const id of A.laneOrder(s)) {
      const t = s.tracks[id];
      if (t) end = Math.max(end, (t.take?.region?.start ?? 0) + t.info.duration);
    }
    return end || 10;
  });
}

/** A "nice" tick step (1, 2, 5 × 10^k seconds) giving ticks at least `minPx` apart. */
function tickStep(pps: number, minPx = 70): number {
  const raw = minPx / pps;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

export function Lanes() {
  countRender('Lanes');
  const c = useController();
  const view = useAppState((s) => s.view);
  const contentId = useAppState((s) => s.contentId);
  const styleId = useAppState((s) => s.styleId);
  const takeIds = useAppState((s) => s.takeIds);
  const region = useAppState((s) => s.region);
  const total = useTimeline();
  const wrapRef = useRef<HTMLDivElement>(null);
  const lanesRef = useRef<HTMLDivElement>(null);
  const playheadRef = useRef<HTMLDivElement>(null);
  const readoutRef = useRef<HTMLSpanElement>(null);
  const [bodyW, setBodyW] = useState(800);

  useLayoutEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setBodyW(Math.max(100, el.clientWidth - HEADER_W - 2)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  useEffect(() => {
    bindReadout(readoutRef.current);
    return () => bindReadout(null);
  }, []);

  const fit = bodyW / total;
  const pps = Math.max(fit, view.pxPerSecond || fit);
  const visible = bodyW / pps;
  const maxScroll = Math.max(0, total - visible);
  const scroll = Math.min(view.scroll, maxScroll);
  const zoom = pps / fit;

  const setZoom = (z: number, anchor = scroll + visible / 2) => {
    const nz = Math.max(1, Math.min(256, z));
    const npps = fit * nz;
    const nvis = bodyW / npps;
    const ns = Math.max(0, Math.min(total - nvis, anchor - (anchor - scroll) * (pps / npps)));
    c.store.dispatch(A.setView, { pxPerSecond: nz === 1 ? 0 : npps, scroll: nz === 1 ? 0 : ns });
  };

  // Playhead: position → pixels every frame. When the playhead itself leaves the view (it
  // played past the edge, or a loop or seek jumped it), page the view to follow; when the
  // person scrolled or zoomed away from it, leave their view alone.
  const lastFrame = useRef({ inView: true, scroll, pps });
  useAnimationFrame(() => {
    const ph = playheadRef.current;
    if (!ph) return;
    const t = c.playback.position();
    const x = (t - scroll) * pps;
    const inView = x >= 0 && x <= bodyW;
    ph.style.transform = `translateX(${x.toFixed(1)}px)`;
    ph.style.visibility = inView ? 'visible' : 'hidden';
    const prev = lastFrame.current;
    const sameView = prev.scroll === scroll && prev.pps === pps;
    lastFrame.current = { inView, scroll, pps };
    if (c.playback.isPlaying() && zoom > 1.001 && sameView && prev.inView && !inView) {
      c.store.dispatch(A.setView, { scroll: Math.min(maxScroll, Math.max(0, t - visible * 0.05)) });
    }
  });

  const onWheel = (e: WheelEvent) => {
    const lanes = lanesRef.current;
    if (!lanes) return;
    if (e.ctrlKey || e.metaKey) {
      // Ours, not the browser's page zoom (which Ctrl+wheel would otherwise also do).
      e.preventDefault();
      const rect = lanes.getBoundingClientRect();
      const anchor = scroll + (e.clientX - rect.left - HEADER_W) / pps;
      setZoom(zoom * Math.pow(1.0015, -e.deltaY), anchor);
    } else if (zoom > 1.001 && (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY))) {
      e.preventDefault();
      const d = (e.shiftKey ? e.deltaY : e.deltaX) / pps;
      c.store.dispatch(A.setView, { scroll: Math.max(0, Math.min(maxScroll, scroll + d)) });
    }
  };
  // React's wheel listeners are passive, so preventDefault would be ignored there: bind a
  // native one that always calls the latest handler.
  const wheelRef = useRef(onWheel);
  wheelRef.current = onWheel;
  useEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const l = (e: WheelEvent) => wheelRef.current(e);
    el.addEventListener('wheel', l, { passive: false });
    return () => el.removeEventListener('wheel', l);
  }, []);

  const seekAt = (e: React.MouseEvent) => {
    const rect = e.currentTarget.getBoundingClientRect();
    c.playback.seek(scroll + (e.clientX - rect.left) / pps);
  };

  const step = tickStep(pps);
  const ticks: number[] = [];
  for (let t = Math.ceil(scroll / step) * step; t <= scroll + visible; t += step) ticks.push(t);

  return (
    <div className="lanes-wrap" ref={wrapRef}>
      <div className="view-toolbar" role="toolbar" aria-label="Spectrogram view">
        <label>
          Colour
          <select aria-label="Colour map" value={view.colorMap} onChange={(e) => c.store.dispatch(A.setView, { colorMap: e.target.value as ColorMapName })}>
            {COLOR_MAPS.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <span className="legend" aria-hidden="true" style={{ background: `linear-gradient(90deg, ${[0, 0.25, 0.5, 0.75, 1].map((v) => lutCss(view.colorMap, v)).join(',')})` }} />
        <label>
          Floor
          <input aria-label="Spectrogram floor (dB)" type="number" step={6} min={-160} max={-6} value={view.dbMin} onChange={(e) => e.target.value !== '' && c.store.dispatch(A.setView, { dbMin: Number(e.target.value) })} />
          <span className="unit">dB</span>
        </label>
        <label>
          Ceiling
          <input aria-label="Spectrogram ceiling (dB)" type="number" step={6} min={-100} max={40} value={view.dbMax} onChange={(e) => e.target.value !== '' && c.store.dispatch(A.setView, { dbMax: Number(e.target.value) })} />
          <span className="unit">dB</span>
        </label>
        <label>
          Frequency
          <select aria-label="Frequency axis" value={view.freqScale} onChange={(e) => c.store.dispatch(A.setView, { freqScale: e.target.value as 'linear' | 'log' })}>
            <option value="log">log</option>
            <option value="linear">linear</option>
          </select>
        </label>
        <span className="sep" />
        <button className="small" aria-label="Zoom out" title="Zoom out (Ctrl+wheel)" onClick={() => setZoom(zoom / 2)} disabled={zoom <= 1.001}>
          −
        </button>
        <span className="mono zoom-read" aria-label="Zoom level">
          {zoom.toFixed(zoom < 10 ? 1 : 0)}×
        </span>
        <button className="small" aria-label="Zoom in" title="Zoom in (Ctrl+wheel)" onClick={() => setZoom(zoom * 2)}>
          +
        </button>
        <button className="small" aria-label="Zoom to fit" onClick={() => setZoom(1)}>
          Fit
        </button>
        <input
          className="scroll"
          type="range"
          aria-label="Scroll"
          min={0}
          max={Math.max(0, maxScroll)}
          step={visible / 100 || 0.01}
          value={scroll}
          disabled={maxScroll <= 0}
          title="Scroll (Shift+wheel)"
          onChange={(e) => c.store.dispatch(A.setView, { scroll: Number(e.target.value) })}
        />
      </div>
      <div className="lanes" role="list" ref={lanesRef}>
        <div className="ruler-row">
          {/* Over the ruler's right end, shown only while hovering a spectrogram. */}
          <span className="readout mono" aria-label="Hover read-out" ref={readoutRef} />
          <div className="ruler-head mono" style={{ width: HEADER_W }}>
            {formatTime(scroll)}
          </div>
          <div className="ruler" aria-label="Timeline: click to move the playhead" onMouseDown={seekAt} style={{ width: bodyW }}>
            {ticks.map((t) => (
              <span key={t.toFixed(4)} className="tick mono" style={{ left: (t - scroll) * pps }}>
                {step >= 1 ? `${Math.floor(t / 60)}:${String(Math.round(t % 60)).padStart(2, '0')}` : `${t.toFixed(step >= 0.1 ? 1 : 2)}s`}
              </span>
            ))}
          </div>
        </div>
        <TrackLane lane="content" trackId={contentId} index={0} pps={pps} scroll={scroll} width={bodyW} />
        <TrackLane lane="style" trackId={styleId} index={1} pps={pps} scroll={scroll} width={bodyW} />
        {takeIds.map((id, i) => (
          <TrackLane key={id} lane={`take:${id}`} trackId={id} index={i + 2} pps={pps} scroll={scroll} width={bodyW} />
        ))}
        <div className="overlay" style={{ left: HEADER_W, width: bodyW }} aria-hidden="true">
          {region ? <div className="region-shade" style={{ left: (region.start - scroll) * pps, width: (region.end - region.start) * pps }} /> : null}
          <div className="playhead" ref={playheadRef} data-testid="playhead" />
        </div>
      </div>
    </div>
  );
}
