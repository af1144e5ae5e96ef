/**
 * The fast objective backend: onnxruntime-node's native CPU kernels run graphs traced from
 * the objective's modules (onnx/tracer.ts derives the gradient). Per optimisation it builds
 * one target graph per source (the content's and the style's statistics, run once) and one
 * evaluation graph (every term's sums and ∂L/∂X, run per iteration). Layer weights stay one
 * Float32Array each in JS memory that every session reads in place; conv1d weights with
 * K > 1 are turned into their spectral form in that same buffer (onnx/spectral-conv.ts), so
 * W1's 184 MB of weights exist once.
 */
import type * as Ort from 'onnxruntime-node';
import { GramophoneError } from '../../common/errors';
import type { LossTerms } from '../../common/audio';
import { perTerm } from '../../common/loss-terms';
import type { ParamSpec } from './layers';
import { positionsByChannels } from './layout';
import { SHARED_WEIGHTS_MAX, forwardNetwork, networkLayouts, sizeOf, type WeightRoom } from './network';
import { NORM_EPSILON, type Evaluation, type Objective, type ObjectiveFactory, type ObjectiveSetup } from './objective';
import { planObjective, type ObjectivePlan, type TermPlan } from './plan';
import { SPECTRAL_CHUNK, buildSpectralWeightsGraph, spectralWeightLength, type SpectralPlan } from './onnx/spectral-conv';
import { deviceLabel, type DeviceSession } from '../device';
import { createSession, loadOrt, onnxThreads, type OrtModule } from './onnx/runtime';
import { onnxHistoryKernels } from './onnx/history-kernels';
import { framesDistance, gramFramesTerm, gramMode, gramTargetOutputs, type GramMode } from './onnx/style-gram';
import { Tracer, conv1dPlan, type Seed, type Val } from './onnx/tracer';
import { filterProductGraph, linearContentTerm, linearConv, linearGramTerm, linearTargetsGraph, type LinearConv } from './onnx/linear-conv';

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

const sumSquares = (v: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return s;
};

export interface OnnxObjectiveOptions {
  /** Force one of the two exact Gram forms (tests cover both); default: the cheaper for the shapes. */
  gram?: GramMode;
  /** Run a linear network (one conv1d, no activation) through its conv like any other (tests compare both); default: the linear form (onnx/linear-conv.ts) where it applies. */
  linear?: false;
}

/** The onnx objective with default options (ObjectiveFactory); see `createOnnxObjectiveWith`. */
export const createOnnxObjective: ObjectiveFactory = (setup) => createOnnxObjectiveWith(setup);

/** One read × part of a term: its target and normaliser, and the evaluate graph's sums for it. */
interface Component {
  term: TermPlan;
  /** Share of the term: the read's share over the read's part count. */
  share: number;
  /** Graph input name of the target. */
  target: string;
  targetShape: number[];
  targetData: Float32Array;
  norm: number;
  /** The target is a Gram matrix (symmetric). */
  sym: boolean;
  /** "frames" Gram form: the target is As, and the distance needs its own formula. */
  frames?: { rows: number; styleRows: number };
  /** Names of the float64 sums in the evaluate graph's outputs. */
  sums: string[];
  /** A second target the linear form needs: the source's windows X̃ (onnx/linear-conv.ts). */
  windows?: { name: string; shape: number[]; data: Float32Array };
}

/** Components by term and read: `${term}.${read index}` → its parts in order. */
type Components = Map<string, Component[]>;
const keyOf = (term: TermPlan, read: number) => `${term.name}.${read}`;

/**
 * The onnx objective for one optimisation. Builds and compiles the graphs for exactly
 * these shapes, computes the targets once, and then each `evaluate` is one session run.
 */
