/**
 * The fast objective backend: onnxruntime-node's native CPU kernels run graphs built here
 * once per shape (engine/objective/onnx/objective-graphs.ts), with the gradient written
 * analytically. The conv weights (in their spectral form when K > 1, see
 * onnx/spectral-conv.ts) stay one Float32Array in JS memory that every session reads in
 * place as an input, so they exist once however many graphs use them.
 */
import os from 'node:os';
import type * as Ort from 'onnxruntime-node';
import { GramophoneError } from '../../common/errors';
import type { LossTerms } from '../../common/audio';
import { NORM_EPSILON, convWeights, stretchedEnergy, timbreEnvelope, type Evaluation, type Objective, type ObjectiveFactory, type ObjectiveSetup } from './objective';
import { buildEvaluateGraph, buildFeaturesGraph, buildStyleGraph, convPlan, gramMode, type ConvShape, type GramMode } from './onnx/objective-graphs';
import { SPECTRAL_CHUNK, buildSpectralWeightsGraph, spectralWeightLength, type SpectralPlan } from './onnx/spectral-conv';
import { deviceLabel, openSessionOnDevice, type DeviceSession } from '../device';

type OrtModule = typeof Ort;

let ortPromise: Promise<OrtModule> | null = null;

/**
 * onnxruntime-node, loaded on first use. Its native binding is loaded at import, so a
 * machine where it cannot load fails here (and the caller falls back to tfjs) rather than
 * when the engine starts.
 */
export function loadOrt(): Promise<OrtModule> {
  ortPromise ??= import('onnxruntime-node').then((m) => ((m as { default?: OrtModule }).default ?? m) as OrtModule);
  return ortPromise;
}

/** Threads for the intra-op pool: every core (the render loop itself is idle while a run is under way). */
export const onnxThreads = (): number => Math.max(1, os.availableParallelism?.() ?? os.cpus().length);

/** Whether onnxruntime-node loads and runs here, and a one-line description or the reason it does not. */
export async function probeOnnx(): Promise<{ available: boolean; detail: string }> {
  try {
    const ort = await loadOrt();
    // Loading the module is not enough on a broken install: run a one-node graph.
    const s = await createSession(ort, buildFeaturesGraph({ bins: 1, filters: 1, kernel: 1, activation: 'relu' }, 1), 1);
    const out = await s.run({ x: new ort.Tensor('float32', Float32Array.of(2), [1, 1]), w: new ort.Tensor('float32', Float32Array.of(3), [1, 1]) });
    const ok = (out.a.data as Float32Array)[0] === 6;
    await s.release();
    if (!ok) return { available: false, detail: 'onnxruntime-node gave a wrong answer on a self-test' };
    return { available: true, detail: `onnxruntime-node ${ort.env.versions.common} ${await deviceLabel(ort)}, ${onnxThreads()} threads` };
  } catch (e) {
    return { available: false, detail: `onnxruntime-node does not load: ${e instanceof Error ? e.message : String(e)}` };
  }
}

function createSession(ort: OrtModule, model: Uint8Array, threads: number): Promise<DeviceSession> {
  return openSessionOnDevice(ort, (executionProviders) => ort.InferenceSession.create(model, {
    executionProviders,
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // The arena keeps the intermediates (the largest are the per-bin products) for the
    // next call instead of returning them to the OS each time.
    enableCpuMemArena: true,
    enableMemPattern: true,
    // Warnings about constants the optimiser folded away are noise for a musician's log.
    logSeverityLevel: 3,
    // Pool threads sleep between ops instead of spinning: these cores are shared (with the
    // UI, the FFT workers, other programs), and a spinning waiter steals the time slice the
    // thread it waits for needs. Measured no slower on an idle machine, faster on a busy one.
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  }));
}

/**
 * Turn W (K × F × N, the first K·F·N values of `buf`) into the spectral weights (L × F × N,
 * all of `buf`) in place, one chunk of columns at a time: a chunk's K input rows are copied
 * out before its L output rows are written, and no other chunk's columns are touched.
 * @param cols F·N
 */
