/**
 * conv1d along time (Ulyanov & Lebedev): the input's channels (the bins of X, or
 * channels × bins of a map) are the input channels, N filters of width K frames, valid
 * padding, stride 1, no bias. In [T, C] → out [T − K + 1, N]; W is K × C × N row-major
 * (tf.conv1d's filter layout), W ~ Normal(0, σ²) with σ = √2 · √(2 / ((C + N) · K)).
 */
import { GramophoneError } from '../../../common/errors';
import type { Layer } from '../../../common/preset';
import { asSeq, seq, type Layout } from '../layout';
import { spectralPlan } from '../onnx/spectral-conv';
import type { LayerModule } from './layer';

type Conv1d = Extract<Layer, { kind: 'conv1d' }>;

/** σ of the random conv1d weights for C input channels, N filters of width K (docs/ARCHITECTURE.md, "The objective"). */
export const conv1dSigma = (channels: number, filters: number, kernel: number): number => Math.SQRT2 * Math.sqrt(2 / ((channels + filters) * kernel));

const inputChannels = (input: Layout) => (input.kind === 'seq' ? input.channels : input.channels * input.bins);

export const conv1d: LayerModule<Conv1d> = {
  kind: 'conv1d',
  output(layer, input) {
    const { frames, channels } = input.kind === 'seq' ? input : { frames: input.frames, channels: input.channels * input.bins };
    if (frames < layer.kernel) {
      throw new GramophoneError('INVALID_INPUT', `Too short for the network: ${frames} frames reach a conv1d layer ${layer.kernel} frames wide. Use a longer clip or a smaller kernel.`);
    }
    void channels;
    return seq(frames - layer.kernel + 1, layer.filters);
  },
  inputFrames: (layer, outputFrames) => outputFrames + layer.kernel - 1,
  // The onnx backend keeps a wide kernel's weights in their spectral form (onnx/spectral-conv.ts).
  memory(layer, input) {
    const w = layer.kernel * inputChannels(input) * layer.filters;
    return { weightBytes: 4 * (layer.kernel > 1 ? (w / layer.kernel) * spectralPlan(layer.kernel).size : w), spectralOutput: layer.kernel > 1 };
  },
  weightShape: (layer, input) => [layer.kernel, inputChannels(input), layer.filters],
  weightSigma: (layer, input) => conv1dSigma(inputChannels(input), layer.filters, layer.kernel),
  forward(ops, x, _layer, input, w) {
    return ops.conv1d(asSeq(ops, x, input).v, w!);
  },
};
