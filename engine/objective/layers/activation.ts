/**
 * Elementwise activation: relu, selu (tf/ONNX constants), tanh, leaky relu (slope for
 * negative inputs, default 0.01) or none (the identity, as alishdipani's conv1d). Any
 * layout, same shape out.
 */
import type { Layer } from '../../../common/preset';
import type { LayerModule } from './layer';

type Activation = Extract<Layer, { kind: 'activation' }>;

/** Leaky relu's negative slope when a preset does not give one. */
export const DEFAULT_LEAKY_SLOPE = 0.01;

export const activation: LayerModule<Activation> = {
  kind: 'activation',
  output: (_layer, input) => input,
  inputFrames: (_layer, outputFrames) => outputFrames,
  memory: () => ({ weightBytes: 0, spectralOutput: false }),
  forward(ops, x, layer) {
    switch (layer.fn) {
      case 'relu':
        return ops.relu(x);
      case 'selu':
        return ops.selu(x);
      case 'tanh':
        return ops.tanh(x);
      case 'leakyRelu':
        return ops.leakyRelu(x, layer.slope ?? DEFAULT_LEAKY_SLOPE);
      case 'none':
        return x;
    }
  },
};
