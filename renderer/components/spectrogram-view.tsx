/**
 * A lane's spectrogram. The whole track is analysed once per FFT size and colour-mapped into
 * an offscreen bitmap as tall as the lane; zoomed in past what that bitmap resolves, the
 * visible stretch is analysed again at one frame per pixel (after the view settles), so a
 * zoom re-renders instead of stretching pixels. A frequency axis with as many labels as fit
 * sits on the left; hovering reads out time, frequency, the nearest note and the level. The
 * notes the engine's transcriber heard are drawn over it as a piano roll (view.showNotes).
 */
import { useEffect, useRef, useState } from 'react';
import { useAppState, useController } from '../app/context';
import type { Spectrogram } from '../../common/audio';
import { levelAt, reusesRows, shownTop, spectrogramPixels, yToHz } from '../view/spectrogram-bitmap';
import { formatHz, formatTime, setReadout } from '../view/readout';
import { frequencyTicks, noteName } from '../view/axes';
import { countRender } from '../view/render-count';
import { prepareCanvas } from '../view/canvas';
import type { ViewState } from '../state/app-state';
import type { NoteEvent } from '../../common/notes';
import { noteRects } from '../view/note-overlay';

/** Tallest bitmap computed, rows (taller lanes scale it up smoothly). */
const MAX_ROWS = 1024;
/** Re-analyse the visible stretch when the whole-track bitmap has fewer frames than this share of the pixels. */
const DETAIL_BELOW = 0.8;
/** Wait for the view to settle before re-analysing, ms. */
const DETAIL_DELAY_MS = 150;
/** Extra analysed either side of the visible stretch, as a share of it (small scrolls need no new analysis). */
const DETAIL_MARGIN = 0.25;

interface Props {
  trackId: string;
  /** Where the track starts on the lane's timeline, seconds. */
  offset: number;
  duration: number;
  sampleRate: number;
  pps: number;
  scroll: number;
  width: number;
  height: number;
  label: string;
}

type Bitmap = { key: string; spec: Spectrogram; canvas: HTMLCanvasElement };
type Detail = { key: string; start: number; end: number; spec: Spectrogram };

/** Colour-map `spec` into `cache` (reused while the spectrogram and the view's colours are the same, and its rows fit `rows`: reusesRows). */
function bitmapOf(cache: { current: Bitmap | null }, spec: Spectrogram, view: ViewState, rows: number): HTMLCanvasElement {
  const key = `${view.colorMap}|${view.dbMin}|${view.dbMax}|${view.freqScale}|${view.freqTop}`;
  if (cache.current?.key !== key || cache.current.spec !== spec || !reusesRows(cache.current.canvas.height, rows)) {
    const px = spectrogramPixels(spec, { height: rows, colorMap: view.colorMap, dbMin: view.dbMin, dbMax: view.dbMax, scale: view.freqScale, top: view.freqTop });
    const off = cache.current?.canvas ?? document.createElement('canvas');
    off.width = spec.frames;
    off.height = rows;
    off.getContext('2d')!.putImageData(new ImageData(px, spec.frames, rows), 0, 0);
    cache.current = { key, spec, canvas: off };
  }
  return cache.current.canvas;
}

