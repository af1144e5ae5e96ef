/**
 * The render job: decode → analyse → optimise → reconstruct → normalise → take.
 * It is what the engine process runs for the workstation and what the command line runs.
 * Deterministic: the same inputs, preset and seed give bit-identical samples on one machine.
 */
import type { LossTerms, Region, RenderPhase, RenderProgress, TakeMetrics, TakeResult } from '../common/audio';
import type { RenderRequest } from '../common/engine-api';
import { GramophoneError, cancelled } from '../common/errors';
import type { Preset } from '../common/preset';
import { dbToGain, gainToDb } from '../common/units';
import { decodeAudio } from './audio/decode';
import { mixdown } from './dsp/mixdown';
import { resample } from './dsp/resample';
import { stft, type ComplexSpectrogram } from './dsp/stft';
import { griffinLim } from './dsp/griffin-lim';
import { createObjective } from './objective/create-objective';
import type { Evaluation, Objective } from './objective/objective';
import { lbfgs } from './optim/lbfgs';
import { adam } from './optim/adam';
import type { OptimiseOptions } from './optim/types';
import { createRng, deriveSeed } from './random';
import { spectrogramPreview } from './preview';

/** How the job talks to whoever runs it. */
export interface RenderHooks {
  /** Called for every progress event (several per iteration at most). */
  onProgress?: (p: RenderProgress) => void;
  /** Polled at least once per iteration; true stops the job with CANCELLED. */
  isCancelled?: () => boolean;
  /** Send a spectrogram preview every this many iterations (default 5). */
  previewEvery?: number;
}

/** A decoded, mono, resampled input ready for analysis. */
export interface PreparedInput {
  samples: Float32Array;
  warnings: string[];
}

/** Standard deviation of the noise initialisation, in units of X = log1p|M|. */
const NOISE_INIT_STD = 1e-3;

/**
 * Headroom of X above the loudest input bin, in units of X: log(2) allows twice the
 * largest input magnitude (+6 dB). Without a cap the style loss can be met by a few bins
 * driven far above anything in either input, which Griffin-Lim turns into loud spikes.
 */
const X_HEADROOM = Math.LN2;

/** Yield to the event loop so a cancel message that has arrived is read. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Decode an audio file straight to mono at `rate`, and crop it to `region` (seconds).
 * @throws GramophoneError INVALID_INPUT / UNSUPPORTED_AUDIO naming the file.
 */
export async function prepareInput(bytes: Uint8Array, name: string, rate: number, minSamples: number, region?: Region): Promise<PreparedInput> {
  const decoded = await decodeAudio(bytes, name, { monoAt: rate });
  let mono = mixdown(decoded.channels);
  const warnings = decoded.warnings.map((w) => `${name}: ${w}`);
  if (region) {
    const start = Math.min(mono.length, Math.round(region.start * decoded.sampleRate));
    const end = Math.min(mono.length, Math.round(region.end * decoded.sampleRate));
    if (end - start < 1) throw new GramophoneError('INVALID_INPUT', `The region ${region.start.toFixed(2)}–${region.end.toFixed(2)} s lies outside "${name}"`);
    mono = mono.slice(start, end);
  }
  const samples = decoded.sampleRate === rate ? mono : resample(mono, decoded.sampleRate, rate);
  if (samples.length < minSamples) {
    const need = (minSamples / rate).toFixed(3);
    throw new GramophoneError('INVALID_INPUT', `"${name}" is too short: at least ${need} s (one FFT frame) is needed${region ? ' in the selected region' : ''}`);
  }
  return { samples, warnings };
}

/** log1p of the magnitude, frames × bins. */
function logMagnitudeOf(spec: ComplexSpectrogram): Float32Array {
  const out = new Float32Array(spec.frames * spec.bins);
  for (let i = 0; i < out.length; i++) out[i] = Math.log1p(Math.sqrt(spec.re[i] * spec.re[i] + spec.im[i] * spec.im[i]));
  return out;
}

const maxOf = (x: Float32Array) => {
  let m = 0;
  for (let i = 0; i < x.length; i++) if (x[i] > m) m = x[i];
  return m;
};

/** Scale so the peak sits at `peakDb` dBFS; a silent signal stays silent. Never clips. */
export function normalisePeak(x: Float32Array, normalize: boolean, peakDb: number): { samples: Float32Array; peakDb: number } {
  let peak = 0;
  for (let i = 0; i < x.length; i++) peak = Math.max(peak, Math.abs(x[i]));
  if (peak === 0) return { samples: x, peakDb: -Infinity };
  const target = normalize ? dbToGain(peakDb) : Math.min(peak, dbToGain(peakDb));
  const gain = target / peak;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] * gain;
  return { samples: out, peakDb: gainToDb(peak * gain) };
}

/**
 * Run one render.
 * @throws GramophoneError: CANCELLED when `isCancelled` turns true, INVALID_INPUT /
 *   UNSUPPORTED_AUDIO for unusable inputs, OUT_OF_MEMORY when the job does not fit.
 */