export async function createOnnxObjectiveWith(setup: ObjectiveSetup, options: OnnxObjectiveOptions = {}): Promise<Objective> {
  const plan = planObjective(setup, spectralRoom(setup.bins));
  let ort: OrtModule;
  try {
    ort = await loadOrt();
  } catch (e) {
    throw new GramophoneError('INVALID_INPUT', `The onnx backend does not load here: ${e instanceof Error ? e.message : String(e)}`);
  }
  const threads = onnxThreads();
  const f32 = (data: Float32Array, dims: readonly number[]) => new ort.Tensor('float32', data, [...dims]);
  const sessions: DeviceSession[] = [];
  const open = async (model: Uint8Array) => {
    const s = await createSession(ort, model, threads);
    sessions.push(s);
    return s;
  };
  const params = new ParamFeeds(ort, plan.params, threads);
  const linear = options.linear !== false && options.gram !== 'filters' ? linearConv(plan) : null;
  const session = (model: Uint8Array) => createSession(ort, model, threads);
  const m = linear ? await filterProduct(linear, plan, session, f32) : null;
  const targets: Components = new Map();
  for (const source of ['content', 'style'] as const) {
    const [x, frames] = source === 'content' ? [setup.content, setup.frames] : [setup.style, setup.styleFrames];
    await addTargets(targets, plan, source, x, frames, options, params, session, f32, linear);
    if (linear && m) await addLinearTargets(targets, plan, source, x, frames, linear, m, session, f32);
  }

  const T = setup.frames;
  const F = setup.bins;
  const t = new Tracer('evaluate');
  for (const p of plan.params) t.declareParam(p.id, p.shape);
  const x = t.input('x', [T, F], { differentiable: true });
  const values = forwardNetwork(t, x, plan.network, plan.layouts.take, linear ? 0 : plan.depth.take);
  // The linear form reads the network's layers through X̃ and Y = X̃·M (onnx/linear-conv.ts).
  const kf = linear ? linear.kernel * F : 0;
  const xt = linear && t.windows(x, linear.kernel);
  const y: Val | null = xt ? { name: t.g.op('MatMul', [xt.name, t.input(LINEAR_M, [kf, kf]).name]), shape: [xt.shape[0], kf], grad: false, sym: false } : null;
  const seeds: { value: Val; seed: Seed }[] = [];
  let sumCount = 0;
  for (const term of plan.terms) {
    term.reads.forEach((read, ri) => {
      const v = values[read.layer];
      const layout = plan.layouts.take[read.layer];
      const parts = targets.get(keyOf(term, ri))!;
      const seed = (value: Val, c: Component) => {
        if (term.weight > 0) seeds.push({ value, seed: { weight: term.weight * c.share, norm: c.norm } });
      };
      if (xt && y && read.layer >= 1) {
        const c = parts[0];
        const prefix = `s${sumCount++}`;
        const target = t.input(c.target, c.targetShape);
        const windows = t.input(c.windows!.name, c.windows!.shape);
        if (c.frames) {
          seed(linearGramTerm(t, xt, y, windows, target, prefix), c);
          c.sums = [`${prefix}.sp`, `${prefix}.sq`];
        } else {
          seed(linearContentTerm(t, xt, y, target, windows, prefix), c);
          c.sums = [prefix];
        }
        return;
      }
      if (parts[0].frames) {
        const c = parts[0];
        const prefix = `s${sumCount++}`;
        seed(gramFramesTerm(t, positionsByChannels(t, v, layout).v, t.input(c.target, c.targetShape), prefix), c);
        c.sums = [`${prefix}.sp`, `${prefix}.sq`];
        return;
      }
      term.module.compute(t, v, layout, plan.context).forEach((part, i) => {
        const c = parts[i];
        const sum = t.squaredDistance(part, t.input(c.target, c.targetShape, { sym: c.sym }), term.module.accumulate);
        c.sums = [`s${sumCount++}`];
        t.output(sum, c.sums[0], true);
        seed(sum, c);
      });
    });
  }
  t.output(t.backward(seeds, x) ?? t.scale(x, 0), 'grad');
  const evalSession = await open(t.g.encode());

  // Feeds and fetches are built once. X is wrapped, not copied (ORT reads the caller's
  // buffer in place), and the gradient is written straight into one reused buffer.
  const components = [...targets.values()].flat();
  const runFeeds: Record<string, Ort.Tensor> = await params.forGraph(t);
  for (const c of components) runFeeds[c.target] = f32(c.targetData, c.targetShape);
  for (const c of components) if (c.windows) runFeeds[c.windows.name] = f32(c.windows.data, c.windows.shape);
  if (m) runFeeds[LINEAR_M] = m;
  const gradient = new Float32Array(T * F);
  const fetches: Record<string, Ort.Tensor | null> = { grad: f32(gradient, [T, F]) };
  for (const c of components) for (const s of c.sums) fetches[s] = null;
  const num = (v: Ort.Tensor) => Number(v.data[0]);

  // `features()`: the network up to the content term's first layer, one graph per frame count.
  const featureLayer = plan.terms.find((term) => term.name === 'content')?.reads[0]?.layer ?? plan.depth.take;
  const featureGraphs = new Map<number, Promise<{ session: DeviceSession; feeds: Record<string, Ort.Tensor> }>>();
  const featureGraph = (frames: number) => {
    let g = featureGraphs.get(frames);
    if (!g) {
      const ft = new Tracer('features');
      for (const p of plan.params) ft.declareParam(p.id, p.shape);
      const layouts = networkLayouts(plan.network, frames, F, featureLayer);
      ft.output(forwardNetwork(ft, ft.input('x', [frames, F]), plan.network, layouts, featureLayer)[featureLayer], 'a');
      g = Promise.all([open(ft.g.encode()), params.forGraph(ft)]).then(([session, feeds]) => ({ session, feeds }));
      featureGraphs.set(frames, g);
    }
    return g;
  };
  let disposed = false;
  const device = await deviceLabel(ort);
  const historyKernels = await onnxHistoryKernels(ort, threads);

  return {
    backend: `onnx (onnxruntime-node ${ort.env.versions.common} ${device}, ${threads} threads)`,
    async evaluate(input: Float32Array): Promise<Evaluation> {
      if (disposed) throw new GramophoneError('INTERNAL', 'The onnx objective was used after it was disposed');
      if (input.length !== T * F) throw new GramophoneError('INVALID_INPUT', `Expected ${T * F} spectrogram values, got ${input.length}`);
      runFeeds.x = f32(input, [T, F]);
      const out = await evalSession.run(runFeeds, fetches);
      const terms = perTerm(() => 0);
      for (const c of components) {
        const d = c.frames ? framesDistance(num(out[c.sums[0]]), num(out[c.sums[1]]), c.frames.rows, c.frames.styleRows, c.norm) : num(out[c.sums[0]]);
        // The "frames" form is a difference of sums: clamp the rounding below zero.
        terms[c.term.name] += c.share * Math.max(0, d / (c.norm + NORM_EPSILON));
      }
      return { loss: totalLoss(plan, terms), terms, gradient };
    },
    async features(input: Float32Array): Promise<Float32Array> {
      if (disposed) throw new GramophoneError('INTERNAL', 'The onnx objective was used after it was disposed');
      if (input.length % F !== 0) throw new GramophoneError('INVALID_INPUT', `Features need whole frames of ${F} bins`);
      const { session, feeds } = await featureGraph(input.length / F);
      const out = await session.run({ x: f32(input, [input.length / F, F]), ...feeds });
      return out.a.data as Float32Array;
    },
    historyKernels,
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const s of sessions) void s.release();
      void historyKernels.release();
    },
  };
}

