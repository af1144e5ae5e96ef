/**
 * Long files in bounded memory: a render whose content is longer than one segment, whose style
 * is longer than one style sample, or which would not fit the memory budget (budget.ts,
 * memory.ts), is cut into overlapping segments (one, for a short content), each rendered by
 * the ordinary render job (./render.ts) and joined again.
 *
 * - Segments are at most MAX_SEGMENT_SECONDS (longer ones cost memory and save nothing: time
 *   is linear in length) and as long as the budget allows; they start on the analysis hop's
 *   grid, so their frames are the whole file's frames and a content-initialised take keeps
 *   the content's phase across a seam.
 * - Each renders MARGIN_SECONDS more on either side than it contributes, so neither Griffin-
 *   Lim's nor the network's edge reaches the join, and neighbours are joined over
 *   FADE_SECONDS with an equal-power crossfade adapted to their correlation
 *   (dsp/crossfade.ts): no dip between unrelated textures, no bump between agreeing ones.
 * - Every segment is optimised against the same style: the style file decoded once and, when
 *   longer than STYLE_SAMPLE_SECONDS, a bounded sample of it (evenly spaced excerpts). Each
 *   segment computes its statistics from that one sample (one forward pass; the values are
 *   identical), so no hook into the objective is needed.
 * - Segment k is exactly a region render of its stretch (same samples, same seeds) before
 *   the level of the whole is set once at the end (render's `rawOutput` hook).
 * - Progress covers the whole file (`segment`, `fraction`, an ETA from the segments done);
 *   cancel stops within one iteration; the take's metrics are the segments' weighted by length.
 * A job that would not fit even in the shortest segments is refused with the length of the
 * stretch that would.
 */
import type { TakeMetrics, TakeResult } from '../../common/audio';
import { GramophoneError } from '../../common/errors';
import type { Preset } from '../../common/preset';
import { perTerm } from '../../common/loss-terms';
import { formatBytes } from '../../common/units';
import { crossfadeGains } from '../dsp/crossfade';
import { normalisePeak, render, type RenderHooks } from './render';
import { renderSegments, startClock } from './run-segments';
import { createNotesCache } from './notes-cache';
import type { RenderJob } from './prepare';
import { memoryBudget } from './budget';
import { ENGINE_BASE_BYTES, renderMemory } from './memory';

/** Longest segment, in seconds. */
export const MAX_SEGMENT_SECONDS = 60;
/** Shortest segment worth cutting (what it contributes, in seconds); below it the overlaps dominate. */
export const MIN_SEGMENT_SECONDS = 5;
/** Extra audio rendered on each side of what a segment contributes, in seconds. */
export const MARGIN_SECONDS = 0.5;
/** Length of the crossfade between neighbours, in seconds. */
export const FADE_SECONDS = 1;
/** A longer style is represented by excerpts adding up to this many seconds. */
export const STYLE_SAMPLE_SECONDS = 60;
/** Excerpts in a style sample. */
const STYLE_EXCERPTS = 6;
/** Crossfade between style excerpts, in seconds (short: they are unrelated sounds). */
const STYLE_FADE_SECONDS = 0.05;

/** One segment, in samples of the content at the analysis rate. */
export interface Segment {
  /** The stretch rendered: [start, end), start on the hop grid. */
  start: number;
  end: number;
  /** Where its contribution begins in the take (the crossfade with the previous one starts here). */
  from: number;
  /** Crossfade length with the previous segment (0 for the first). */
  fade: number;
}

/**
 * Cut `total` samples into segments contributing about `core` samples each (balanced, so the
 * last is not a sliver), every boundary on the `hop` grid.
 * @param margin extra samples rendered on each side
 * @param fade crossfade length in samples
 */
export function planSegments(total: number, core: number, margin: number, fade: number, hop: number): Segment[] {
  const count = Math.max(1, Math.ceil(total / core));
  const grid = (x: number) => Math.round(x / hop) * hop;
  const half = grid(fade / 2);
  const pad = Math.ceil(margin / hop) * hop;
  const seams = Array.from({ length: count - 1 }, (_, k) => grid(((k + 1) * total) / count));
  return Array.from({ length: count }, (_, k) => {
    const from = k === 0 ? 0 : seams[k - 1] - half;
    const to = k === count - 1 ? total : seams[k] + half;
    return { start: Math.max(0, from - pad), end: Math.min(total, to + pad), from, fade: k === 0 ? 0 : 2 * half };
  });
}

export interface ChunkOptions {
  /** Bytes the job may use; default `memoryBudget()`. */
  budget?: number;
  /** Cut into segments of this many seconds (what each contributes), whether or not the whole would fit. */
  segmentSeconds?: number;
}

/** How a job will run: whole, or in segments of `coreSeconds`. */
export type RenderPlan = { kind: 'whole'; bytes: number } | { kind: 'segments'; coreSeconds: number; bytes: number };

const seconds = (samples: number, rate: number) => samples / rate;
const minutes = (s: number) => (s >= 120 ? `${(s / 60).toFixed(0)} minutes` : `${s.toFixed(0)} seconds`);

