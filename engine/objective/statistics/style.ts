/**
 * Style (β): Gram matrices, G(A) = AᵀA / T' over the positions of a layer (frames of a seq
 * layer; time–frequency positions of a map, whose channels it correlates), against the
 * style's — Ls = ‖G(A) − G(As)‖² / ‖G(As)‖² on each layer in `statistics.style.layers`
 * (default the last), weighted by `layerWeights`.
 *
 * The onnx backend has a second, exact form for few frames and many filters
 * (onnx/style-gram.ts) that never builds the N × N matrix.
 */
import { positionsByChannels } from '../layout';
import type { StatisticModule } from './statistic';
import { layerReads } from './statistic';

export const style: StatisticModule = {
  term: 'style',
  reads: (p, n) => layerReads(p.statistics.style.layers, p.statistics.style.layerWeights, n),
  source: () => 'style',
  accumulate: 'float',
  gram: true,
  compute: (ops, v, layout) => [ops.gram(positionsByChannels(ops, v, layout).v)],
};
