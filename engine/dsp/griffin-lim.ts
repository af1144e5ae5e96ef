/**
 * Fast Griffin-Lim (Perraudin, Balazs & Søndergaard, 2013): phase retrieval from a magnitude
 * spectrogram with a momentum term; momentum 0 is the classic algorithm. The update is
 * reference.py's griffin_lim, step for step:
 *   reb = STFT(iSTFT(M·angle));  angle = reb − m/(1+m)·tprev;  angle /= |angle| + 1e-16;
 *   tprev = reb;  …;  x = iSTFT(M·angle)
 * Frames are split over worker threads when the job is big enough; the result is
 * bit-identical to the single-threaded one (see kernel-tasks.ts).
 */
import { GramophoneError } from '../../common/errors';
import { createRng } from '../random';
import { acquireKernelPool, defaultKernelThreads, sharedFloat32, sharedFloat64, type KernelPool } from './kernel-pool';
import { checkShape, frameCount, type ComplexSpectrogram, type StftShape } from './stft';
import { overlapAddGain, type OlaShape } from './overlap-add';
import { runKernel, type KernelTask } from './kernel-tasks';

export interface GriffinLimOptions {
  /** Update steps (0 = just the inverse STFT of the initial phase). */
  iterations: number;
  /** Fast Griffin-Lim momentum, ≥ 0; 0.99 is the usual choice, 0 is classic Griffin-Lim. */
  momentum: number;
  /** Output length in samples; the magnitude must have frameCount(length, hop) frames. */
  length: number;
  /** Seed of the random initial phase (ignored with `initialPhase`); default 0. */
  seed?: number;
  /** Start from this spectrum's phase (e.g. the content's), frames × bins like the magnitude. */
  initialPhase?: ComplexSpectrogram;
  /** Called after each iteration i = 1 … total and awaited; throw to stop (the error propagates). */
  onIteration?: (i: number, total: number) => void | Promise<void>;
  /** Threads to use, the caller included; default: up to 4 on big jobs, 1 on small ones. */
  threads?: number;
}

export interface GriffinLimResult {
  /** Reconstructed signal, `length` samples, unnormalised. */
  signal: Float32Array;
  /** ‖M − |STFT(signal)|‖ / ‖M‖ (Frobenius norms). */
  spectralConvergence: number;
}

/** Below this many frame samples (frames × nFft) a job is too small to be worth threads. */
const MIN_THREADED_WORK = 1 << 18;

/** Runs kernels on the pool, or on this thread alone. */
type Runner = (task: KernelTask, total: number, minPiece: number) => Promise<void> | void;

/** Smallest piece of work handed to one thread: frames, and samples of overlap-add. */
const FRAMES_PER_PIECE = 8;
const SAMPLES_PER_PIECE = 8192;

/**
 * Reconstruct a signal whose STFT magnitude approximates `magnitude`.
 * @param magnitude M ≥ 0, frames × bins row-major (bins = nFft/2 + 1)
 * @param frames number of frames in `magnitude`; must equal frameCount(opts.length, hop)
 */
