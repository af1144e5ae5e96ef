/**
 * The style objective on TensorFlow.js, gradients by automatic differentiation: the
 * readable oracle for DESIGN.md §2's losses, and a user-selectable backend.
 *
 * All four terms are computed on every evaluation (they are reported even when their
 * weight is 0), but only terms with a non-zero weight feed the total, so tfjs's backward
 * pass never visits the others: a zero-weight term costs its forward ops only.
 */
import type { Tensor, Tensor1D, Tensor2D, Tensor3D } from '@tensorflow/tfjs-core';
import type { Activation } from '../../common/preset';
import { LOSS_TERMS, type LossTerms } from '../../common/audio';
import { GramophoneError } from '../../common/errors';
import {
  NORM_EPSILON,
  convWeights,
  stretchedEnergy,
  timbreEnvelope,
  type Evaluation,
  type Objective,
  type ObjectiveFactory,
  type ObjectiveSetup,
} from './objective';
import { convValid, flippedWeights, gram } from './tfjs/fast-ops';
import { loadTf, type Tf } from './tfjs/load-tf';

export { loadTf } from './tfjs/load-tf';
export type { LoadedTf, TfBackendName } from './tfjs/load-tf';

/** How the tfjs objective builds its gradient graph. */
export interface TfjsObjectiveOptions {
  /**
   * `fast` (default): the conv input gradient and the Gram gradient are written as forward
   * ops (see tfjs/fast-ops.ts), ~6× faster on wasm. `autodiff`: tf.conv1d and a transposed
   * matMul with tfjs's own registered gradients, for cross-checking.
   */
  kernels?: 'fast' | 'autodiff';
}

/** The tfjs objective with default options; see `createTfjsObjectiveWith`. */
export const createTfjsObjective: ObjectiveFactory = (setup) => createTfjsObjectiveWith(setup);

/**
 * Build the objective for one optimisation: weights and the four targets (A(Xc), G(Xs),
 * es, τ(Xs)) are computed once here and held as tensors until `dispose()`.
 */
