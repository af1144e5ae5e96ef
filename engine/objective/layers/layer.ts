/**
 * What a feature-network layer module provides. A layer is one file: its output layout, the
 * shape and random scale of its weights (if any) and its forward computation in the shared ops (engine/objective/
 * ops.ts); backends derive the gradient. Register it in `index.ts`.
 */
import type { Layer } from '../../../common/preset';
import type { Layout } from '../layout';
import type { Ops, TensorRef } from '../ops';

/** A layer's fixed weights: row-major data of `shape`. */
export interface ParamSpec {
  id: string;
  shape: number[];
  data: Float32Array;
}

export interface LayerModule<L extends Layer = Layer> {
  kind: L['kind'];
  /**
   * The layout this layer produces from `input`.
   * @throws GramophoneError INVALID_INPUT when the input is too small for the layer, in words
   */
  output(layer: L, input: Layout): Layout;
  /** The shape of the layer's weights (row-major) for this input, if it has weights. */
  weightShape?(layer: L, input: Layout): number[];
  /** σ of its seeded weights W ~ Normal(0, σ²) (drawn by network.ts from the network's one stream, in layer order). */
  weightSigma?(layer: L, input: Layout): number;
  /** The fewest input frames that give `outputFrames` output frames (valid convolutions and pooling shrink time). */
  inputFrames(layer: L, outputFrames: number): number;
  /**
   * What the layer holds in memory besides its output: its weights in bytes as the backends
   * keep them, and whether its output also has a spectral (overlap-save) copy per frame.
   */
  memory(layer: L, input: Layout): { weightBytes: number; spectralOutput: boolean };
  /** The forward computation; `w` is the backend's handle of `weights(...)`. */
  forward<V extends TensorRef>(ops: Ops<V>, x: V, layer: L, input: Layout, w?: V): V;
}
