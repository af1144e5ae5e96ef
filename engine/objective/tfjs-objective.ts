/**
 * The style objective on TensorFlow.js, gradients by automatic differentiation: the
 * readable oracle for the objective's modules, and a user-selectable backend. The modules'
 * forward computations run on tf tensors (tfjs/tf-ops.ts) and tf.grad differentiates them.
 *
 * Every term is computed on every evaluation (they are reported even when their weight is
 * 0), but only terms with a non-zero weight feed the total, so tfjs's backward pass never
 * visits the others: a zero-weight term costs its forward ops only.
 */
import type { Tensor, Tensor1D } from '@tensorflow/tfjs-core';
import { GramophoneError } from '../../common/errors';
import { perTerm } from '../../common/loss-terms';
import { shapeOf } from './layout';
import { forwardNetwork, networkLayouts } from './network';
import { NORM_EPSILON, type Evaluation, type Objective, type ObjectiveFactory, type ObjectiveSetup } from './objective';
import { planObjective, type TermPlan } from './plan';
import { TfOps } from './tfjs/tf-ops';
import { loadTf } from './tfjs/load-tf';

export { loadTf } from './tfjs/load-tf';

/** How the tfjs objective builds its gradient graph. */
export interface TfjsObjectiveOptions {
  /**
   * `fast` (default): the conv1d input gradient and the Gram gradient are written as forward
   * ops (see tfjs/fast-ops.ts), ~6× faster on wasm. `autodiff`: tf.conv1d and a transposed
   * matMul with tfjs's own registered gradients, for cross-checking.
   */
  kernels?: 'fast' | 'autodiff';
}

/** The tfjs objective with default options; see `createTfjsObjectiveWith`. */
export const createTfjsObjective: ObjectiveFactory = (setup) => createTfjsObjectiveWith(setup);

/** One read × part of a term: its target tensor and 1 / (‖target‖² + ε) times its share. */
interface Component {
  term: TermPlan;
  read: number;
  target: Tensor;
  scale: number;
}

const sumSquares = (v: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return s;
};

/**
 * Build the objective for one optimisation: the weights and every term's target are
 * computed once here and held as tensors until `dispose()`.
 */
export async function createTfjsObjectiveWith(setup: ObjectiveSetup, options: TfjsObjectiveOptions = {}): Promise<Objective> {
  const plan = planObjective(setup);
  const { tf, backend } = await loadTf();
  const { frames: T, bins: F } = setup;
  const ops = new TfOps(tf, new Map(plan.params.map((p) => [p.id, p])), options.kernels ?? 'fast');
  const components: Component[] = [];
  const held: Tensor[] = [];
  try {
    for (const source of ['content', 'style'] as const) {
      const [x, frames, layouts, depth] = source === 'content' ? [setup.content, T, plan.layouts.take, plan.depth.content] : [setup.style, setup.styleFrames, plan.layouts.style, plan.depth.style];
      for (const term of plan.terms.filter((t) => t.source === source)) {
        for (const [ri, read] of term.reads.entries()) {
          let parts: Tensor[];
          if (term.module.targetFromX) {
            const shapes = tf.tidy(() => term.module.compute(ops, tf.zeros(shapeOf(plan.layouts.take[read.layer])), plan.layouts.take[read.layer], plan.context).map((p) => p.shape));
            parts = term.module.targetFromX(x, frames, plan.context).map((d, i) => tf.keep(tf.tensor(d, shapes[i])));
          } else {
            parts = tf.tidy(() => {
              const values = forwardNetwork(ops, tf.tensor2d(x, [frames, F]), plan.network, layouts, depth);
              return term.module.compute(ops, values[read.layer], layouts[read.layer], plan.context);
            });
          }
          for (const p of parts) {
            held.push(p);
            components.push({ term, read: ri, target: p, scale: term.reads[ri].share / parts.length / (sumSquares(await p.data()) + NORM_EPSILON) });
          }
        }
      }
    }
  } catch (e) {
    for (const t of held) t.dispose();
    ops.dispose();
    throw e;
  }
  let disposed = false;
  const alive = () => {
    if (disposed) throw new GramophoneError('INTERNAL', 'The tfjs objective was used after it was disposed');
  };

  /** Total loss as a scalar; the unweighted terms go to `out`, kept past the tidy. */
  const lossOf = (x: Tensor, out: { terms?: Tensor1D }): Tensor => {
    const values = forwardNetwork(ops, x, plan.network, plan.layouts.take, plan.depth.take);
    const terms = plan.terms.map((term) => {
      const mine = components.filter((c) => c.term === term);
      const scaled = term.reads.flatMap((read, ri) => {
        const parts = term.module.compute(ops, values[read.layer], plan.layouts.take[read.layer], plan.context);
        const targets = mine.filter((c) => c.read === ri);
        return parts.map((p, i) => tf.mul(ops.squaredDistance(p, targets[i].target), targets[i].scale));
      });
      return scaled.length === 1 ? scaled[0] : tf.addN(scaled);
    });
    out.terms = tf.keep(tf.stack(terms) as Tensor1D);
    const active = terms.map((t, i) => (plan.terms[i].weight > 0 ? tf.mul(t, plan.terms[i].weight) : null)).filter((t) => t !== null);
    // With every weight 0 the loss is identically 0; keep it connected to x so tf.grad works.
    return active.length ? tf.addN(active) : tf.mul(terms[0], 0);
  };

  const featureLayer = plan.terms.find((t) => t.name === 'content')?.reads[0]?.layer ?? plan.depth.take;

  return {
    backend: `tfjs (${backend})`,

    async evaluate(x: Float32Array): Promise<Evaluation> {
      alive();
      checkLength(x, T * F, 'evaluate');
      const out: { terms?: Tensor1D } = {};
      const { value, grad } = tf.tidy(() => tf.valueAndGrad((xv: Tensor) => lossOf(xv, out))(tf.tensor2d(x, [T, F])));
      try {
        const [loss, termValues, gradient] = await Promise.all([value.data(), out.terms!.data(), grad.data()]);
        const terms = perTerm(() => 0);
        plan.terms.forEach((t, i) => (terms[t.name] = termValues[i]));
        return { loss: loss[0], terms, gradient: gradient as Float32Array };
      } finally {
        value.dispose();
        grad.dispose();
        out.terms?.dispose();
      }
    },

    async features(x: Float32Array): Promise<Float32Array> {
      alive();
      const frames = x.length / F;
      if (!Number.isInteger(frames)) throw new GramophoneError('INVALID_INPUT', `features() needs whole frames of ${F} bins; got ${x.length} values`);
      const layouts = networkLayouts(plan.network, frames, F, featureLayer);
      const a = tf.tidy(() => forwardNetwork(ops, tf.tensor2d(x, [frames, F]), plan.network, layouts, featureLayer)[featureLayer]);
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
      ops.dispose();
    },
  };
}

function checkLength(x: Float32Array, expected: number, what: string) {
  if (x.length !== expected) {
    throw new GramophoneError('INVALID_INPUT', `The spectrogram passed to ${what} has ${x.length} values; expected ${expected}`);
  }
}
