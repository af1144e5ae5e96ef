/**
 * Content (α): the features themselves, A(X) against A(Xc) — Lc = ‖A(X) − A(Xc)‖² / ‖A(Xc)‖²
 * on each layer in `statistics.content.layers` (default the last).
 */
import type { StatisticModule } from './statistic';
import { layerReads } from './statistic';

export const content: StatisticModule = {
  term: 'content',
  reads: (p, n) => layerReads(p.statistics.content.layers, undefined, n),
  source: () => 'content',
  accumulate: 'float',
  compute: (_ops, v) => [v],
};
