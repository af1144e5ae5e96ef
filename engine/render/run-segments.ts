/**
 * The loop both long renders share (./chunked.ts for a long file, ./stream.ts for a take heard
 * while it renders): each segment rendered by the ordinary render job (./render.ts) against one
 * style sample, at its raw level, and crossfaded into the take so far (dsp/crossfade.ts), with
 * progress and an ETA over the whole file. Digital silence is not rendered: it has nothing to
 * transfer a style onto, and stays silent.
 */
import type { RenderProgress, TakeMetrics } from '../../common/audio';
import { renderFraction } from '../../common/audio';
import { GramophoneError, cancelled } from '../../common/errors';
import { crossfadeInto } from '../dsp/crossfade';
import type { Segment } from './chunked';
import type { RenderJob } from './prepare';
import { render, type RenderHooks } from './render';

/** What the segments gave: the joined take at its raw level and each rendered segment's metrics. */
export interface SegmentsRendered {
  /** The take, one sample per content sample, before its level is set. */
  out: Float32Array<ArrayBuffer>;
  /** The metrics of each segment that was rendered (silent ones are not), weighted by its length in samples. */
  parts: { metrics: TakeMetrics; weight: number }[];
}

/**
 * A long render's clock, started once it is known not to be cancelled already.
 * @returns seconds since this call
 * @throws GramophoneError CANCELLED when `hooks.isCancelled` is already true
 */
export function startClock(hooks: RenderHooks): () => number {
  const t0 = performance.now();
  if (hooks.isCancelled?.()) throw cancelled();
  return () => (performance.now() - t0) / 1000;
}

/**
 * Render `segments` of `job`'s content against `style` (see the file comment).
 *
 * With `atOnce` = 2, once the first segment is done the next two render together: most of a
 * segment's optimiser time is spent in onnxruntime's own threads, while the JavaScript thread
 * waits, so the next segment's analysis (transcription, note template) fills that wait and
 * the second core, and the take is done sooner. The first renders alone, so a streamed take's
 * first sound is not delayed. Segments are joined in order whatever order they finish in,
 * and each is rendered exactly as it would be alone (same samples, same seeds).
 * @param atOnce how many segments may render at once after the first (≥ 1)
 * @param onJoined told after segment k has been crossfaded into `out`, in order
 * @throws GramophoneError as `render`: CANCELLED between and within segments; INVALID_INPUT
 *   when every segment is digital silence
 */
export async function renderSegments(
  job: RenderJob,
  segments: readonly Segment[],
  style: RenderJob['style'],
  hooks: RenderHooks,
  { atOnce = 1, onJoined }: { atOnce?: number; onJoined?: (k: number, out: Float32Array) => void } = {},
): Promise<SegmentsRendered> {
  const t0 = performance.now();
  const elapsed = () => (performance.now() - t0) / 1000;
  // Set when one segment fails, so the others stop at their next iteration.
  let failed = false;
  const isCancelled = () => failed || !!hooks.isCancelled?.();
  const check = () => {
    if (hooks.isCancelled?.()) throw cancelled();
  };
  const samples = job.content.samples;
  const out = new Float32Array(samples.length);
  const weights = segments.map((s) => s.end - s.start);
  const totalWork = weights.reduce((a, b) => a + b, 0);
  /** Each segment's share done, 0…1. */
  const within = new Float64Array(segments.length);
  /** The first segment not yet joined: the one whose progress is reported. */
  let joining = 0;
  const parts: SegmentsRendered['parts'] = [];

  const renderOne = async (k: number): Promise<{ y: Float32Array; metrics?: TakeMetrics }> => {
    const seg = segments[k];
    const stretch = samples.subarray(seg.start, seg.end);
    // Digital silence has nothing to transfer a style onto; it stays silent.
    if (stretch.every((v) => v === 0)) return { y: new Float32Array(stretch.length) };
    const tSeg = elapsed();
    const onProgress = (p: RenderProgress) => {
      within[k] = renderFraction(p);
      const completed = within.reduce((a, f, j) => a + f * weights[j], 0);
      // ETA from the pace so far once a segment is done; during the first, from its own ETA scaled to the file.
      const left = totalWork - completed;
      const eta = joining > 0 ? (elapsed() / completed) * left : p.eta !== undefined && within[k] > 0 ? p.eta + ((elapsed() - tSeg + p.eta) / weights[k]) * (totalWork - weights[k]) : undefined;
      if (k !== joining) return;
      hooks.onProgress?.({
        ...p,
        jobId: job.jobId,
        elapsed: elapsed(),
        segment: { index: k, count: segments.length },
        fraction: Math.min(1, completed / totalWork),
        ...(eta !== undefined ? { eta } : {}),
      });
    };
    const take = await render(
      { jobId: job.jobId, preset: job.preset, content: { name: job.content.name, samples: stretch }, style, warnings: [], ...(job.region ? { region: job.region } : {}) },
      { onProgress, isCancelled, previewEvery: hooks.previewEvery, rawOutput: true, ...(hooks.hear ? { hear: hooks.hear } : {}) },
    );
    return { y: take.samples, metrics: take.metrics };
  };

  type Rendered = { y: Float32Array; metrics?: TakeMetrics };
  const started = new Map<number, Promise<Rendered>>();
  const start = (k: number): Promise<Rendered> => {
    let p = started.get(k);
    if (!p) {
      p = renderOne(k);
      // Awaited in order below; a later one failing meanwhile is not an unhandled rejection.
      p.catch(() => undefined);
      started.set(k, p);
    }
    return p;
  };
  try {
    for (const [k, seg] of segments.entries()) {
      check();
      for (let j = k + 1; j < Math.min(segments.length, k + (k === 0 ? 1 : atOnce)); j++) void start(j);
      const { y, metrics } = await start(k);
      if (metrics) parts.push({ metrics, weight: weights[k] });
      crossfadeInto(out, y.subarray(seg.from - seg.start), seg.from, seg.fade);
      within[k] = 1;
      joining = k + 1;
      check();
      onJoined?.(k, out);
    }
  } catch (e) {
    failed = true;
    await Promise.allSettled(started.values());
    throw e;
  }
  if (!parts.length) throw new GramophoneError('INVALID_INPUT', `"${job.content.name}" is silent${job.region ? ' in the selected region' : ''}: there is nothing to transfer a style onto`);
  return { out, parts };
}
