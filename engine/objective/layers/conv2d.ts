/**
 * conv2d over time × frequency (Verma & Smith; Jain & Raj): C input channels (1 for X),
 * O output channels of kernelTime × kernelFreq, stride 1, no bias, "valid" or "same"
 * (zero) padding. In [C, T, F] → out [O, T', F']; W is O × C × kT × kF row-major (ONNX
 * Conv's layout), W ~ Normal(0, σ²) with σ = √2 · √(2 / ((C + O) · kT · kF)), the conv1d
 * rule with the kernel's area in place of its width.
 */
import { GramophoneError } from '../../../common/errors';
import type { Layer } from '../../../common/preset';
import { asMap, map } from '../layout';
import type { LayerModule } from './layer';

type Conv2d = Extract<Layer, { kind: 'conv2d' }>;

export const conv2dSigma = (inChannels: number, outChannels: number, area: number): number => Math.SQRT2 * Math.sqrt(2 / ((inChannels + outChannels) * area));

const inputMap = (input: Parameters<typeof conv2d.output>[1]) => (input.kind === 'map' ? input : { channels: 1, frames: input.frames, bins: input.channels });

export const conv2d: LayerModule<Conv2d> = {
  kind: 'conv2d',
  output(layer, input) {
    const m = inputMap(input);
    if (layer.padding === 'same') return map(layer.channels, m.frames, m.bins);
    if (m.frames < layer.kernelTime || m.bins < layer.kernelFreq) {
      throw new GramophoneError(
        'INVALID_INPUT',
        `Too small for the network: a ${m.frames} × ${m.bins} map reaches a ${layer.kernelTime} × ${layer.kernelFreq} conv2d layer with valid padding. Use a longer clip, "same" padding or a smaller kernel.`,
      );
    }
    return map(layer.channels, m.frames - layer.kernelTime + 1, m.bins - layer.kernelFreq + 1);
  },
  inputFrames: (layer, outputFrames) => (layer.padding === 'valid' ? outputFrames + layer.kernelTime - 1 : outputFrames),
  memory: (layer, input) => ({ weightBytes: 4 * layer.kernelTime * layer.kernelFreq * inputMap(input).channels * layer.channels, spectralOutput: false }),
  weightShape: (layer, input) => [layer.channels, inputMap(input).channels, layer.kernelTime, layer.kernelFreq],
  weightSigma: (layer, input) => conv2dSigma(inputMap(input).channels, layer.channels, layer.kernelTime * layer.kernelFreq),
  forward(ops, x, layer, input, w) {
    return ops.conv2d(asMap(ops, x, input).v, w!, layer.padding);
  },
};
