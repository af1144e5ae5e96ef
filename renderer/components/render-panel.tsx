/**
 * Render: the button, the region, the running job's phase/progress/time left, a live chart
 * of every loss term, a live preview of the spectrogram converging, Cancel, and the queue.
 */
import { useEffect, useRef, useState } from 'react';
import { useAppFields, useAppState, useController } from '../app/context';
import * as A from '../state/actions';
import type { LossPoint, RenderJob } from '../state/app-state';
import { renderFraction, type RenderPhase, type RenderProgress } from '../../common/audio';
import { LOSS_TERM_TABLE, type LossTermName } from '../../common/loss-terms';
import { problemsOf } from '../state/preset-edit';
import { previewPixels } from '../view/spectrogram-bitmap';
import { NumberField } from './number-field';
import { GridDialog } from './grid-dialog';
import { takeTooltip } from '../view/take-summary';
import { countRender } from '../view/render-count';
import { estimateSeconds, formatEstimate, slowStreamNote } from '../state/render-estimate';

/** The chart's series: the weighted total, then the terms (named by the sliders' symbols). */
const SERIES: { key: 'total' | LossTermName; symbol: string; name: string; colour: string }[] = [
  { key: 'total', symbol: 'Σ', name: 'Σ total (weighted)', colour: '#e6e6e6' },
  ...LOSS_TERM_TABLE.map((t) => ({ key: t.name, symbol: t.symbol, name: `${t.symbol} ${t.label.toLowerCase()}`, colour: t.colour })),
];
/** The series a job shows: the total and every term its preset weighs. */
const seriesOf = (job: RenderJob | undefined) => SERIES.filter((s) => s.key === 'total' || (job?.preset.weights[s.key] ?? 0) > 0);
const PHASE_TEXT: Record<RenderPhase, string> = { decode: 'Decoding', analyse: 'Analysing', optimise: 'Optimising', reconstruct: 'Reconstructing (Griffin-Lim)', encode: 'Encoding' };

/** Overall fraction done, 0..1, from a progress event (a long file's segments included). */
export function overallProgress(p: RenderProgress | undefined): number {
  return p ? renderFraction(p) : 0;
}