/** Σ weight · term over the terms, in table order. */
export function totalLoss(plan: ObjectivePlan, terms: LossTerms): number {
  let loss = 0;
  for (const t of plan.terms) loss += t.weight * terms[t.name];
  return loss;
}

/**
 * Layer weights as graph feeds, prepared once however many graphs use them: conv1d weights
 * with K > 1 become spectral weights in place (their buffer then holds only that form).
 */
class ParamFeeds {
  private readonly prepared = new Map<string, Promise<Record<string, Ort.Tensor>>>();
  private readonly specs: Map<string, ParamSpec>;
  /** Params whose W was dropped for its spectral form. */
  private readonly spectral = new Set<string>();

  constructor(
    private readonly ort: OrtModule,
    params: ParamSpec[],
    private readonly threads: number,
  ) {
    this.specs = new Map(params.map((p) => [p.id, p]));
  }

  /** The feeds a traced graph needs for the params it used. */
  async forGraph(t: Tracer): Promise<Record<string, Ort.Tensor>> {
    const out: Record<string, Ort.Tensor> = {};
    for (const [id, use] of t.paramUses()) {
      if (use.conv1d) Object.assign(out, await this.once(`${id}:conv1d`, () => this.conv1dFeeds(this.specs.get(id)!)));
      else if (use.val) Object.assign(out, await this.once(`${id}:plain`, async () => ({ [id]: this.f32(this.plainData(id), this.specs.get(id)!.shape) })));
    }
    return out;
  }

