/**
 * The render job: analyse → optimise → reconstruct → normalise → take, on samples already
 * decoded (./prepare.ts). It is what the engine process runs for the workstation and what
 * the command line runs, whole or once per segment (./chunked.ts).
 * Deterministic: the same inputs, preset and seed give bit-identical samples on one machine.
 */
import type { RenderPhase, RenderProgress, TakeMetrics, TakeResult } from '../../common/audio';
import { GramophoneError, cancelled } from '../../common/errors';
import { usesNoteTemplate, type Preset } from '../../common/preset';
import { dbToGain, gainToDb } from '../../common/units';
import { melodyKept } from '../analysis/melody-kept';
import type { ComplexSpectrogram } from '../dsp/stft';
import { griffinLim } from '../dsp/griffin-lim';
import { pghiPhase } from '../dsp/pghi';
import { matchEq } from '../dsp/match-eq';
import { noteTemplate } from '../objective/notes/note-template';
import { hearBoth } from '../objective/notes/heard-notes';
import { createObjective } from '../objective/create-objective';
import { createFrontEnd, type FrontEnd } from '../objective/front-ends';
import { analyseSignal, stftShapeOf, type Analysis } from '../objective/front-ends/analyse';
import { maxOf } from '../objective/front-ends/front-end';
import type { Evaluation } from '../objective/objective';
import { lbfgs, type LbfgsOptions } from '../optim/lbfgs';
import { adam } from '../optim/adam';
import type { OptimiseResult } from '../optim/types';
import { perTerm } from '../../common/loss-terms';
import { createRng, deriveSeed } from '../random';
import { spectrogramPreview } from '../preview';
import type { RenderJob } from './prepare';

/** How the job talks to whoever runs it. */
export interface RenderHooks {
  /** Called for every progress event (several per iteration at most). */
  onProgress?: (p: RenderProgress) => void;
  /** Polled at least once per iteration; true stops the job with CANCELLED. */
  isCancelled?: () => boolean;
  /** Send a spectrogram preview every this many iterations (default 5). */
  previewEvery?: number;
  /**
   * Return the reconstruction as it is, without output.normalize / peakDb: a chunked render
   * (render/chunked.ts) joins its segments first and sets the level of the whole once, so a
   * segment's level must not depend on its own peak.
   */
  rawOutput?: boolean;
  /**
   * Measure how much of the content's melody the take kept (default true). A segment loop
   * (render/run-segments.ts) measures each segment itself once its chunk is out, so a
   * streaming take's next sound does not wait for two pitch tracks.
   */
  measureMelody?: boolean;
  /**
   * Transcribes the content and the style for the note template (default `hearBoth`): a
   * streaming render passes one that keeps the style's notes across its segments and re-renders
   * (render/notes-cache.ts), so the style is transcribed once.
   */
  hear?: typeof hearBoth;
}

/** Standard deviation of the noise initialisation, in units of X = log1p|M|. */
const NOISE_INIT_STD = 1e-3;

/** Yield to the event loop so a cancel message that has arrived is read. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The largest |sample|. */
const peakOf = (x: Float32Array): number => {
  let peak = 0;
  for (let i = 0; i < x.length; i++) peak = Math.max(peak, Math.abs(x[i]));
  return peak;
};

/**
 * Scale so the peak sits at `peakDb` dBFS; a silent signal stays silent. Never clips.
 * @param into where to write (default a new array; `x` itself scales in place)
 */
export function normalisePeak(x: Float32Array, normalize: boolean, peakDb: number, into = new Float32Array(x.length)): { samples: Float32Array; peakDb: number } {
  const peak = peakOf(x);
  if (peak === 0) return { samples: x, peakDb: -Infinity };
  const target = normalize ? dbToGain(peakDb) : Math.min(peak, dbToGain(peakDb));
  const gain = target / peak;
  const out = into;
  for (let i = 0; i < x.length; i++) out[i] = x[i] * gain;
  return { samples: out, peakDb: gainToDb(peak * gain) };
}

