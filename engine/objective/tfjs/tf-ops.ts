/**
 * The tfjs implementation of the shared ops (engine/objective/ops.ts): each op is the
 * matching tf op on tf tensors, so tf.grad differentiates any module written in them.
 * Layouts follow the ops' contract ([C, T, F] maps); tf's convolutions and pooling are
 * channels-last, so those ops transpose around the kernel.
 */
import type { Tensor, Tensor2D, Tensor3D, Tensor4D } from '@tensorflow/tfjs-core';
import type { Ops, Padding, PoolMode } from '../ops';
import { convValid, flippedWeights, gram } from './fast-ops';
import type { Tf } from './load-tf';
import type { ParamSpec } from '../layers';

/**
 * Ops on tf tensors. Params are uploaded on first use and live until `dispose`.
 * `kernels: 'autodiff'` swaps the fast conv1d and Gram (gradients written as forward ops,
 * ~6× faster on wasm) for plain tf ops with tf's own gradients, for cross-checking.
 */
export class TfOps implements Ops<Tensor> {
  private readonly tensors = new Map<string, Tensor>();
  private readonly ids = new Map<Tensor, string>();
  private readonly conv1dFns = new Map<string, (x: Tensor3D) => Tensor3D>();
  private readonly conv2dFilters = new Map<string, Tensor4D>();
  private readonly gramFn: (a: Tensor2D) => Tensor2D;

  constructor(
    private readonly tf: Tf,
    private readonly specs: ReadonlyMap<string, ParamSpec>,
    private readonly kernels: 'fast' | 'autodiff' = 'fast',
  ) {
    this.gramFn = kernels === 'fast' ? gram(tf) : (a) => tf.div(tf.matMul(a, a, true, false), a.shape[0]);
  }

  /** Free every tensor this object made for params. */
  dispose(): void {
    for (const t of this.tensors.values()) t.dispose();
    for (const t of this.conv2dFilters.values()) t.dispose();
    this.tensors.clear();
    this.conv2dFilters.clear();
  }

  private keep<T extends Tensor>(id: string, make: () => T): T {
    let t = this.tensors.get(id) as T | undefined;
    if (!t) {
      t = this.tf.keep(make());
      this.tensors.set(id, t);
      this.ids.set(t, id);
    }
    return t;
  }

  constant(data: Float32Array, shape: readonly number[]): Tensor {
    return this.tf.tensor(data, [...shape]);
  }

  param(id: string): Tensor {
    const spec = this.specs.get(id);
    if (!spec) throw new Error(`undeclared param "${id}"`);
    return this.keep(id, () => this.tf.tensor(spec.data, spec.shape));
  }

  add = (a: Tensor, b: Tensor) => this.tf.add(a, b);
  sub = (a: Tensor, b: Tensor) => this.tf.sub(a, b);
  mul = (a: Tensor, b: Tensor) => this.tf.mul(a, b);
  div = (a: Tensor, b: Tensor) => this.tf.div(a, b);
  scale = (a: Tensor, s: number) => this.tf.mul(a, s);
  shift = (a: Tensor, s: number) => this.tf.add(a, s);
  relu = (a: Tensor) => this.tf.relu(a);
  selu = (a: Tensor) => this.tf.selu(a);
  tanh = (a: Tensor) => this.tf.tanh(a);
  leakyRelu = (a: Tensor, slope: number) => this.tf.leakyRelu(a, slope);
  exp = (a: Tensor) => this.tf.exp(a);
  log = (a: Tensor) => this.tf.log(a);
  sqrt = (a: Tensor) => this.tf.sqrt(a);
  pow = (a: Tensor, p: number) => this.tf.pow(a, p);
  sum = (a: Tensor, axes: readonly number[], keepDims: boolean) => this.tf.sum(a, [...axes], keepDims);
  mean = (a: Tensor, axes: readonly number[], keepDims: boolean) => this.tf.mean(a, [...axes], keepDims);
  reshape = (a: Tensor, shape: readonly number[]) => this.tf.reshape(a, [...shape]);
  transpose = (a: Tensor, perm: readonly number[]) => this.tf.transpose(a, [...perm]);
  matmul = (a: Tensor, b: Tensor, transA = false, transB = false) => this.tf.matMul(a as Tensor2D, b as Tensor2D, transA, transB);
  gram = (a: Tensor) => this.gramFn(a as Tensor2D);
  squaredDistance = (a: Tensor, target: Tensor) => this.tf.sum(this.tf.squaredDifference(a, target));

  /** Through the fast conv (its input gradient is a forward conv with flipped weights; see fast-ops.ts). */
  conv1d(x: Tensor, w: Tensor): Tensor {
    const id = this.ids.get(w);
    if (!id) throw new Error('conv1d weights must be a param');
    let conv = this.conv1dFns.get(id);
    if (!conv) {
      const [K, F, N] = w.shape;
      if (this.kernels === 'fast') {
        const flipped = this.keep(`${id}.flipped`, () => this.tf.tensor3d(flippedWeights(this.specs.get(id)!.data, F, N, K), [K, N, F]));
        conv = convValid(this.tf, w as Tensor3D, flipped);
      } else {
        conv = (x3) => this.tf.conv1d(x3, w as Tensor3D, 1, 'valid');
      }
      this.conv1dFns.set(id, conv);
    }
    const [T, C] = x.shape;
    const z = conv(this.tf.reshape(x, [1, T, C]) as Tensor3D);
    return this.tf.reshape(z, [z.shape[1], z.shape[2]]);
  }

  conv2d(x: Tensor, w: Tensor, padding: Padding): Tensor {
    const id = this.ids.get(w) ?? '';
    let filter = this.conv2dFilters.get(id);
    if (!filter) {
      // ONNX layout [O, C, kT, kF] → tf's [kT, kF, C, O].
      filter = this.tf.keep(this.tf.transpose(w, [2, 3, 1, 0]) as Tensor4D);
      this.conv2dFilters.set(id, filter);
    }
    const [C, T, F] = x.shape;
    const nhwc = this.tf.reshape(this.tf.transpose(x, [1, 2, 0]), [1, T, F, C]) as Tensor4D;
    const y = this.tf.conv2d(nhwc, filter, 1, padding);
    return this.tf.transpose(this.tf.reshape(y, y.shape.slice(1)), [2, 0, 1]);
  }

  pool(x: Tensor, mode: PoolMode, pt: number, pf: number): Tensor {
    const [C, T, F] = x.shape;
    const nhwc = this.tf.reshape(this.tf.transpose(x, [1, 2, 0]), [1, T, F, C]) as Tensor4D;
    const y = mode === 'max' ? this.tf.maxPool(nhwc, [pt, pf], [pt, pf], 'valid') : this.tf.avgPool(nhwc, [pt, pf], [pt, pf], 'valid');
    return this.tf.transpose(this.tf.reshape(y, y.shape.slice(1)), [2, 0, 1]);
  }
}
