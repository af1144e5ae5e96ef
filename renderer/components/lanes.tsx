/**
 * The lane stack: a view toolbar (colour map, dB range, frequency axis, FFT size, zoom,
 * scroll), a time ruler, and the lanes, each with its own playhead. The timeline is as long
 * as the content and the takes; each lane shows its own length on it, and a style longer
 * than the timeline scrolls in its own lane. The playheads move in a requestAnimationFrame
 * loop without touching React state.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useAppFields, useAppState, useController } from '../app/context';
import { COLOR_MAPS, DISPLAY_FFT_SIZES, FREQ_TOPS, fitLaneHeights, type ColorMapName, type DisplayFftSize } from '../state/app-state';
import * as A from '../state/actions';
import { TrackLane, HEADER_W } from './track-lane';
import { STREAM_LANE_HEIGHT, StreamLane } from './stream-lane';
import { bindReadout, formatTime } from '../view/readout';
import { useAnimationFrame } from '../view/use-frame';
import { lutCss } from '../view/colormap';
import { hzLabel, tickLabel, tickStep, ticks as ticksOf } from '../view/axes';
import { countRender } from '../view/render-count';
import { followPointer } from '../view/drag';
import { OptionList } from './option-list';

/** The timeline: as long as the content and the takes (the style may be longer and scrolls by itself), seconds. */
function useTimeline(): number {
  return useAppState((s) => {
    let end = 0;
    for (const id of [s.contentId, ...s.takeIds]) {
      const t = id ? s.tracks[id] : undefined;
      if (t) end = Math.max(end, (t.take?.region?.start ?? 0) + t.info.duration);
    }
    return end || (s.styleId ? s.tracks[s.styleId]?.info.duration : 0) || 10;
  });
}