export async function spectralWeightsInPlace(ort: OrtModule, buf: Float32Array, plan: SpectralPlan, cols: number, threads: number): Promise<void> {
  const { kernel: K, size: L } = plan;
  const session = await createSession(ort, buildSpectralWeightsGraph(plan), threads);
  try {
    const chunk = Math.min(SPECTRAL_CHUNK, cols);
    const src = new Float32Array(K * chunk);
    const dst = new Float32Array(L * chunk);
    for (let c0 = 0; c0 < cols; c0 += chunk) {
      const n = Math.min(chunk, cols - c0);
      for (let k = 0; k < K; k++) src.set(buf.subarray(k * cols + c0, k * cols + c0 + n), k * n);
      const out = new ort.Tensor('float32', dst.subarray(0, L * n), [L, n]);
      await session.run({ w: new ort.Tensor('float32', src.subarray(0, K * n), [K, n]) }, { s: out });
      for (let r = 0; r < L; r++) buf.set(dst.subarray(r * n, (r + 1) * n), r * cols + c0);
    }
  } finally {
    await session.release();
  }
}

const sumSquares = (v: Float32Array): number => {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return s;
};

export interface OnnxObjectiveOptions {
  /** Force one of the two exact Gram forms (tests cover both); default: the cheaper for the shapes. */
  gram?: GramMode;
}

/** The onnx objective with default options (ObjectiveFactory); see `createOnnxObjectiveWith`. */
export const createOnnxObjective: ObjectiveFactory = (setup) => createOnnxObjectiveWith(setup);

/**
 * The onnx objective for one optimisation. Builds and compiles the graphs for exactly
 * these shapes, computes the content and style targets once, and then each `evaluate` is
 * one session run.
 */