/**
 * Run one render on decoded inputs.
 * @throws GramophoneError: CANCELLED when `isCancelled` turns true, INVALID_INPUT for a
 *   silent content, OUT_OF_MEMORY when the job does not fit.
 */
export async function render(job: RenderJob, hooks: RenderHooks = {}): Promise<TakeResult> {
  const { preset, content, style } = job;
  const t0 = performance.now();
  const elapsed = () => (performance.now() - t0) / 1000;
  const check = () => {
    if (hooks.isCancelled?.()) throw cancelled();
  };
  const emit = (phase: RenderPhase, iteration = 0, total = 0, extra: Partial<RenderProgress> = {}) => hooks.onProgress?.({ jobId: job.jobId, phase, iteration, total, elapsed: elapsed(), ...extra });

  const { sampleRate: rate, hop } = preset.analysis;
  const warnings = [...job.warnings];
  check();

  // Analyse
  emit('analyse');
  const frontEnd = createFrontEnd(preset);
  const c = analyseSignal(content.samples, preset, frontEnd);
  const s = analyseSignal(style.samples, preset, frontEnd);
  const T = c.frames;
  const F = c.bins;
  const sounding = preset.rests === 'silent' ? soundingFrames(c.spec) : new Array<boolean>(T).fill(true);
  const wantTemplate = usesNoteTemplate(preset);
  const heard = wantTemplate ? await (hooks.hear ?? hearBoth)(content.samples, style.samples, rate, warnings, (f) => emit('analyse', Math.round(f * 100), 100), hooks.isCancelled) : {};
  const template = wantTemplate
    ? frontEnd.analyse(
        templateSpectrogram(
          noteTemplate(
            { samples: content.samples, spec: c.spec, sounding, heard: heard.content },
            { samples: style.samples, spec: s.spec, sounding: soundingFrames(s.spec), heard: heard.style },
            rate,
            hop,
          ).magnitude,
          c.spec,
        ),
      )
    : undefined;
  const objective = await createObjective(
    { frames: T, bins: F, content: c.x, style: s.x, styleFrames: s.frames, preset, binHz: frontEnd.binHz, frameRate: rate / hop, noteTemplate: template },
    preset.backend,
  );
  const tAnalysed = elapsed();
  try {
    // Optimise: with rests kept silent, only the frames where the content sounds (X = 0 elsewhere).
    const active = sounding;
    if (!active.some(Boolean)) throw new GramophoneError('INVALID_INPUT', `"${content.name}" is silent${job.region ? ' in the selected region' : ''}: there is nothing to transfer a style onto`);
    const frames = restrictToFrames(active, F);
    const x0 = template && preset.init === 'notes' ? Float32Array.from(template) : initialX(preset, c, s, frontEnd);
    const bounds = frontEnd.bounds([c.x, s.x]);
    const ceiling = Math.max(maxOf(c.x), 1e-6);
    const iterations = preset.optimizer.iterations;
    const previewEvery = Math.max(1, hooks.previewEvery ?? 5);
    const tOpt = performance.now();
    const evaluate = async (x: Float32Array): Promise<Evaluation> => {
      check();
      const ev = frames.fromFull(await objective.evaluate(frames.toFull(x)));
      await yieldToEventLoop();
      check();
      return ev;
    };
    emit('optimise', 0, iterations);
    const options: LbfgsOptions = {
      iterations,
      learningRate: preset.optimizer.learningRate,
      ...(preset.optimizer.plateau ? { plateau: preset.optimizer.plateau } : {}),
      // Every term is a normalised squared distance with a weight ≥ 0: the loss is never below 0.
      ...(preset.optimizer.firstStep === 'loss-floor' ? { lossFloor: 0 } : {}),
      lowerBound: bounds.lower,
      upperBound: bounds.upper,
      ...(objective.historyKernels ? { kernels: objective.historyKernels } : {}),
      onIteration: async (done, ev, x) => {
        const perIteration = (performance.now() - tOpt) / 1000 / done;
        emit('optimise', done, iterations, {
          loss: ev.loss,
          terms: { ...ev.terms },
          eta: perIteration * (iterations - done) + estimateReconstructSeconds(preset, T),
          ...(done % previewEvery === 0 || done === iterations ? { preview: spectrogramPreview(frames.toFull(x), T, F, ceiling) } : {}),
        });
        check();
        await yieldToEventLoop();
      },
    };
    const start = frames.fromFullX(x0);
    const result = preset.optimizer.kind === 'adam' ? await adam(evaluate, start, options) : await lbfgs(evaluate, start, options);
    emit('optimise', result.iterations, iterations, { stopReason: result.stopReason, loss: result.final.loss, terms: { ...result.final.terms } });
    const tOptimised = elapsed();
    // The objective's sessions and weights are done with: let them go before Griffin-Lim's
    // arrays are made, so the two phases' memory does not add up in the render's peak.
    objective.dispose();

    // Reconstruct
    const mag = frontEnd.toMagnitude(frames.toFull(result.x), T);
    const glIterations = preset.griffinLim.iterations;
    emit('reconstruct', 0, glIterations);
    const tGl = performance.now();
    const gl = await griffinLim(mag, T, stftShapeOf(preset), {
      iterations: glIterations,
      momentum: preset.griffinLim.momentum,
      length: content.samples.length,
      seed: deriveSeed(preset.network.seed, 'phase'),
      // The content's phase is a good start only when X started from the content and so
      // stays aligned with it in time; from noise, the phase the magnitude itself implies
      // (phase-gradient heap integration) starts far closer than a random one.
      initialPhase: preset.init === 'noise' ? pghiPhase(mag, T, stftShapeOf(preset), deriveSeed(preset.network.seed, 'phase')) : c.spec,
      onIteration: async (i, total) => {
        check();
        const done = i + 1;
        if (done % 4 === 0 || done === total) {
          const per = (performance.now() - tGl) / 1000 / done;
          emit('reconstruct', done, total, { eta: per * (total - done) });
        }
        await yieldToEventLoop();
      },
    });
    const tReconstructed = elapsed();

    emit('encode');
    const out = hooks.rawOutput ? { samples: gl.signal, peakDb: gainToDb(peakOf(gl.signal)) } : normalisePeak(gl.signal, preset.output.normalize, preset.output.peakDb);
    const kept = hooks.measureMelody === false ? undefined : melodyKept(content.samples, gl.signal, rate);
    const metrics = takeMetrics(objective.backend, result, gl.spectralConvergence, out.peakDb, {
      analyse: tAnalysed,
      optimise: tOptimised - tAnalysed,
      reconstruct: tReconstructed - tOptimised,
      total: elapsed(),
    });
    if (kept !== undefined) metrics.melodyKept = kept;
    return { jobId: job.jobId, sampleRate: rate, samples: out.samples, preset, metrics, warnings };
  } finally {
    // Idempotent: after an error or a cancel before the optimiser finished.
    objective.dispose();
  }
}