export async function griffinLim(magnitude: Float32Array, frames: number, shape: StftShape, opts: GriffinLimOptions): Promise<GriffinLimResult> {
  checkShape(shape);
  const { nFft: n, hop } = shape;
  const window = shape.window ?? n;
  const bins = n / 2 + 1;
  const { iterations, momentum, length } = opts;
  if (!Number.isInteger(length) || length < 1) {
    throw new GramophoneError('INVALID_INPUT', `Griffin-Lim needs a positive whole output length, not ${length}.`);
  }
  if (frames !== frameCount(length, hop) || magnitude.length !== frames * bins) {
    throw new GramophoneError('INVALID_INPUT', `A ${frames}-frame magnitude of ${magnitude.length} values does not fit ${length} samples at nFft ${n}, hop ${hop}.`);
  }
  if (!Number.isInteger(iterations) || iterations < 0) {
    throw new GramophoneError('INVALID_INPUT', `Griffin-Lim iterations must be a whole number ≥ 0, not ${iterations}.`);
  }
  if (!Number.isFinite(momentum) || momentum < 0) {
    throw new GramophoneError('INVALID_INPUT', `Griffin-Lim momentum must be ≥ 0, not ${momentum}.`);
  }
  const phase = opts.initialPhase;
  if (phase && (phase.frames !== frames || phase.bins !== bins)) {
    throw new GramophoneError('INVALID_INPUT', `The initial phase has ${phase.frames} × ${phase.bins} bins; the magnitude has ${frames} × ${bins}.`);
  }

  const threads = opts.threads ?? (frames * n >= MIN_THREADED_WORK ? defaultKernelThreads() : 1);
  const pool: KernelPool | null = threads > 1 ? await acquireKernelPool(Math.min(threads, frames)) : null;
  const shared = pool !== null;
  const run: Runner = pool ? (task, total, piece) => pool.run(task, total, piece) : (task, total) => runKernel(task, 0, total);

  const mag = shared ? sharedFloat32(magnitude.length, true) : magnitude;
  if (mag !== magnitude) mag.set(magnitude);
  const tp = sharedFloat32(frames * n, shared);
  const frameBuf = sharedFloat32(frames * n, shared);
  const xp = sharedFloat32(length + n, shared);
  const gainLocal = overlapAddGain(frames, n, window, hop);
  const gain = sharedFloat64(gainLocal.length, shared);
  gain.set(gainLocal);
  const ola: OlaShape = { frames, n, hop, length };

  {
    const re = sharedFloat32(frames * bins, shared);
    const im = sharedFloat32(frames * bins, shared);
    writeInitialSpectrum(mag, frames, bins, phase, opts.seed ?? 0, re, im);
    await run({ op: 'synthesise', re, im, n, window, frameBuf }, frames, FRAMES_PER_PIECE);
  }

  const coef = momentum / (1 + momentum);
  const padded: KernelTask = { op: 'overlapAddPadded', frameBuf, gain, shape: ola, xp };
  const step: KernelTask = { op: 'griffinLim', xp, mag, tp, n, window, hop, coef, frameBuf };
  for (let i = 1; i <= iterations; i++) {
    await run(padded, length + n, SAMPLES_PER_PIECE);
    await run(step, frames, FRAMES_PER_PIECE);
    await opts.onIteration?.(i, iterations);
  }
  await run(padded, length + n, SAMPLES_PER_PIECE);
  const signal = xp.slice(n / 2, n / 2 + length);

  const sums = sharedFloat64(2 * frames, shared);
  await run({ op: 'convergence', xp, mag, n, window, hop, sums }, frames, FRAMES_PER_PIECE);
  return { signal, spectralConvergence: convergenceFromSums(sums, frames) };
}

/** M·angle0 into re/im: the given phase normalised to unit length, or a seeded random one. */
function writeInitialSpectrum(mag: Float32Array, frames: number, bins: number, phase: ComplexSpectrogram | undefined, seed: number, re: Float32Array, im: Float32Array): void {
  const count = frames * bins;
  if (phase) {
    for (let i = 0; i < count; i++) {
      const pr = phase.re[i];
      const pi = phase.im[i];
      const r = Math.sqrt(pr * pr + pi * pi);
      // A zero bin has no phase; angle 0 is as good as any.
      re[i] = r > 0 ? (mag[i] * pr) / r : mag[i];
      im[i] = r > 0 ? (mag[i] * pi) / r : 0;
    }
    return;
  }
  const rng = createRng(seed);
  for (let i = 0; i < count; i++) {
    const a = 2 * Math.PI * rng.next();
    re[i] = mag[i] * Math.cos(a);
    im[i] = mag[i] * Math.sin(a);
  }
}

function convergenceFromSums(sums: Float64Array, frames: number): number {
  let err = 0;
  let ref = 0;
  for (let t = 0; t < frames; t++) {
    err += sums[2 * t];
    ref += sums[2 * t + 1];
  }
  return ref > 0 ? Math.sqrt(err / ref) : err > 0 ? Infinity : 0;
}