/**
 * Decide how to render `contentSamples` of content against `styleSamples` of style (both at
 * the preset's rate) within `budget` bytes.
 * @throws GramophoneError OUT_OF_MEMORY when not even the shortest segments fit, saying how
 *   long a stretch would (or that the preset needs more memory than the budget at any length)
 */
export function planRender(preset: Preset, contentSamples: number, styleSamples: number, budget: number, forcedSegmentSeconds?: number): RenderPlan {
  const rate = preset.analysis.sampleRate;
  const whole = renderMemory(preset, { contentSamples, styleSamples, fileBytes: 4 * (contentSamples + styleSamples) }, ENGINE_BASE_BYTES).total;
  // Whole: what a render has always done, for a content of one segment and a style of one sample.
  const short = seconds(contentSamples, rate) <= MAX_SEGMENT_SECONDS && seconds(styleSamples, rate) <= STYLE_SAMPLE_SECONDS;
  if (forcedSegmentSeconds === undefined && short && whole <= budget) return { kind: 'whole', bytes: whole };
  const style = Math.min(styleSamples, STYLE_SAMPLE_SECONDS * rate);
  const extra = 2 * (MARGIN_SECONDS + FADE_SECONDS / 2) * rate;
  /** Peak of a segmented job of `total` content samples in segments contributing `core`. */
  const segmented = (total: number, core: number) =>
    renderMemory(preset, { contentSamples: Math.min(total, core + extra), styleSamples: style, fileBytes: 4 * (core + extra + style) }, ENGINE_BASE_BYTES + 8 * total + 8 * style).total;
  if (forcedSegmentSeconds !== undefined) {
    const core = Math.max(1, forcedSegmentSeconds) * rate;
    return { kind: 'segments', coreSeconds: forcedSegmentSeconds, bytes: segmented(contentSamples, core) };
  }
  // The longest segment that fits, found by halving (memory grows with length).
  let lo = MIN_SEGMENT_SECONDS * rate;
  let hi = MAX_SEGMENT_SECONDS * rate;
  if (segmented(contentSamples, lo) > budget) {
    let fits = 0;
    for (let a = 0, b = contentSamples; b - a > rate;) {
      const mid = (a + b) / 2;
      if (segmented(mid, lo) <= budget) a = fits = mid;
      else b = mid;
    }
    const need = formatBytes(segmented(contentSamples, lo));
    throw new GramophoneError(
      'OUT_OF_MEMORY',
      fits >= lo
        ? `This render needs about ${need} even in ${MIN_SEGMENT_SECONDS}-second segments, over the ${formatBytes(budget)} memory budget: about ${minutes(seconds(fits, rate))} of the content would fit. Select a region of at most that length, or raise the budget (GRAMOPHONE_MEMORY_BUDGET, --memory-budget).`
        : `"${preset.name}" needs about ${formatBytes(segmented(lo, lo))} for even a ${MIN_SEGMENT_SECONDS}-second stretch, over the ${formatBytes(budget)} memory budget. Choose a lighter preset (fewer filters) or raise the budget (GRAMOPHONE_MEMORY_BUDGET, --memory-budget).`,
    );
  }
  if (segmented(contentSamples, hi) > budget) {
    while (hi - lo > rate) {
      const mid = (lo + hi) / 2;
      if (segmented(contentSamples, mid) <= budget) lo = mid;
      else hi = mid;
    }
    hi = lo;
  }
  return { kind: 'segments', coreSeconds: Math.floor(hi / rate), bytes: segmented(contentSamples, hi) };
}

/**
 * A bounded sample of a long style: STYLE_EXCERPTS evenly spaced excerpts adding up to
 * STYLE_SAMPLE_SECONDS, joined by short equal-power crossfades; a short style as it is.
 */
export function styleSample(samples: Float32Array, rate: number): Float32Array {
  const limit = Math.round(STYLE_SAMPLE_SECONDS * rate);
  if (samples.length <= limit) return samples;
  const fade = Math.round(STYLE_FADE_SECONDS * rate);
  const piece = Math.floor((limit + (STYLE_EXCERPTS - 1) * fade) / STYLE_EXCERPTS);
  const out = new Float32Array(STYLE_EXCERPTS * piece - (STYLE_EXCERPTS - 1) * fade);
  const { fadeOut, fadeIn } = crossfadeGains(fade, 0);
  for (let k = 0; k < STYLE_EXCERPTS; k++) {
    const from = Math.round(((k + 0.5) * samples.length) / STYLE_EXCERPTS - piece / 2);
    const excerpt = samples.subarray(from, from + piece);
    const at = k * (piece - fade);
    if (k === 0) out.set(excerpt, 0);
    else {
      for (let i = 0; i < fade; i++) out[at + i] = out[at + i] * fadeOut[i] + excerpt[i] * fadeIn[i];
      out.set(excerpt.subarray(fade), at + fade);
    }
  }
  return out;
}