/**
 * Frames where the content sounds: its loudest bin within SILENCE_DB of the loudest bin of
 * the whole content. A take keeps the content's rests: nothing may be put where both the
 * content and any faithful transfer of it are silent.
 * @returns one flag per frame
 */
export function soundingFrames(spec: ComplexSpectrogram): boolean[] {
  const peaks = new Float64Array(spec.frames);
  let loudest = 0;
  for (let t = 0; t < spec.frames; t++) {
    let p = 0;
    for (let f = 0; f < spec.bins; f++) {
      const i = t * spec.bins + f;
      p = Math.max(p, spec.re[i] * spec.re[i] + spec.im[i] * spec.im[i]);
    }
    peaks[t] = p;
    loudest = Math.max(loudest, p);
  }
  const floor = loudest * 10 ** (SILENCE_DB / 10);
  return Array.from(peaks, (p) => loudest > 0 && p > floor);
}

/** Frames whose loudest bin is this far (dB) below the content's loudest are rests. */
export const SILENCE_DB = -60;

/**
 * The optimiser's variable as the sounding frames of X only (rests are fixed at X = 0): maps
 * between the full T × F spectrogram and the rows that move. With no rests it is the
 * identity, so a take of music without rests is exactly what it was before rests were kept.
 */
function restrictToFrames(active: boolean[], bins: number) {
  const rows = active.flatMap((a, t) => (a ? [t] : []));
  const identity = rows.length === active.length;
  const full = new Float32Array(active.length * bins);
  const part = new Float32Array(rows.length * bins);
  return {
    /** The full X for the objective (a reused buffer) from the moving rows. */
    toFull(x: Float32Array): Float32Array {
      if (identity) return x;
      rows.forEach((t, r) => full.set(x.subarray(r * bins, (r + 1) * bins), t * bins));
      return full;
    },
    /** The moving rows of a full X (a new array). */
    fromFullX(x: Float32Array): Float32Array {
      if (identity) return x;
      const out = new Float32Array(rows.length * bins);
      rows.forEach((t, r) => out.set(x.subarray(t * bins, (t + 1) * bins), r * bins));
      return out;
    },
    /** An evaluation with its gradient restricted to the moving rows (a reused buffer). */
    fromFull(ev: Evaluation): Evaluation {
      if (identity) return ev;
      rows.forEach((t, r) => part.set(ev.gradient.subarray(t * bins, (t + 1) * bins), r * bins));
      return { loss: ev.loss, terms: ev.terms, gradient: part };
    },
  };
}