export function Lanes() {
  countRender('Lanes');
  const c = useController();
  const { view, contentId, styleId, takeIds } = useAppFields('view', 'contentId', 'styleId', 'takeIds');
  const styleDuration = useAppState((s) => (s.styleId ? (s.tracks[s.styleId]?.info.duration ?? 0) : 0));
  const total = useTimeline();
  const wrapRef = useRef<HTMLDivElement>(null);
  const lanesRef = useRef<HTMLDivElement>(null);
  const readoutRef = useRef<HTMLSpanElement>(null);
  const [bodyW, setBodyW] = useState(800);
  const [stackH, setStackH] = useState(400);

  useLayoutEffect(() => {
    const el = wrapRef.current;
    const stack = lanesRef.current;
    if (!el || !stack) return;
    const ro = new ResizeObserver(() => {
      setBodyW(Math.max(100, el.clientWidth - HEADER_W - 2));
      // The lanes share the stack's height (the ruler is above it).
      setStackH(stack.clientHeight);
    });
    ro.observe(el);
    ro.observe(stack);
    return () => ro.disconnect();
  }, []);

  const laneKeys = ['content', 'style', ...takeIds.map((id) => `take:${id}`)];
  // The streaming take's or live loop's lane has its own height: the others share what is left.
  const streamLane = useAppState((s) => !!s.stream || s.live.on);
  const heights = fitLaneHeights(laneKeys, view.laneHeights, stackH - laneKeys.length - (streamLane ? STREAM_LANE_HEIGHT + 1 : 0));

  // A take that has just arrived is brought into sight (the stack may be taller than the window).
  const seenTakes = useRef(takeIds);
  useEffect(() => {
    const fresh = takeIds.filter((id) => !seenTakes.current.includes(id));
    seenTakes.current = takeIds;
    const last = fresh[fresh.length - 1];
    const el = last ? lanesRef.current?.querySelector<HTMLElement>(`[data-lane="take:${CSS.escape(last)}"]`) : null;
    el?.scrollIntoView({ block: 'nearest' });
  }, [takeIds]);
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

  // A style longer than the timeline keeps its own scroll, within its length.
  const styleMax = Math.max(0, styleDuration - visible);
  const styleOwn = styleDuration > total + 1e-6;
  const styleScroll = styleOwn ? Math.min(view.styleScroll, styleMax) : scroll;

  // Playheads: position → pixels every frame, in each lane at that lane's scroll. When the
  // playhead itself leaves the view (it played past the edge, or a loop or seek jumped it),
  // page the view to follow; when the person scrolled or zoomed away from it, leave their
  // view alone.
  const lastFrame = useRef({ inView: true, scroll, pps });
  useAnimationFrame(() => {
    const lanes = lanesRef.current;
    if (!lanes) return;
    const t = c.playback.position();
    for (const body of lanes.querySelectorAll<HTMLElement>('.lane-body')) {
      const ph = body.querySelector<HTMLElement>('.playhead');
      if (!ph) continue;
      const x = (t - Number(body.dataset.viewStart)) * pps;
      ph.style.transform = `translateX(${x.toFixed(1)}px)`;
      ph.style.visibility = x >= 0 && x <= bodyW ? 'visible' : 'hidden';
    }
    const x = (t - scroll) * pps;
    const inView = x >= 0 && x <= bodyW;
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
    if (e.altKey) {
      // Alt+wheel zooms the frequency axis through the tops the toolbar offers.
      e.preventDefault();
      const i = Math.max(0, FREQ_TOPS.indexOf(c.store.getState().view.freqTop as (typeof FREQ_TOPS)[number]));
      const next = FREQ_TOPS[Math.max(0, Math.min(FREQ_TOPS.length - 1, i + (e.deltaY < 0 ? 1 : -1)))];
      c.store.dispatch(A.setView, { freqTop: next });
    } else if (e.ctrlKey || e.metaKey) {
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

  /** Click or drag on the ruler: the playhead follows the pointer. */
  const seekDrag = (e: React.MouseEvent) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const at = (x: number) => c.transport.seek(scroll + (x - rect.left) / pps);
    at(e.clientX);
    followPointer((ev) => at(ev.clientX));
  };

  const step = tickStep(pps);
  const ticks = ticksOf(scroll, scroll + visible, step);

  return (
    <div className="lanes-wrap" ref={wrapRef}>
      <div className="view-toolbar" role="toolbar" aria-label="Spectrogram view">
        <label>
          Colour
          <select aria-label="Colour map" value={view.colorMap} onChange={(e) => c.store.dispatch(A.setView, { colorMap: e.target.value as ColorMapName })}>
            <OptionList values={COLOR_MAPS} />
          </select>
        </label>
        <label title="Levels: the one shown darkest (anything quieter looks the same), the colour legend, and the one shown brightest">
          Level
          <input
            aria-label="Spectrogram floor (dB)"
            type="number"
            step={6}
            min={-160}
            max={-6}
            value={view.dbMin}
            onChange={(e) => e.target.value !== '' && c.store.dispatch(A.setView, { dbMin: Number(e.target.value) })}
          />
        </label>
        <span
          className="legend"
          role="img"
          aria-label={`Colour legend: ${view.dbMin} dB darkest to ${view.dbMax} dB brightest`}
          title={`Colour legend: levels from ${view.dbMin} dB (left) to ${view.dbMax} dB (right), dB relative to full scale`}
          style={{ background: `linear-gradient(90deg, ${[0, 0.25, 0.5, 0.75, 1].map((v) => lutCss(view.colorMap, v)).join(',')})` }}
        >
          <span className="legend-mid mono">{Math.round((view.dbMin + view.dbMax) / 2)}</span>
        </span>
        <label>
          <input
            aria-label="Spectrogram ceiling (dB)"
            type="number"
            step={6}
            min={-100}
            max={40}
            value={view.dbMax}
            onChange={(e) => e.target.value !== '' && c.store.dispatch(A.setView, { dbMax: Number(e.target.value) })}
          />
          <span className="unit">dB</span>
        </label>
        <label title="Frequency axis: log (octaves equally tall, as a musician hears them) or linear">
          Axis
          <select aria-label="Frequency axis" value={view.freqScale} onChange={(e) => c.store.dispatch(A.setView, { freqScale: e.target.value as 'linear' | 'log' })}>
            <option value="log">log</option>
            <option value="linear">linear</option>
          </select>
        </label>
        <label title="Draw the notes the transcriber hears over each spectrogram">
          <input type="checkbox" aria-label="Show notes" checked={view.showNotes} onChange={(e) => c.store.dispatch(A.setView, { showNotes: e.target.checked })} />
          Notes
        </label>
        <label title="Frequency zoom: the highest frequency the spectrograms show (Alt+wheel over a spectrogram)">
          Top
          <select aria-label="Highest frequency shown" value={view.freqTop} onChange={(e) => c.store.dispatch(A.setView, { freqTop: Number(e.target.value) })}>
            <OptionList values={FREQ_TOPS} show={(hz) => (hz === 0 ? 'all' : hzLabel(hz))} />
          </select>
        </label>
        <label title="FFT size of the spectrograms: larger shows pitch more finely, smaller shows timing more sharply">
          FFT
          <select aria-label="Spectrogram FFT size" value={view.nFft} onChange={(e) => c.store.dispatch(A.setView, { nFft: Number(e.target.value) as DisplayFftSize })}>
            <OptionList values={DISPLAY_FFT_SIZES} />
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
      <div className="ruler-row">
        {/* Over the ruler's right end, shown only while hovering a spectrogram. */}
        <span className="readout mono" aria-label="Hover read-out" ref={readoutRef} />
        <div className="ruler-head mono" style={{ width: HEADER_W }}>
          {formatTime(scroll)}
        </div>
        <div className="ruler" aria-label="Timeline: click or drag to move the playhead" onMouseDown={seekDrag} style={{ width: bodyW }}>
          {ticks.map((t) => (
            <span key={t.toFixed(6)} className="tick mono" style={{ left: (t - scroll) * pps }}>
              {tickLabel(t, step)}
            </span>
          ))}
        </div>
      </div>
      <div className="lanes" role="list" ref={lanesRef}>
        <TrackLane lane="content" trackId={contentId} index={0} pps={pps} scroll={scroll} width={bodyW} height={heights.content} />
        <TrackLane
          lane="style"
          trackId={styleId}
          index={1}
          pps={pps}
          scroll={styleScroll}
          width={bodyW}
          height={heights.style}
          ownScroll={styleOwn ? { max: styleMax, onScroll: (v) => c.store.dispatch(A.setView, { styleScroll: v }) } : undefined}
        />
        {takeIds.map((id, i) => (
          <TrackLane key={id} lane={`take:${id}`} trackId={id} index={i + 2} pps={pps} scroll={scroll} width={bodyW} height={heights[`take:${id}`]} />
        ))}
        <StreamLane pps={pps} scroll={scroll} width={bodyW} />
      </div>
    </div>
  );
}