const fmtSecs = (s: number) => (s >= 60 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${s.toFixed(s < 10 ? 1 : 0)} s`);

/** A canvas's CSS size, followed as the layout changes (so a drawing is redone at the new size, not stretched). */
function useCanvasSize(ref: React.RefObject<HTMLCanvasElement | null>): string {
  const [size, setSize] = useState('');
  useEffect(() => {
    const cv = ref.current;
    if (!cv) return;
    const ro = new ResizeObserver(() => setSize(`${cv.clientWidth}x${cv.clientHeight}`));
    ro.observe(cv);
    return () => ro.disconnect();
  }, [ref]);
  return size;
}

function LossChart({ history, job }: { history: LossPoint[]; job: RenderJob | undefined }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const size = useCanvasSize(ref);
  useEffect(() => {
    const cv = ref.current;
    if (!cv) return;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(cv.clientWidth * dpr);
    const h = Math.round(cv.clientHeight * dpr);
    cv.width = w;
    cv.height = h;
    const g = cv.getContext('2d')!;
    g.fillStyle = '#0e1014';
    g.fillRect(0, 0, w, h);
    g.strokeStyle = '#22262e';
    for (let i = 1; i < 4; i++) {
      g.beginPath();
      g.moveTo(0, (i * h) / 4);
      g.lineTo(w, (i * h) / 4);
      g.stroke();
    }
    if (history.length < 1) {
      g.fillStyle = '#5d6470';
      g.font = `${11 * dpr}px system-ui, sans-serif`;
      g.fillText('Loss terms appear here while rendering', 8 * dpr, h / 2);
      return;
    }
    const series: [string, number[]][] = seriesOf(job).map((s) => [s.colour, history.map((p) => (s.key === 'total' ? p.loss : p.terms[s.key]))]);
    let lo = Infinity;
    let hi = -Infinity;
    for (const [, v] of series) {
      for (const x of v) {
        if (x > 0) {
          lo = Math.min(lo, x);
          hi = Math.max(hi, x);
        }
      }
    }
    if (!Number.isFinite(lo)) return;
    const l0 = Math.floor(Math.log10(lo));
    const l1 = Math.max(l0 + 1, Math.ceil(Math.log10(hi)));
    const n = history.length;
    const x0 = history[0].step;
    const x1 = Math.max(x0 + 1, history[n - 1].step);
    g.lineWidth = 1.5 * dpr;
    for (const [colour, v] of series) {
      g.strokeStyle = colour;
      g.beginPath();
      let started = false;
      v.forEach((val, i) => {
        if (!(val > 0)) return;
        const x = ((history[i].step - x0) / (x1 - x0)) * (w - 4 * dpr) + 2 * dpr;
        const y = h - ((Math.log10(val) - l0) / (l1 - l0)) * (h - 6 * dpr) - 3 * dpr;
        // Each segment's losses are a curve of their own: no line joins one to the next.
        if (started && history[i].segment === history[i - 1]?.segment) g.lineTo(x, y);
        else {
          g.moveTo(x, y);
          started = true;
        }
      });
      g.stroke();
    }
    g.fillStyle = '#7d8593';
    g.font = `${10 * dpr}px ui-monospace, monospace`;
    g.fillText(`1e${l1}`, 4 * dpr, 11 * dpr);
    g.fillText(`1e${l0}`, 4 * dpr, h - 4 * dpr);
  }, [history, job, size]);
  return <canvas ref={ref} className="loss-chart" aria-label="Loss chart" role="img" />;
}

function Preview({ job }: { job: RenderJob | undefined }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const cmap = useAppState((s) => s.view.colorMap);
  const pv = job?.progress?.preview;
  useEffect(() => {
    const cv = ref.current;
    if (!cv) return;
    const g = cv.getContext('2d')!;
    if (!pv) {
      cv.width = 1;
      cv.height = 1;
      g.fillStyle = '#0e1014';
      g.fillRect(0, 0, 1, 1);
      return;
    }
    cv.width = pv.frames;
    cv.height = pv.bins;
    g.putImageData(new ImageData(previewPixels(pv.data, pv.frames, pv.bins, cmap), pv.frames, pv.bins), 0, 0);
  }, [pv, cmap]);
  return <canvas ref={ref} className="render-preview" aria-label="Render preview" role="img" title="The spectrogram being optimised" />;
}

export function RenderPanel() {
  countRender('RenderPanel');
  const c = useController();
  const { renders, region, preset, calibration } = useAppFields('renders', 'region', 'preset', 'calibration');
  const ready = useAppState((s) => !!s.contentId && !!s.styleId);
  const content = useAppState((s) => (s.contentId ? s.tracks[s.contentId] : undefined));
  const running = renders.find((j) => j.status === 'running');
  const shown = running ?? [...renders].reverse().find((j) => j.history.length > 0);
  const queued = renders.filter((j) => j.status === 'queued').length;
  const problems = problemsOf(preset);
  const p = running?.progress;
  const frac = overallProgress(p);
  const last = shown?.history[shown.history.length - 1];
  const dur = content?.info.duration ?? 0;
  const seconds = region ? region.end - region.start : dur;
  const estimate = ready && !problems ? estimateSeconds(preset, seconds, calibration) : null;
  // Said before Render: a take that fills in slower than it plays will make playback wait.
  const slow = estimate !== null ? slowStreamNote(preset.name, estimate, seconds) : null;
  const setRegion = (r: { start: number; end: number } | null) => c.store.dispatch(A.editRegion, { region: r, at: Date.now() });
  const lastGrid = useAppState((s) => s.grids[s.grids.length - 1]?.id);
  const [gridOpen, setGridOpen] = useState(false);

  return (
    <section className="panel render" aria-label="Render panel">
      <div className="render-col controls">
        <div className="render-top">
          <button
            className="primary big"
            aria-label="Render"
            title="Render a take with the current settings (Ctrl+Enter)"
            disabled={!ready || !!problems}
            onClick={() => void c.renders.requestRender()}
          >
            ● Render{queued ? ` (${queued} queued)` : ''}
          </button>
          <button className="small" aria-label="Grid of takes" title="Render a grid of takes: sweep one or two settings over values" disabled={!ready || !!problems} onClick={() => setGridOpen(true)}>
            Grid…
          </button>
          {lastGrid ? (
            <button className="small" aria-label="Compare takes" title="Open the compare view of the last grid" onClick={() => c.store.dispatch(A.openCompare, lastGrid)}>
              Compare
            </button>
          ) : null}
          {running ? (
            <button className="small danger" aria-label="Cancel render" onClick={() => c.renders.cancel(running.jobId)}>
              Cancel
            </button>
          ) : estimate !== null ? (
            <span
              className="estimate"
              aria-label="Estimated render time"
              title={`Estimated from the settings and ${seconds.toFixed(1)} s of content${calibration.renders ? `, calibrated by the last ${calibration.renders} render${calibration.renders > 1 ? 's' : ''} here` : ' (calibrated once a render has run here)'}`}
            >
              {formatEstimate(estimate)}
            </span>
          ) : null}
        </div>
        <div className="region-fields">
          <span>Region</span>
          <NumberField label="Region start (s)" value={region?.start ?? 0} min={0} max={dur} onCommit={(v) => setRegion({ start: v, end: region?.end ?? dur })} />
          <span className="dim">–</span>
          <NumberField label="Region end (s)" value={region?.end ?? dur} min={0} max={dur} onCommit={(v) => setRegion({ start: region?.start ?? 0, end: v })} />
          <span className="dim">s</span>
          <button className="small" aria-label="Clear region" title="Render the whole content (clear the region)" disabled={!region} onClick={() => setRegion(null)}>
            All
          </button>
        </div>
        <div className="progress-block" aria-live="polite">
          <div className="progress" role="progressbar" aria-label="Render progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(frac * 100)}>
            <div className="bar" style={{ width: `${(frac * 100).toFixed(1)}%` }} />
          </div>
          <div className="progress-text mono" data-testid="render-status">
            {/* Two lines that wrap rather than clip: the step, then the time left, in a narrow column. */}
            {running ? (
              p ? (
                <>
                  <span className="progress-step">{`${p.segment ? `Segment ${p.segment.index + 1}/${p.segment.count} · ` : ''}${PHASE_TEXT[p.phase]}${p.total ? ` ${p.iteration}/${p.total}` : ''}`}</span>{' '}
                  <span className="progress-time">{`${fmtSecs(p.elapsed)} so far${p.eta !== undefined ? ` · ${fmtSecs(p.eta)} left` : ''}`}</span>
                </>
              ) : (
                'Starting…'
              )
            ) : !ready ? (
              'Load content and style to render'
            ) : problems ? (
              'Fix the settings to render'
            ) : slow ? (
              <span className="slow-stream" data-testid="slow-stream" title={slow.full}>
                {slow.short}
              </span>
            ) : (
              'Ready'
            )}
          </div>
        </div>
        <ul className="queue" aria-label="Render queue">
          {renders.slice(-4).map((j) => (
            <li key={j.jobId} className={`job ${j.status}`}>
              <span className="job-name" title={takeTooltip(j.preset)}>
                {j.preset.name}
              </span>
              <span className="job-status">{j.status === 'done' ? 'done' : j.status}</span>
              {j.status === 'queued' ? (
                <button className="small ghost" aria-label={`Remove queued render ${j.preset.name}`} onClick={() => c.renders.cancel(j.jobId)}>
                  ✕
                </button>
              ) : null}
              {j.error ? (
                <div className="job-error" role="alert">
                  {j.error}
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      </div>
      <div className="render-col chart">
        <div className="chart-head">
          <span>Loss</span>
          <span className="legend-items" aria-label="Latest loss values">
            {seriesOf(shown).map((t) => {
              const v = last ? (t.key === 'total' ? last.loss : last.terms[t.key]) : undefined;
              return (
                <span key={t.key} className="li mono" title={`${t.name}${v !== undefined ? `: ${v}` : ''}`}>
                  <b style={{ color: t.colour }}>{t.symbol}</b>
                  {v !== undefined ? v.toPrecision(2) : null}
                </span>
              );
            })}
          </span>
        </div>
        <LossChart history={shown?.history ?? []} job={shown} />
      </div>
      <div className="render-col preview">
        <div className="chart-head">
          <span>Preview</span>
        </div>
        <Preview job={shown} />
      </div>
      {gridOpen ? <GridDialog onClose={() => setGridOpen(false)} /> : null}
    </section>
  );
}
