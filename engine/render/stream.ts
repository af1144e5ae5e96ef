/**
 * A streaming render: the job's content (already cut to start at the playhead or a region's
 * start, ./prepare.ts) rendered in hop-aligned segments in playback order (./stream-plan.ts),
 * each joined to the last with the chunked renderer's equal-power crossfade (./chunked.ts), and
 * every stretch of the take that has become final handed to `onChunk` at once, so a listener
 * can play the first segment while the second renders.
 *
 * - The first segment is short (STREAM_FIRST_SECONDS): its render is the wait before the first
 *   sound. Later ones are longer (STREAM_SEGMENT_SECONDS), so the overlaps cost little.
 * - Chunks carry the raw reconstruction and the gain that would normalise everything final so
 *   far: the level of the whole is only known at the end, and the finished take is exactly the
 *   chunks times the last gain (the same samples `renderChunked` would give for these segments).
 * - The style is transcribed once for all segments, and kept for the next render of the same
 *   inputs (./notes-cache.ts).
 * - The first segment may have been rendered ahead, while the musician set up (./ahead.ts).
 */
import type { TakeChunk, TakeResult } from '../../common/audio';
import { dbToGain, gainToDb } from '../../common/units';
import { STYLE_SAMPLE_SECONDS, aggregateMetrics, styleSample } from './chunked';
import { createNotesCache } from './notes-cache';
import type { Preset } from '../../common/preset';
import type { RenderJob } from './prepare';
import type { RenderHooks } from './render';
import { renderSegments, startClock, type SegmentAhead } from './run-segments';
import { orderStream, type StreamOrder } from './stream-plan';
import { crossfadeInto } from '../dsp/crossfade';

/** What the first segment contributes, seconds: short, so the first sound comes soon. */
export const STREAM_FIRST_SECONDS = 1.5;
/**
 * The most a later segment contributes, seconds (they double from the first up to it): long
 * enough that the overlaps and per-segment costs are small (24 s of the default preset took
 * 17.7 CPU s in 10 s segments, 21.2 in 4 s ones).
 */
export const STREAM_SEGMENT_SECONDS = 10;
/**
 * Extra audio rendered on each side of a segment, and the crossfade between neighbours,
 * seconds: shorter than a long file's (./chunked.ts), since every second of overlap is paid
 * before the next sound, and bounded by the streamed-against-whole test instead.
 */
export const STREAM_MARGIN_SECONDS = 0.25;
export const STREAM_FADE_SECONDS = 0.5;

export interface StreamOptions {
  /** Told each stretch of the take as it becomes final, in playback order. */
  onChunk: (chunk: TakeChunk) => void;
  /** Override STREAM_FIRST_SECONDS. */
  firstSeconds?: number;
  /** Override STREAM_SEGMENT_SECONDS. */
  segmentSeconds?: number;
  /** Transcriptions to reuse (default: a cache for this render only). */
  hear?: RenderHooks['hear'];
  /**
   * Where rendering starts, seconds into the content (a playhead): the rest after it first,
   * then the part before it, joined just before it (./stream-plan.ts `orderStream`). Default 0.
   */
  from?: number;
  /** The first segment, if it was rendered ahead for these very inputs (./ahead.ts). */
  ahead?: SegmentAhead;
}

/**
 * How a stream of `total` content samples is cut (./stream-plan.ts), in playback order: what a
 * render and a render readied ahead (./ahead.ts) both plan.
 */
export function streamSegments(total: number, preset: Preset, options: Pick<StreamOptions, 'firstSeconds' | 'segmentSeconds' | 'from'> = {}): StreamOrder {
  const { sampleRate: rate, hop } = preset.analysis;
  const cut = {
    first: (options.firstSeconds ?? STREAM_FIRST_SECONDS) * rate,
    core: (options.segmentSeconds ?? STREAM_SEGMENT_SECONDS) * rate,
    margin: STREAM_MARGIN_SECONDS * rate,
    fade: STREAM_FADE_SECONDS * rate,
    hop,
  };
  return orderStream(total, cut, Math.round((options.from ?? 0) * rate));
}

/** The largest |sample| of x. */
const peakOf = (x: Float32Array): number => {
  let p = 0;
  for (let i = 0; i < x.length; i++) p = Math.max(p, Math.abs(x[i]));
  return p;
};

/**
 * Render `job` as a stream (see the file comment).
 * @returns the finished take, level set as `render` sets it
 * @throws GramophoneError as `render`: CANCELLED when `hooks.isCancelled` turns true (no chunk follows)
 */
export async function renderStream(job: RenderJob, hooks: RenderHooks, options: StreamOptions): Promise<TakeResult> {
  const { preset } = job;
  const rate = preset.analysis.sampleRate;
  const elapsed = startClock(hooks);
  const samples = job.content.samples;
  const { segments, finals, seam } = streamSegments(samples.length, preset, options);
  const sample = styleSample(job.style.samples, rate);
  const style = { name: job.style.name, samples: sample };
  const hear = options.hear ?? createNotesCache().hear;
  const { normalize, peakDb } = preset.output;
  const target = dbToGain(peakDb);
  const gainFor = (peak: number) => (peak === 0 ? 1 : (normalize ? target : Math.min(peak, target)) / peak);

  let peak = 0;
  /** What the first segment rendered where the seam will be, kept until the part before it is done. */
  let head: Float32Array | null = null;
  const { out, parts } = await renderSegments(job, segments, style, { ...hooks, hear }, options.ahead, (k, joined) => {
    if (seam && k === 0) head = joined.slice(seam.start, seam.end);
    // The part from the take's start has just reached the playhead: it fades into the first.
    if (seam && k === seam.last && head) crossfadeInto(joined, head, seam.start, head.length);
    const { from, to } = finals[k];
    const chunk = joined.slice(from, to);
    peak = Math.max(peak, peakOf(chunk));
    options.onChunk({ jobId: job.jobId, at: from, samples: chunk, gain: gainFor(peak), total: samples.length, sampleRate: rate, segment: { index: k, count: segments.length } });
  });
  hooks.onProgress?.({ jobId: job.jobId, phase: 'encode', iteration: 0, total: 0, elapsed: elapsed(), fraction: 1 });
  const gain = gainFor(peak);
  for (let i = 0; i < out.length; i++) out[i] *= gain;
  const warnings = [...job.warnings, ...(sample !== job.style.samples ? [`the style is represented by excerpts adding up to ${STYLE_SAMPLE_SECONDS} s`] : [])];
  return { jobId: job.jobId, sampleRate: rate, samples: out, preset, metrics: aggregateMetrics(parts, peak > 0 ? gainToDb(peak * gain) : -Infinity, elapsed()), warnings };
}
