/**
 * What a feature-network layer module provides. A layer is one file: its output layout, its
 * seeded weights (if any) and its forward computation in the shared ops (engine/objective/
 * ops.ts); backends derive the gradient. Register it in `index.ts`.
 */
import type { Layer } from '../../../common/preset';
import type { Rng } from '../../random';
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
  /** The layer's weights, drawn from `rng` (the network's one seeded stream, in layer order). */
  weights?(layer: L, input: Layout, rng: Rng, id: string): ParamSpec;
  /** The forward computation; `w` is the backend's handle of `weights(...)`. */
  forward<V extends TensorRef>(ops: Ops<V>, x: V, layer: L, input: Layout, w?: V): V;
}