export async function createTfjsObjectiveWith(setup: ObjectiveSetup, options: TfjsObjectiveOptions = {}): Promise<Objective> {
  checkSetup(setup);
  const { tf, backend } = await loadTf();
  const { frames: T, bins: F, styleFrames: Ts, network: net, weights } = setup;
  const { filters: N, kernel: K } = net;
  const fast = (options.kernels ?? 'fast') === 'fast';

  const wData = convWeights(F, net);
  const w = tf.tensor3d(wData, [K, F, N]);
  const wFlip = fast ? tf.tensor3d(flippedWeights(wData, F, N, K), [K, N, F]) : null;
  const conv = wFlip ? convValid(tf, w, wFlip) : (x: Tensor3D) => tf.conv1d(x, w, 1, 'valid');
  const gramOf = fast ? gram(tf) : (a: Tensor2D) => tf.div(tf.matMul(a, a, true, false), a.shape[0]) as Tensor2D;
  const act = activation(tf, net.activation);
  /** A(x) for x: 1 × frames × F → (frames − K + 1) × N. */
  const features = (x: Tensor3D): Tensor2D => {
    const z = conv(x);
    return act(tf.reshape(z, [z.shape[1], N]));
  };

  const [aC, gS] = tf.tidy(() => {
    const ac = features(tf.tensor3d(setup.content, [1, T, F]));
    const gs = gramOf(features(tf.tensor3d(setup.style, [1, Ts, F])));
    return [ac, gs];
  });
  const eS = stretchedEnergy(setup.style, Ts, F, T);
  const tS = timbreEnvelope(setup.style, Ts, F);
  const eSt = tf.tensor1d(eS);
  const tSt = tf.tensor1d(tS);
  // 1 / (‖target‖² + ε) in float64, in LOSS_TERMS order.
  const inv = [sumSquares(await aC.data()), sumSquares(await gS.data()), sumSquares(eS), sumSquares(tS)].map(
    (s) => 1 / (s + NORM_EPSILON),
  );
  const weightList = LOSS_TERMS.map((t) => weights[t]);
  const held: Tensor[] = [w, aC, gS, eSt, tSt, ...(wFlip ? [wFlip] : [])];
  let disposed = false;

  const alive = () => {
    if (disposed) throw new GramophoneError('INTERNAL', 'The tfjs objective was used after it was disposed');
  };

  /** Total loss as a scalar; the four unweighted terms go to `out`, kept past the tidy. */
  const lossOf = (x: Tensor3D, out: { terms?: Tensor1D }): Tensor => {
    const x2 = tf.reshape(x, [T, F]) as Tensor2D;
    const a = features(x);
    const terms = [
      tf.sum(tf.squaredDifference(a, aC)),
      tf.sum(tf.squaredDifference(gramOf(a), gS)),
      tf.sum(tf.squaredDifference(tf.mean(x2, 1), eSt)),
      tf.sum(tf.squaredDifference(tf.mean(x2, 0), tSt)),
    ].map((s, i) => tf.mul(s, inv[i]));
    out.terms = tf.keep(tf.stack(terms) as Tensor1D);
    const active = terms.map((t, i) => (weightList[i] > 0 ? tf.mul(t, weightList[i]) : null)).filter((t) => t !== null);
    // With every weight 0 the loss is identically 0; keep it connected to x so tf.grad works.
    return active.length ? tf.addN(active) : tf.mul(terms[0], 0);
  };

  return {
    backend: `tfjs (${backend})`,

    async evaluate(x: Float32Array): Promise<Evaluation> {
      alive();
      checkLength(x, T * F, 'evaluate');
      const out: { terms?: Tensor1D } = {};
      const { value, grad } = tf.tidy(() =>
        tf.valueAndGrad((xv: Tensor) => lossOf(xv as Tensor3D, out))(tf.tensor3d(x, [1, T, F])),
      );
      try {
        const [loss, termValues, gradient] = await Promise.all([value.data(), out.terms!.data(), grad.data()]);
        return { loss: loss[0], terms: toTerms(termValues), gradient: gradient as Float32Array };
      } finally {
        value.dispose();
        grad.dispose();
        out.terms?.dispose();
      }
    },

    async features(x: Float32Array): Promise<Float32Array> {
      alive();
      const frames = x.length / F;
      if (!Number.isInteger(frames) || frames < K) {
        throw new GramophoneError('INVALID_INPUT', `features() needs whole frames of ${F} bins, at least ${K} of them; got ${x.length} values`);
      }
      const a = tf.tidy(() => features(tf.tensor3d(x, [1, frames, F])));
      try {
        return (await a.data()) as Float32Array;
      } finally {
        a.dispose();
      }
    },

    dispose() {
      if (disposed) return;
      disposed = true;
      for (const t of held) t.dispose();
    },
  };
}

function activation(tf: Tf, kind: Activation): (z: Tensor2D) => Tensor2D {
  switch (kind) {
    case 'relu':
      return (z) => tf.relu(z);
    case 'selu':
      return (z) => tf.selu(z);
    case 'tanh':
      return (z) => tf.tanh(z);
  }
}

function sumSquares(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return s;
}

function toTerms(v: ArrayLike<number>): LossTerms {
  return { content: v[0], style: v[1], energy: v[2], timbre: v[3] };
}

function checkLength(x: Float32Array, expected: number, what: string) {
  if (x.length !== expected) {
    throw new GramophoneError('INVALID_INPUT', `The spectrogram passed to ${what} has ${x.length} values; expected ${expected}`);
  }
}

function checkSetup(s: ObjectiveSetup) {
  const { frames: T, bins: F, styleFrames: Ts } = s;
  const { filters: N, kernel: K } = s.network;
  for (const [name, v] of [['frames', T], ['bins', F], ['style frames', Ts], ['filters', N], ['kernel width', K]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new GramophoneError('INVALID_INPUT', `The network setting "${name}" must be a positive whole number (got ${v})`);
  }
  checkLength(s.content, T * F, 'the objective as content');
  checkLength(s.style, Ts * F, 'the objective as style');
  if (T < K) {
    throw new GramophoneError('INVALID_INPUT', `The content is too short for the network: ${T} frames, but the kernel is ${K} frames wide. Use a longer region or a smaller kernel.`);
  }
  if (Ts < K) {
    throw new GramophoneError('INVALID_INPUT', `The style is too short for the network: ${Ts} frames, but the kernel is ${K} frames wide. Use a longer style file or a smaller kernel.`);
  }
}