/** A magnitude as a spectrogram a front end can analyse (zero phase). */
const templateSpectrogram = (magnitude: Float32Array, like: ComplexSpectrogram): ComplexSpectrogram => ({
  frames: like.frames,
  bins: like.bins,
  re: magnitude,
  im: new Float32Array(magnitude.length),
});

/** The starting point of the optimisation (docs/ARCHITECTURE.md, "The objective"). */
function initialX(preset: Preset, content: Analysis, style: Analysis, frontEnd: FrontEnd): Float32Array {
  if (preset.init === 'content') return Float32Array.from(content.x);
  if (preset.init === 'matchEq') return frontEnd.analyse(matchEq(content.spec, style.spec));
  const rng = createRng(deriveSeed(preset.network.seed, 'init'));
  const x = new Float32Array(content.x.length);
  // |N(0, σ)| keeps the start non-negative without biasing it towards any structure.
  for (let i = 0; i < x.length; i++) x[i] = Math.abs(rng.normal()) * NOISE_INIT_STD;
  return x;
}

/** A rough guess of Griffin-Lim's time, for the first ETA before it has been measured. */
function estimateReconstructSeconds(preset: Preset, frames: number): number {
  // ~2 FFTs per frame per iteration at roughly 20 ns per point·log2 on these machines.
  const n = preset.analysis.nFft;
  return (preset.griffinLim.iterations * frames * 2 * n * Math.log2(n) * 2e-8) / 2;
}

/** A take's metrics (docs/ARCHITECTURE.md, "The objective") from the optimiser's result. */
function takeMetrics(backend: string, r: OptimiseResult, spectralConvergence: number, peakDb: number, seconds: TakeMetrics['seconds']): TakeMetrics {
  return {
    backend,
    iterations: r.iterations,
    evaluations: r.evaluations,
    stopReason: r.stopReason,
    initialLoss: r.initial.loss,
    finalLoss: r.final.loss,
    initialTerms: { ...r.initial.terms },
    finalTerms: { ...r.final.terms },
    styleLossRatio: r.initial.terms.style > 0 ? r.final.terms.style / r.initial.terms.style : 1,
    termErrors: perTerm((t) => Math.sqrt(Math.max(0, r.final.terms[t]))),
    spectralConvergence,
    spectralConvergenceDb: 20 * Math.log10(Math.max(spectralConvergence, 1e-12)),
    peakDb: Number.isFinite(peakDb) ? peakDb : -200,
    seconds,
  };
}
