/**
 * Non-overlapping max or average pooling of `time` frames × `freq` bins (Verma & Smith's
 * 2×2 max pooling; Jain & Raj tried both). A map [C, T, F] → [C, ⌊T/time⌋, ⌊F/freq⌋];
 * a seq [T, C] is pooled as a one-channel map over time × its channels. Remainders at
 * the end are dropped (and get no gradient), as in PyTorch's and ONNX's default.
 */
import { GramophoneError } from '../../../common/errors';
import type { Layer } from '../../../common/preset';
import { asMap, map, seq } from '../layout';
import type { LayerModule } from './layer';

type Pool = Extract<Layer, { kind: 'pool' }>;

export const pool: LayerModule<Pool> = {
  kind: 'pool',
  output(layer, input) {
    const m = input.kind === 'map' ? input : { channels: 1, frames: input.frames, bins: input.channels };
    const frames = Math.floor(m.frames / layer.time);
    const bins = Math.floor(m.bins / layer.freq);
    if (frames < 1 || bins < 1) {
      throw new GramophoneError('INVALID_INPUT', `Too small for the network: a ${m.frames} × ${m.bins} map reaches ${layer.time} × ${layer.freq} pooling. Use a longer clip or fewer pooling layers.`);
    }
    // A seq stays a seq, so a conv1d after it sees frames × channels as before.
    return input.kind === 'seq' ? seq(frames, bins) : map(m.channels, frames, bins);
  },
  inputFrames: (layer, outputFrames) => outputFrames * layer.time,
  memory: () => ({ weightBytes: 0, spectralOutput: false }),
  forward(ops, x, layer, input) {
    const m = asMap(ops, x, input);
    const y = ops.pool(m.v, layer.mode, layer.time, layer.freq);
    if (input.kind === 'map') return y;
    return ops.reshape(y, [Math.floor(input.frames / layer.time), Math.floor(input.channels / layer.freq)]);
  },
};