export async function render(req: RenderRequest, hooks: RenderHooks = {}): Promise<TakeResult> {
  const { preset } = req;
  const t0 = performance.now();
  const elapsed = () => (performance.now() - t0) / 1000;
  const check = () => {
    if (hooks.isCancelled?.()) throw cancelled();
  };
  const emit = (phase: RenderPhase, iteration = 0, total = 0, extra: Partial<RenderProgress> = {}) =>
    hooks.onProgress?.({ jobId: req.jobId, phase, iteration, total, elapsed: elapsed(), ...extra });

  // Decode
  emit('decode');
  const { sampleRate: rate, nFft, hop } = preset.analysis;
  const content = await prepareInput(req.content.bytes, req.content.name, rate, nFft, req.region);
  const style = await prepareInput(req.style.bytes, req.style.name, rate, nFft);
  const warnings = [...content.warnings, ...style.warnings];
  check();
  await yieldToEventLoop();

  // Analyse
  emit('analyse');
  const shape = { nFft, hop };
  const contentSpec = stft(content.samples, shape);
  const styleSpec = stft(style.samples, shape);
  const T = contentSpec.frames;
  const F = contentSpec.bins;
  const xc = logMagnitudeOf(contentSpec);
  const xs = logMagnitudeOf(styleSpec);
  if (T < preset.network.kernel) {
    throw new GramophoneError('INVALID_INPUT', `"${req.content.name}" gives ${T} frames, fewer than the network's kernel width ${preset.network.kernel}: use a longer clip or a smaller kernel`);
  }
  if (styleSpec.frames < preset.network.kernel) {
    throw new GramophoneError('INVALID_INPUT', `"${req.style.name}" gives ${styleSpec.frames} frames, fewer than the network's kernel width ${preset.network.kernel}`);
  }
  const objective = await createObjective(
    { frames: T, bins: F, content: xc, style: xs, styleFrames: styleSpec.frames, weights: preset.weights, network: preset.network },
    preset.backend,
  );
  const tAnalysed = elapsed();
  try {
    // Optimise
    const x0 = initialX(preset, xc);
    const contentMax = maxOf(xc);
    const ceiling = Math.max(contentMax, 1e-6);
    const upperBound = Math.max(contentMax, maxOf(xs)) + X_HEADROOM;
    const iterations = preset.optimizer.iterations;
    const previewEvery = Math.max(1, hooks.previewEvery ?? 5);
    const tOpt = performance.now();
    const evaluate = async (x: Float32Array): Promise<Evaluation> => {
      check();
      const ev = await objective.evaluate(x);
      await yieldToEventLoop();
      check();
      return ev;
    };
    emit('optimise', 0, iterations);
    const options: OptimiseOptions = {
      iterations,
      learningRate: preset.optimizer.learningRate,
      lowerBound: 0,
      upperBound,
      onIteration: async (i, ev, x) => {
        const done = i + 1;
        const perIteration = (performance.now() - tOpt) / 1000 / done;
        emit('optimise', done, iterations, {
          loss: ev.loss,
          terms: { ...ev.terms },
          eta: perIteration * (iterations - done) + estimateReconstructSeconds(preset, T),
          ...(done % previewEvery === 0 || done === iterations ? { preview: spectrogramPreview(x, T, F, ceiling) } : {}),
        });
        check();
        await yieldToEventLoop();
      },
    };
    const result = preset.optimizer.kind === 'adam' ? await adam(evaluate, x0, options) : await lbfgs(evaluate, x0, options);
    const tOptimised = elapsed();

    // Reconstruct: M = exp(X) − 1 ≥ 0.
    const x = result.x;
    const mag = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) mag[i] = Math.max(0, Math.expm1(x[i]));
    const glIterations = preset.griffinLim.iterations;
    emit('reconstruct', 0, glIterations);
    const tGl = performance.now();
    const gl = await griffinLim(mag, T, shape, {
      iterations: glIterations,
      momentum: preset.griffinLim.momentum,
      length: content.samples.length,
      seed: deriveSeed(preset.network.seed, 'phase'),
      // The content's phase is a good start only when X started from the content and so
      // stays aligned with it in time.
      initialPhase: preset.init === 'content' ? contentSpec : undefined,
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
    const out = normalisePeak(gl.signal, preset.output.normalize, preset.output.peakDb);
    const metrics = takeMetrics(objective.backend, result.iterations, result.initial, result.final, gl.spectralConvergence, out.peakDb, {
      analyse: tAnalysed,
      optimise: tOptimised - tAnalysed,
      reconstruct: tReconstructed - tOptimised,
      total: elapsed(),
    });
    return { jobId: req.jobId, sampleRate: rate, samples: out.samples, preset, metrics, warnings };
  } finally {
    objective.dispose();
  }
}

/** The starting point of the optimisation (DESIGN.md §2 "Initialisation"). */
function initialX(preset: Preset, xc: Float32Array): Float32Array {
  if (preset.init === 'content') return Float32Array.from(xc);
  const rng = createRng(deriveSeed(preset.network.seed, 'init'));
  const x = new Float32Array(xc.length);
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

/** DESIGN.md §5 figures from the first and last evaluations. */
function takeMetrics(
  backend: string,
  iterations: number,
  initial: Evaluation,
  final: Evaluation,
  spectralConvergence: number,
  peakDb: number,
  seconds: TakeMetrics['seconds'],
): TakeMetrics {
  const terms = (t: LossTerms): LossTerms => ({ content: t.content, style: t.style, energy: t.energy, timbre: t.timbre });
  return {
    backend,
    iterations,
    initialLoss: initial.loss,
    finalLoss: final.loss,
    initialTerms: terms(initial.terms),
    finalTerms: terms(final.terms),
    styleLossRatio: initial.terms.style > 0 ? final.terms.style / initial.terms.style : 1,
    energyEnvelopeError: Math.sqrt(Math.max(0, final.terms.energy)),
    timbreEnvelopeError: Math.sqrt(Math.max(0, final.terms.timbre)),
    contentFeatureDistance: Math.sqrt(Math.max(0, final.terms.content)),
    spectralConvergence,
    spectralConvergenceDb: 20 * Math.log10(Math.max(spectralConvergence, 1e-12)),
    peakDb: Number.isFinite(peakDb) ? peakDb : -200,
    seconds,
  };
}

export type { Objective };