  /** A param's weights as they are, refused once a spectral conv1d form has replaced them. */
  private plainData(id: string): Float32Array {
    if (this.spectral.has(id)) throw new GramophoneError('INTERNAL', `Layer weights ${id} were already turned into their spectral form; no graph may read them plain`);
    return this.specs.get(id)!.data;
  }

  private f32(data: Float32Array, dims: number[]) {
    return new this.ort.Tensor('float32', data, dims);
  }

  private once(key: string, make: () => Promise<Record<string, Ort.Tensor>>) {
    let p = this.prepared.get(key);
    if (!p) {
      p = make();
      this.prepared.set(key, p);
    }
    return p;
  }

  private async conv1dFeeds(spec: ParamSpec): Promise<Record<string, Ort.Tensor>> {
    const [K, F, N] = spec.shape;
    const sp = conv1dPlan(K);
    if (!sp) return { [`${spec.id}.w`]: this.f32(spec.data, [F, N]) };
    const w = spec.data;
    // Nothing reads W again (every graph takes the spectral form): let it go rather than keep
    // W1's 184 MB alive beside its 369 MB spectral form for the whole optimisation.
    this.spectral.add(spec.id);
    spec.data = new Float32Array(0);
    const buf = await spectralForm(this.ort, w, sp, F, N, this.threads);
    return {
      [`${spec.id}.w0`]: this.f32(buf.subarray(0, 2 * F * N), [2, F, N]),
      [`${spec.id}.wc`]: this.f32(buf.subarray(2 * F * N), [2 * sp.half, F, N]),
    };
  }
}

/**
 * Spectral forms made from weights the network keeps for the next render (network.ts,
 * SHARED_WEIGHTS_MAX), by the weights' array: made once per engine process, not per segment.
 * Held only while those weights are.
 */
const spectralForms = new WeakMap<Float32Array, Promise<Float32Array>>();

/**
 * W's spectral weights. A large W drawn with room for them (spectralRoom) is turned where it
 * lies, so W1's 184 MB W is never held beside its 369 MB form; a small one's form is made in
 * a new buffer and kept for the next render of the same weights.
 * @param w K × F × N
 * @returns L × F × N
 */
function spectralForm(ort: OrtModule, w: Float32Array, plan: SpectralPlan, F: number, N: number, threads: number): Promise<Float32Array> {
  const make = async (from: Float32Array) => {
    const length = spectralWeightLength(plan, F, N);
    const inPlace = from.length > SHARED_WEIGHTS_MAX && from.byteOffset === 0 && from.buffer.byteLength >= 4 * length;
    const buf = inPlace ? new Float32Array(from.buffer, 0, length) : new Float32Array(length);
    if (!inPlace) buf.set(from);
    await spectralWeightsInPlace(ort, buf, plan, F * N, threads);
    return buf;
  };
  if (w.length > SHARED_WEIGHTS_MAX) return make(w);
  let form = spectralForms.get(w);
  if (!form) {
    form = make(w);
    spectralForms.set(w, form);
    form.catch(() => spectralForms.delete(w));
  }
  return form;
}