/** { melodyKept } as the weighted mean of the segments that measured it, or nothing when none did. */
function meanOfPresent(parts: { v: number | undefined; w: number }[]): { melodyKept?: number } {
  const measured = parts.filter((p): p is { v: number; w: number } => p.v !== undefined);
  const w = measured.reduce((s, p) => s + p.w, 0);
  return w > 0 ? { melodyKept: measured.reduce((s, p) => s + p.v * p.w, 0) / w } : {};
}

/** The segments' metrics as one take's: losses and terms weighted by segment length. */
export function aggregateMetrics(parts: { metrics: TakeMetrics; weight: number }[], peakDb: number, totalSeconds: number): TakeMetrics {
  const total = parts.reduce((s, p) => s + p.weight, 0) || 1;
  const mean = (f: (m: TakeMetrics) => number) => parts.reduce((s, p) => s + f(p.metrics) * p.weight, 0) / total;
  const initialTerms = perTerm((t) => mean((m) => m.initialTerms[t]));
  const finalTerms = perTerm((t) => mean((m) => m.finalTerms[t]));
  const early = parts.map((p) => p.metrics.stopReason).filter((r) => r !== 'iterations');
  const sum = (f: (m: TakeMetrics) => number) => parts.reduce((s, p) => s + f(p.metrics), 0);
  return {
    backend: parts[0].metrics.backend,
    iterations: Math.round(mean((m) => m.iterations)),
    ...(parts.every((p) => p.metrics.evaluations !== undefined) ? { evaluations: sum((m) => m.evaluations ?? 0) } : {}),
    // Every segment ran its iterations, or the reason most of those that stopped early gave.
    stopReason: early.length ? [...early].sort((a, b) => early.filter((r) => r === b).length - early.filter((r) => r === a).length)[0] : 'iterations',
    initialLoss: mean((m) => m.initialLoss),
    finalLoss: mean((m) => m.finalLoss),
    initialTerms,
    finalTerms,
    styleLossRatio: initialTerms.style > 0 ? finalTerms.style / initialTerms.style : 1,
    termErrors: perTerm((t) => Math.sqrt(Math.max(0, finalTerms[t]))),
    spectralConvergence: mean((m) => m.spectralConvergence),
    spectralConvergenceDb:
      20 *
      Math.log10(
        Math.max(
          mean((m) => m.spectralConvergence),
          1e-12,
        ),
      ),
    peakDb: Number.isFinite(peakDb) ? peakDb : -200,
    ...meanOfPresent(parts.map((p) => ({ v: p.metrics.melodyKept, w: p.weight }))),
    seconds: { analyse: sum((m) => m.seconds.analyse), optimise: sum((m) => m.seconds.optimise), reconstruct: sum((m) => m.seconds.reconstruct), total: totalSeconds },
  };
}

/**
 * Render `job` whole when it fits, else in segments (see the file comment). Segments are
 * views of the job's samples: nothing is encoded or decoded again.
 * @throws GramophoneError as `render`; OUT_OF_MEMORY when it would not fit even in segments
 */
export async function renderChunked(job: RenderJob, hooks: RenderHooks = {}, options: ChunkOptions = {}): Promise<TakeResult> {
  const { preset } = job;
  const { sampleRate: rate, hop } = preset.analysis;
  const elapsed = startClock(hooks);
  const samples = job.content.samples;
  const plan = planRender(preset, samples.length, job.style.samples.length, options.budget ?? memoryBudget(), options.segmentSeconds);
  if (plan.kind === 'whole') return render(job, hooks);

  const segments = planSegments(samples.length, plan.coreSeconds * rate, MARGIN_SECONDS * rate, FADE_SECONDS * rate, hop);
  const sample = styleSample(job.style.samples, rate);
  const style = { name: job.style.name, samples: sample };
  const warnings = [
    ...job.warnings,
    ...(segments.length > 1
      ? [
          `rendered in ${segments.length} segments of about ${plan.coreSeconds} s each (about ${formatBytes(plan.bytes)} at a time${options.segmentSeconds === undefined ? ', to stay within the memory budget' : ''})`,
        ]
      : []),
    ...(sample !== job.style.samples ? [`the style is represented by ${STYLE_EXCERPTS} excerpts adding up to ${STYLE_SAMPLE_SECONDS} s`] : []),
  ];

  // Every segment plays from one style sample: it is transcribed once, not once per segment.
  const { out, parts } = await renderSegments(job, segments, style, { ...hooks, hear: hooks.hear ?? createNotesCache().hear });
  hooks.onProgress?.({ jobId: job.jobId, phase: 'encode', iteration: 0, total: 0, elapsed: elapsed(), fraction: 1 });
  // In place: a long take is not held twice.
  const level = normalisePeak(out, preset.output.normalize, preset.output.peakDb, out);
  return { jobId: job.jobId, sampleRate: rate, samples: level.samples, preset, metrics: aggregateMetrics(parts, level.peakDb, elapsed()), warnings };
}
