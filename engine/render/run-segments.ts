/**
 * The loop both long renders share (./chunked.ts for a long file, ./stream.ts for a take heard
 * while it renders): each segment rendered by the ordinary render job (./render.ts) against one
 * style sample, at its raw level, and crossfaded into the take so far (dsp/crossfade.ts), with
 * progress and an ETA over the whole file. Digital silence is not rendered: it has nothing to
 * transfer a style onto, and stays silent.
 */
import type { RenderProgress, TakeMetrics, TakeResult } from '../../common/audio';
import { renderFraction } from '../../common/audio';
import { GramophoneError, cancelled } from '../../common/errors';
import { melodyKept } from '../analysis/melody-kept';
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
 * A first segment already rendered, or under way, for exactly these inputs (./ahead.ts): its
 * render, or undefined when it was readied for others (or not at all).
 */
export type SegmentAhead = (content: Float32Array, style: RenderJob['style'], preset: RenderJob['preset']) => Promise<TakeResult> | undefined;

/**
 * One segment of a long render: the ordinary render job on its stretch of the content, at its
 * raw level, its melody not measured (the loop does that once the segment is joined).
 */
export function renderSegment(job: RenderJob, stretch: Float32Array, style: RenderJob['style'], hooks: RenderHooks): Promise<TakeResult> {
  return render(
    { jobId: job.jobId, preset: job.preset, content: { name: job.content.name, samples: stretch }, style, warnings: [], ...(job.region ? { region: job.region } : {}) },
    { onProgress: hooks.onProgress, isCancelled: hooks.isCancelled, previewEvery: hooks.previewEvery, rawOutput: true, measureMelody: false, ...(hooks.hear ? { hear: hooks.hear } : {}) },
  );
}

/**
 * Render `segments` of `job`'s content against `style` (see the file comment).
 * @param ahead the first segment, if it was rendered ahead
 * @param onJoined told after segment k has been crossfaded into `out`
 * @throws GramophoneError as `render`: CANCELLED between and within segments; INVALID_INPUT
 *   when every segment is digital silence
 */
export async function renderSegments(
  job: RenderJob,
  segments: readonly Segment[],
  style: RenderJob['style'],
  hooks: RenderHooks,
  ahead?: SegmentAhead,
  onJoined?: (k: number, out: Float32Array) => void,
): Promise<SegmentsRendered> {
  const elapsed = startClock(hooks);
  const check = () => {
    if (hooks.isCancelled?.()) throw cancelled();
  };
  const samples = job.content.samples;
  const out = new Float32Array(samples.length);
  const weights = segments.map((s) => s.end - s.start);
  const totalWork = weights.reduce((a, b) => a + b, 0);
  const parts: SegmentsRendered['parts'] = [];
  let done = 0;
  let doneSeconds = 0;
  for (const [k, seg] of segments.entries()) {
    check();
    const stretch = samples.subarray(seg.start, seg.end);
    const tSeg = elapsed();
    const onProgress = (p: RenderProgress) => {
      const within = renderFraction(p);
      const fraction = Math.min(1, (done + within * weights[k]) / totalWork);
      // ETA from the segments done; during the first, from its own ETA scaled to the file.
      const left = totalWork - done - within * weights[k];
      const eta = done > 0 ? (doneSeconds / done) * left : p.eta !== undefined && within > 0 ? p.eta + ((elapsed() - tSeg + p.eta) / weights[k]) * (totalWork - weights[k]) : undefined;
      hooks.onProgress?.({ ...p, jobId: job.jobId, elapsed: elapsed(), segment: { index: k, count: segments.length }, fraction, ...(eta !== undefined ? { eta } : {}) });
    };
    let y: Float32Array;
    let measured: TakeMetrics | null = null;
    if (stretch.every((v) => v === 0)) y = new Float32Array(stretch.length);
    else {
      // Rendered ahead and cancelled since (the musician moved on and back): render it now.
      const readied = k === 0 ? await ahead?.(stretch, style, job.preset)?.catch(() => undefined) : undefined;
      const take = readied ?? (await renderSegment(job, stretch, style, { ...hooks, onProgress }));
      y = take.samples;
      measured = take.metrics;
      parts.push({ metrics: take.metrics, weight: weights[k] });
    }
    crossfadeInto(out, y.subarray(seg.from - seg.start), seg.from, seg.fade);
    done += weights[k];
    check();
    onJoined?.(k, out);
    // Measured after the segment is joined (and a stream's chunk is out): the melody kept is a
    // figure for the take's header, not something the next sound should wait for.
    if (measured) {
      const kept = melodyKept(stretch, y, job.preset.analysis.sampleRate);
      if (kept !== undefined) measured.melodyKept = kept;
    }
    doneSeconds = elapsed();
  }
  if (!parts.length) throw new GramophoneError('INVALID_INPUT', `"${job.content.name}" is silent${job.region ? ' in the selected region' : ''}: there is nothing to transfer a style onto`);
  return { out, parts };
}