/**
 * Room for a conv1d layer's spectral form beside its W ([K, F, N] with K > 1) when the
 * weights are not shared between renders (over SHARED_WEIGHTS_MAX): W is drawn into the
 * start of the buffer its spectral form then fills (spectralForm).
 */
const spectralRoom =
  (bins: number): WeightRoom =>
  (shape) => {
    const size = sizeOf(shape);
    const plan = shape.length === 3 && shape[1] === bins ? conv1dPlan(shape[0]) : null;
    return plan && size > SHARED_WEIGHTS_MAX ? spectralWeightLength(plan, bins, shape[2]) : size;
  };

/** Shapes only: a tracer whose graph is never run, for the shapes a statistic gives on the take. */
function shapesOnTake(plan: ObjectivePlan, term: TermPlan, layer: number): { parts: number[][]; rows: number } {
  const s = new Tracer('shapes');
  const layout = plan.layouts.take[layer];
  const v = s.input('v', layout.kind === 'seq' ? [layout.frames, layout.channels] : [layout.channels, layout.frames, layout.bins]);
  return { parts: term.module.compute(s, v, layout, plan.context).map((p) => [...p.shape]), rows: positionsByChannels(s, v, layout).rows };
}

/**
 * Add the targets one source provides: statistics computed from its X in JS (`targetFromX`)
 * or by one graph run through the network.
 */
async function addTargets(
  into: Components,
  plan: ObjectivePlan,
  source: 'content' | 'style',
  x: Float32Array,
  frames: number,
  options: OnnxObjectiveOptions,
  params: ParamFeeds,
  session: (model: Uint8Array) => Promise<DeviceSession>,
  f32: (data: Float32Array, dims: readonly number[]) => Ort.Tensor,
  linear: LinearConv | null,
): Promise<void> {
  const terms = plan.terms.filter((t) => t.source === source);
  const F = plan.context.bins;
  // The linear form makes the targets of the network's layers itself (addLinearTargets).
  const depth = linear ? 0 : source === 'content' ? plan.depth.content : plan.depth.style;
  const layouts = source === 'content' ? plan.layouts.take : plan.layouts.style;
  const t = new Tracer(`${source}-targets`);
  for (const p of plan.params) t.declareParam(p.id, p.shape);
  const values = forwardNetwork(t, t.input('x', [frames, F]), plan.network, layouts, depth);
  // Graph outputs to read back: the target tensor and, for Grams, the normaliser summed in the graph.
  const pending: { c: Component; output: string; norm?: string; framesNorm?: number }[] = [];
  for (const term of terms) {
    term.reads.forEach((read, ri) => {
      if (linear && read.layer >= 1 && !term.module.targetFromX) return;
      const key = keyOf(term, ri);
      const list: Component[] = [];
      into.set(key, list);
      const base = { term, targetData: new Float32Array(0), norm: 0, sym: false, sums: [] as string[] };
      if (term.module.targetFromX) {
        const data = term.module.targetFromX(x, frames, plan.context);
        const shapes = shapesOnTake(plan, term, read.layer).parts;
        data.forEach((d, pi) => list.push({ ...base, share: read.share / data.length, target: `${key}.${pi}`, targetShape: shapes[pi], targetData: d, norm: sumSquares(d) }));
        return;
      }
      const v = values[read.layer];
      const layout = layouts[read.layer];
      if (term.module.gram) {
        const a = positionsByChannels(t, v, layout);
        const rows = shapesOnTake(plan, term, read.layer).rows;
        const mode = options.gram ?? gramMode(rows, a.rows, a.channels);
        gramTargetOutputs(t, a.v, mode, key);
        const c: Component = {
          ...base,
          share: read.share,
          target: `${key}.0`,
          targetShape: mode === 'frames' ? [a.rows, a.channels] : [a.channels, a.channels],
          sym: mode === 'filters',
          ...(mode === 'frames' ? { frames: { rows, styleRows: a.rows } } : {}),
        };
        list.push(c);
        pending.push(mode === 'frames' ? { c, output: `${key}.as`, norm: `${key}.pss`, framesNorm: a.rows * a.rows } : { c, output: `${key}.gs`, norm: `${key}.norm` });
        return;
      }
      const parts = term.module.compute(t, v, layout, plan.context);
      parts.forEach((part, pi) => {
        const c: Component = { ...base, share: read.share / parts.length, target: `${key}.${pi}`, targetShape: [...part.shape] };
        t.output(part, `${c.target}.out`);
        list.push(c);
        pending.push({ c, output: `${c.target}.out` });
      });
    });
  }
  if (!pending.length) return;
  const out = await runOnce(session, t.g.encode(), { x: f32(x, [frames, F]), ...(await params.forGraph(t)) });
  for (const p of pending) {
    p.c.targetData = out[p.output].data as Float32Array;
    p.c.norm = p.norm ? Number(out[p.norm].data[0]) / (p.framesNorm ?? 1) : sumSquares(p.c.targetData);
  }
}

