/** The statistic registry: one module per loss term of `LOSS_TERM_TABLE` (common/loss-terms.ts). */
import type { LossTermName } from '../../../common/loss-terms';
import { content } from './content';
import { energy } from './energy';
import { envelope } from './envelope';
import { notes } from './notes';
import type { StatisticModule } from './statistic';
import { style } from './style';
import { texture } from './texture';
import { timbre } from './timbre';

export const STATISTICS: Readonly<Record<LossTermName, StatisticModule>> = { content, style, energy, timbre, texture, envelope, notes };

export type { StatisticContext, StatisticModule, StatisticRead } from './statistic';