export function SpectrogramView({ trackId, offset, duration, sampleRate, pps, scroll, width, height, label }: Props) {
  countRender('SpectrogramView');
  const c = useController();
  const view = useAppState((s) => s.view);
  const ref = useRef<HTMLCanvasElement>(null);
  // Tagged with its track and FFT size: a lane never shows another file's spectrogram stretched.
  const specKey = `${trackId}:${view.nFft}`;
  const [loaded, setLoaded] = useState<{ key: string; spec: Spectrogram } | null>(null);
  const [failed, setFailed] = useState<{ key: string; message: string } | null>(null);
  const [detail, setDetail] = useState<Detail | null>(null);
  const spec = loaded?.key === specKey ? loaded.spec : null;
  const error = failed?.key === specKey ? failed.message : null;
  const [notes, setNotes] = useState<{ trackId: string; notes: NoteEvent[] } | null>(null);
  const heard = view.showNotes && notes?.trackId === trackId ? notes.notes : null;
  const base = useRef<Bitmap | null>(null);
  const fine = useRef<Bitmap | null>(null);

  useEffect(() => {
    let live = true;
    c.tracks.spectrogram(trackId, view.nFft).then(
      (s) => live && setLoaded({ key: specKey, spec: s }),
      (e: unknown) => live && setFailed({ key: specKey, message: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [c, trackId, view.nFft, specKey]);

  // The transcriber's notes, asked for only while the overlay is on.
  useEffect(() => {
    if (!view.showNotes) return;
    let live = true;
    c.tracks.notes(trackId).then(
      (n) => live && setNotes({ trackId, notes: n }),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [c, trackId, view.showNotes]);

  // The visible stretch of the track, seconds from its start.
  const t0 = Math.max(0, scroll - offset);
  const t1 = Math.min(duration, scroll + width / pps - offset);
  const dpr = typeof window === 'undefined' ? 1 : window.devicePixelRatio || 1;
  const wantFrames = Math.round((t1 - t0) * pps * dpr);
  const baseFrames = spec ? ((t1 - t0) / duration) * spec.frames : 0;
  const needDetail = !!spec && t1 > t0 && baseFrames < DETAIL_BELOW * wantFrames;
  const detailKey = `${specKey}`;
  const detailFits =
    !!detail &&
    detail.key === detailKey &&
    detail.start <= t0 + 1e-6 &&
    detail.end >= t1 - 1e-6 &&
    detail.spec.frames >= DETAIL_BELOW * ((wantFrames * (detail.end - detail.start)) / Math.max(1e-9, t1 - t0));

  useEffect(() => {
    if (!needDetail || detailFits) return;
    const abort = new AbortController();
    const timer = setTimeout(() => {
      const margin = (t1 - t0) * DETAIL_MARGIN;
      const range = { start: Math.max(0, t0 - margin), end: Math.min(duration, t1 + margin) };
      const frames = Math.round((wantFrames * (range.end - range.start)) / (t1 - t0));
      c.tracks.detail(trackId, view.nFft, range, sampleRate, frames, abort.signal).then(
        (s) => !abort.signal.aborted && setDetail({ key: detailKey, ...range, spec: s }),
        () => undefined,
      );
    }, DETAIL_DELAY_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [c, trackId, view.nFft, sampleRate, needDetail, detailFits, detailKey, t0, t1, duration, wantFrames]);

  useEffect(() => {
    const cv = ref.current;
    if (!cv) return;
    const { g, w, h, dpr } = prepareCanvas(cv, width, height, '#0b0d10');
    if (!spec || spec.frames === 0) return;
    const rows = Math.min(MAX_ROWS, Math.max(16, h));
    // The finer analysis when it covers what is shown, else the whole track's.
    const src = needDetail && detailFits ? { spec: detail!.spec, start: detail!.start, end: detail!.end, cache: fine } : { spec, start: 0, end: duration, cache: base };
    const bitmap = bitmapOf(src.cache, src.spec, view, rows);
    if (t1 > t0) {
      const span = src.end - src.start;
      const f0 = ((t0 - src.start) / span) * src.spec.frames;
      const f1 = ((t1 - src.start) / span) * src.spec.frames;
      g.imageSmoothingEnabled = true;
      g.imageSmoothingQuality = 'high';
      g.drawImage(bitmap, f0, 0, Math.max(0.01, f1 - f0), bitmap.height, (t0 + offset - scroll) * pps * dpr, 0, (t1 - t0) * pps * dpr, h);
    }
    // The piano roll over it: outlined bars, so the spectrogram stays readable beneath.
    if (heard) {
      g.lineWidth = Math.max(1, dpr);
      for (const r of noteRects(heard, { offset, scroll, pps, dpr, width: w, height: h, nyquist: shownTop(spec.sampleRate / 2, view.freqTop), scale: view.freqScale })) {
        g.fillStyle = `rgba(120, 220, 255, ${0.25 * r.alpha})`;
        g.strokeStyle = `rgba(160, 235, 255, ${r.alpha})`;
        g.fillRect(r.x, r.y, r.w, r.h);
        g.strokeRect(r.x, r.y, r.w, r.h);
      }
    }
    // Frequency axis: as many round-number labels as fit, with guide lines.
    g.font = `${10 * dpr}px ui-monospace, monospace`;
    g.strokeStyle = 'rgba(255,255,255,0.10)';
    for (const { y, label: text } of frequencyTicks(shownTop(spec.sampleRate / 2, view.freqTop), view.freqScale, h / dpr)) {
      const py = y * dpr;
      g.beginPath();
      g.moveTo(26 * dpr, py);
      g.lineTo(w, py);
      g.stroke();
      g.fillStyle = 'rgba(11,13,16,0.7)';
      g.fillRect(0, py - 6 * dpr, g.measureText(text).width + 5 * dpr, 11 * dpr);
      g.fillStyle = 'rgba(255,255,255,0.75)';
      g.fillText(text, 2 * dpr, py + 3.5 * dpr);
    }
  }, [spec, detail, needDetail, detailFits, view, pps, scroll, width, height, offset, duration, t0, t1, heard]);

  const onMove = (e: React.MouseEvent<HTMLCanvasElement>) => {
    if (!spec) return;
    const r = e.currentTarget.getBoundingClientRect();
    const t = scroll + (e.clientX - r.left) / pps;
    const hz = yToHz((e.clientY - r.top) / r.height, shownTop(spec.sampleRate / 2, view.freqTop), view.freqScale);
    const frame = ((t - offset) / duration) * spec.frames;
    const db = levelAt(spec, frame, hz);
    setReadout(`${formatTime(t)}  ${formatHz(hz)} ${noteName(hz)}  ${Number.isNaN(db) ? '—' : `${db.toFixed(1)} dB`}`);
  };

  return (
    <div className="spectro-wrap">
      <canvas
        ref={ref}
        className="spectrogram"
        style={{ width, height }}
        aria-label={label}
        role="img"
        data-detail={needDetail && detailFits ? 'zoomed' : 'whole'}
        data-notes={heard ? heard.length : undefined}
        onMouseMove={onMove}
        onMouseLeave={() => setReadout('')}
      />
      {error ? (
        <div className="lane-error inline" role="alert">
          Spectrogram unavailable: {error}
        </div>
      ) : !spec ? (
        <div className="spectro-loading">Analysing…</div>
      ) : null}
    </div>
  );
}