/** Run a graph once, in a session opened for it and released after. */
async function runOnce(session: (model: Uint8Array) => Promise<DeviceSession>, model: Uint8Array, feeds: Record<string, Ort.Tensor>): Promise<Record<string, Ort.Tensor>> {
  const s = await session(model);
  try {
    return await s.run(feeds);
  } finally {
    await s.release();
  }
}

/** The graph input name of the linear form's M. */
const LINEAR_M = 'linear.m';

/** M = Wr·Wrᵀ of a linear network's filters, as a feed (onnx/linear-conv.ts). */
async function filterProduct(
  linear: LinearConv,
  plan: ObjectivePlan,
  session: (model: Uint8Array) => Promise<DeviceSession>,
  f32: (data: Float32Array, dims: readonly number[]) => Ort.Tensor,
): Promise<Ort.Tensor> {
  const spec = plan.params.find((p) => p.id === linear.param)!;
  return (await runOnce(session, filterProductGraph(linear), { w: f32(spec.data, spec.shape) })).m;
}

/** The targets of the terms that read a linear network's layers: Y = X̃·M and X̃ of the source, and their normalisers. */
async function addLinearTargets(
  into: Components,
  plan: ObjectivePlan,
  source: 'content' | 'style',
  x: Float32Array,
  frames: number,
  linear: LinearConv,
  m: Ort.Tensor,
  session: (model: Uint8Array) => Promise<DeviceSession>,
  f32: (data: Float32Array, dims: readonly number[]) => Ort.Tensor,
): Promise<void> {
  const terms = plan.terms.filter((t) => t.source === source && !t.module.targetFromX && t.reads.some((r) => r.layer >= 1));
  if (!terms.length) return;
  const gram = terms.some((t) => t.module.gram);
  const out = await runOnce(session, linearTargetsGraph(linear, frames, gram), { x: f32(x, [frames, plan.context.bins]), m });
  const rows = frames - linear.kernel + 1;
  const shape = [rows, linear.kernel * plan.context.bins];
  for (const term of terms) {
    term.reads.forEach((read, ri) => {
      if (read.layer < 1) return;
      const key = keyOf(term, ri);
      const base = { term, share: read.share, target: `${key}.y`, targetShape: shape, targetData: out.y.data as Float32Array, sym: false, sums: [] as string[] };
      const windows = { name: `${key}.xt`, shape, data: out.xt.data as Float32Array };
      const c: Component = term.module.gram
        ? { ...base, windows, norm: Number(out.pss.data[0]) / (rows * rows), frames: { rows: linear.rows, styleRows: rows } }
        : { ...base, windows, norm: Number(out.dot.data[0]) };
      into.set(key, [c]);
    });
  }
}