export async function createOnnxObjectiveWith(setup: ObjectiveSetup, options: OnnxObjectiveOptions = {}): Promise<Objective> {
  const { frames: T, bins: F, styleFrames: Ts, weights, network } = setup;
  const { filters: N, kernel: K } = network;
  for (const [name, v] of [['frames', T], ['bins', F], ['style frames', Ts], ['filters', N], ['kernel width', K]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new GramophoneError('INVALID_INPUT', `The network setting "${name}" must be a positive whole number (got ${v})`);
  }
  if (T < K || Ts < K) {
    const [what, n, fix] = T < K ? ['content', T, 'a longer region'] : ['style', Ts, 'a longer style file'];
    throw new GramophoneError('INVALID_INPUT', `The ${what} is too short for the network: ${n} frames, but the kernel is ${K} frames wide. Use ${fix} or a smaller kernel.`);
  }
  if (setup.content.length !== T * F || setup.style.length !== Ts * F) {
    throw new GramophoneError('INVALID_INPUT', `The spectrograms do not match their declared size (${T} and ${Ts} frames of ${F} bins)`);
  }
  let ort: OrtModule;
  try {
    ort = await loadOrt();
  } catch (e) {
    throw new GramophoneError('INVALID_INPUT', `The onnx backend does not load here: ${e instanceof Error ? e.message : String(e)}`);
  }
  const threads = onnxThreads();
  const shape: ConvShape = { bins: F, filters: N, kernel: K, activation: network.activation };
  const tp = T - K + 1;
  const tsp = Ts - K + 1;
  const mode = options.gram ?? gramMode(tp, tsp, N);
  const f32 = (data: Float32Array, dims: number[]) => new ort.Tensor('float32', data, dims);

  // The weights as the graphs' inputs. Spectral weights are made in the buffer that first
  // holds W, so W1's 184 MB W is never held twice.
  const plan = convPlan(K);
  let weightFeeds: Record<string, Ort.Tensor>;
  if (plan) {
    const buf = new Float32Array(spectralWeightLength(plan, F, N));
    convWeights(F, network, buf);
    await spectralWeightsInPlace(ort, buf, plan, F * N, threads);
    weightFeeds = {
      w0: f32(buf.subarray(0, 2 * F * N), [2, F, N]),
      wc: f32(buf.subarray(2 * F * N), [2 * plan.half, F, N]),
    };
  } else {
    weightFeeds = { w: f32(convWeights(F, network), [F, N]) };
  }
  const sessions: DeviceSession[] = [];
  const open = async (model: Uint8Array) => {
    const s = await createSession(ort, model, threads);
    sessions.push(s);
    return s;
  };

  // One features graph per frame count (content, style, and whatever `features` is asked for).
  const featureSessions = new Map<number, Promise<DeviceSession>>();
  const features = async (x: Float32Array, frames: number): Promise<Float32Array> => {
    let s = featureSessions.get(frames);
    if (!s) {
      s = open(buildFeaturesGraph(shape, frames));
      featureSessions.set(frames, s);
    }
    const out = await (await s).run({ x: f32(x, [frames, F]), ...weightFeeds });
    return out.a.data as Float32Array;
  };

  // Fixed targets.
  const ac = await features(setup.content, T);
  const acNorm = sumSquares(ac);
  const styleSession = await createSession(ort, buildStyleGraph(shape, Ts, mode), threads);
  const styleOut = await styleSession.run({ x: f32(setup.style, [Ts, F]), ...weightFeeds });
  await styleSession.release();
  const asData = styleOut.a.data as Float32Array;
  const gsNorm = mode === 'frames' ? Number(styleOut.pss.data[0]) / (tsp * tsp) : Number(styleOut.gss.data[0]);
  const es = stretchedEnergy(setup.style, Ts, F, T);
  const ts = timbreEnvelope(setup.style, Ts, F);
  const esNorm = sumSquares(es);
  const tsNorm = sumSquares(ts);
  // Every normaliser is ‖target‖² + ε, as in the tfjs backend (objective.ts NORM_EPSILON).
  const coef = (w: number, scale: number, norm: number) => (w ? (w * scale) / (norm + NORM_EPSILON) : 0);

  const evalSession = await open(
    buildEvaluateGraph({
      ...shape,
      frames: T,
      styleFrames: Ts,
      mode,
      coef: {
        content: coef(weights.content, 2, acNorm),
        style: coef(weights.style, 4 / tp, gsNorm),
        energy: coef(weights.energy, 2 / F, esNorm),
        timbre: coef(weights.timbre, 2 / T, tsNorm),
      },
      energyTarget: es,
      timbreTarget: ts,
    }),
  );

  // Feeds and fetches are built once. X is wrapped, not copied (ORT reads the caller's
  // buffer in place), and the gradient is written straight into one reused buffer.
  const feeds: Record<string, Ort.Tensor> = {
    ...weightFeeds,
    ac: f32(ac, [tp, N]),
    ...(mode === 'frames' ? { as: f32(asData, [tsp, N]) } : { gs: f32(styleOut.gs.data as Float32Array, [N, N]) }),
  };
  const gradient = new Float32Array(T * F);
  const sumNames = mode === 'frames' ? ['sc', 'sp', 'sq', 'se', 'st'] : ['sc', 'sd', 'se', 'st'];
  const fetches: Record<string, Ort.Tensor | null> = { grad: f32(gradient, [T, F]) };
  for (const n of sumNames) fetches[n] = null;
  const norm = (sum: number, n: number) => sum / (n + NORM_EPSILON);
  const num = (t: Ort.Tensor) => Number(t.data[0]);
  let disposed = false;
  const device = await deviceLabel(ort);

  return {
    backend: `onnx (onnxruntime-node ${ort.env.versions.common} ${device}, ${threads} threads)`,
    async evaluate(x: Float32Array): Promise<Evaluation> {
      if (disposed) throw new GramophoneError('INTERNAL', 'The onnx objective was used after it was disposed');
      if (x.length !== T * F) throw new GramophoneError('INVALID_INPUT', `Expected ${T * F} spectrogram values, got ${x.length}`);
      feeds.x = f32(x, [T, F]);
      const out = await evalSession.run(feeds, fetches);
      const styleSum =
        mode === 'frames' ? num(out.sp) / (tp * tp) - (2 * num(out.sq)) / (tp * tsp) + gsNorm : num(out.sd);
      const terms: LossTerms = {
        content: norm(num(out.sc), acNorm),
        // The "frames" form is a difference of sums: clamp the rounding below zero.
        style: Math.max(0, norm(styleSum, gsNorm)),
        energy: norm(num(out.se), esNorm),
        timbre: norm(num(out.st), tsNorm),
      };
      const loss =
        weights.content * terms.content + weights.style * terms.style + weights.energy * terms.energy + weights.timbre * terms.timbre;
      return { loss, terms, gradient };
    },
    async features(x: Float32Array): Promise<Float32Array> {
      if (x.length % F !== 0 || x.length / F < K) throw new GramophoneError('INVALID_INPUT', `Features need at least ${K} frames of ${F} bins`);
      return features(x, x.length / F);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const s of sessions) void s.release();
    },
  };
}
