/**
 * The op vocabulary the objective's modules are written in. A layer or statistic states its
 * forward computation once, in these ops; each backend implements them:
 * - onnx (`onnx/tracer.ts`): every op becomes graph nodes with a reverse-mode rule, so the
 *   gradient graph is derived, not written per module;
 * - tfjs (`tfjs/tf-ops.ts`): every op is the matching tf op, differentiated by tf.grad.
 *
 * Shapes are static and known when the objective is built. Binary ops broadcast like numpy.
 * Feature tensors come in two layouts (engine/objective/layout.ts): "seq" [T, C] (time-major,
 * the spectrogram itself and conv1d outputs) and "map" [C, T, F] (conv2d outputs).
 */

/** A backend's tensor handle: modules only see its shape. */
export interface TensorRef {
  readonly shape: readonly number[];
}

export type PoolMode = 'max' | 'avg';
export type Padding = 'valid' | 'same';

/** The primitive ops. `V` is the backend's handle type. */
export interface Ops<V extends TensorRef = TensorRef> {
  /** A float32 constant. */
  constant(data: Float32Array, shape: readonly number[]): V;
  /** A layer's fixed weights, registered with the objective (`ParamSpec.id`). */
  param(id: string): V;

  add(a: V, b: V): V;
  sub(a: V, b: V): V;
  mul(a: V, b: V): V;
  div(a: V, b: V): V;
  /** a · s for a number s. */
  scale(a: V, s: number): V;
  /** a + s for a number s. */
  shift(a: V, s: number): V;

  relu(a: V): V;
  selu(a: V): V;
  tanh(a: V): V;
  /** max(a, slope · a) for 0 ≤ slope ≤ 1. */
  leakyRelu(a: V, slope: number): V;
  exp(a: V): V;
  /** Natural logarithm. */
  log(a: V): V;
  sqrt(a: V): V;
  /** a^p for a number p (a > 0 where p is not an integer). */
  pow(a: V, p: number): V;

  sum(a: V, axes: readonly number[], keepDims: boolean): V;
  mean(a: V, axes: readonly number[], keepDims: boolean): V;

  reshape(a: V, shape: readonly number[]): V;
  transpose(a: V, perm: readonly number[]): V;
  /** op(a) · op(b) for 2-D a, b, where op transposes when asked. */
  matmul(a: V, b: V, transA?: boolean, transB?: boolean): V;

  /** G = aᵀa / rows for a [rows, C] → [C, C] (a Gram matrix; symmetric). */
  gram(a: V): V;

  /** Valid conv along time: x [T, C], w [K, C, N] (a param) → [T − K + 1, N]. */
  conv1d(x: V, w: V): V;
  /** Conv over time × frequency: x [C, T, F], w [O, C, kT, kF] (a param) → [O, T', F']. */
  conv2d(x: V, w: V, padding: Padding): V;
  /** Non-overlapping pooling of a [C, T, F] map → [C, ⌊T/pt⌋, ⌊F/pf⌋]. */
  pool(x: V, mode: PoolMode, pt: number, pf: number): V;

  /**
   * The sum of squared differences ‖a − target‖² as a scalar: the core of every loss term.
   * `accumulate` says whether the sum runs in float32 or float64 (float32 is kept where a
   * version-1 term summed that way, so old takes stay bit-identical).
   */
  squaredDistance(a: V, target: V, accumulate: 'float' | 'double'): V;
}
