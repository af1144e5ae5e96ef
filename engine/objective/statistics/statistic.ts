/**
 * What a statistic module provides. A loss term compares a statistic s of the optimised X
 * (or of one of its feature layers) with the same statistic of a target (the style's or the
 * content's): term = Σ over the layers it reads (weight share) · mean over its parts of
 * ‖s − s_target‖² / (‖s_target‖² + ε). One file per statistic; register it in `index.ts`
 * under its term name from `LOSS_TERM_TABLE`.
 */
import type { LossTermName } from '../../../common/loss-terms';
import type { Preset } from '../../../common/preset';
import type { Layout } from '../layout';
import type { Ops, TensorRef } from '../ops';

/** What statistics may need to know besides the tensors. */
export interface StatisticContext {
  /** X's shape: frames × bins (front-end bins). */
  frames: number;
  bins: number;
  /** Centre frequency of each X bin in Hz, or null when X's bins are not frequencies (MFCC). */
  binHz: Float32Array | null;
  /** Frames per second of X. */
  frameRate: number;
  /** The content's X (frames × bins), for statistics placed on the content's time line. */
  content: Float32Array;
  /** The note template in X's domain (frames × bins), when the render built one. */
  noteTemplate?: Float32Array;
  preset: Preset;
}

/** One layer a statistic reads, with its share of the term (shares sum to 1). */
export interface StatisticRead {
  layer: number;
  share: number;
}

export interface StatisticModule {
  term: LossTermName;
  /** The layer outputs the term compares (0 = X itself). */
  reads(preset: Preset, layerCount: number): StatisticRead[];
  /** Where the target comes from. */
  source(preset: Preset): 'content' | 'style';
  /**
   * Its statistic is a Gram matrix of the layer's positions × channels: a backend may then
   * compute it in whichever exact form is cheaper for the shapes (onnx: the channels × channels
   * matrix, or the positions' own products when there are fewer positions than channels).
   */
  gram?: true;
  /**
   * It holds frames × frames values (a modulation spectrum over the whole take): the memory
   * model counts them, and the planner leaves the term out when its weight is 0.
   */
  framesSquared?: true;
  /** Whether its squared distance sums in float32 (version-1 terms) or float64. */
  accumulate: 'float' | 'double';
  /** The statistic of one layer output, as one or more parts compared separately. */
  compute<V extends TensorRef>(ops: Ops<V>, v: V, layout: Layout, ctx: StatisticContext): V[];
  /**
   * Targets computed in float64 straight from the source's X, for statistics of X whose
   * target is not simply `compute` on the source (the style's energy stretched to the
   * take's length, a target on the content's time line). Parts in `compute`'s shapes.
   */
  targetFromX?(x: Float32Array, frames: number, ctx: StatisticContext): Float32Array[];
}

/** The reads of a term that compares the last layer unless the preset names layers. */
export function layerReads(layers: readonly number[] | undefined, weights: readonly number[] | undefined, layerCount: number): StatisticRead[] {
  const list = layers ?? [layerCount];
  const w = weights ?? list.map(() => 1);
  const total = w.reduce((a, b) => a + b, 0);
  return list.map((layer, i) => ({ layer, share: total > 0 ? w[i] / total : 0 }));
}
