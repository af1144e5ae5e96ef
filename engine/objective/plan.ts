/**
 * What one objective computes, resolved once from the setup and shared by both backends:
 * the network's layouts for the take, the content and the style; each loss term's
 * statistic, the layers it reads and where its target comes from; and the deepest layer
 * each input has to be run to.
 */
import { LOSS_TERMS, termNeeds, type LossTermName } from '../../common/loss-terms';
import { GramophoneError } from '../../common/errors';
import type { Layout } from './layout';
import { networkLayouts, networkWeights, type NetworkSpec, type WeightRoom } from './network';
import type { ParamSpec } from './layers';
import type { ObjectiveSetup } from './objective';
import { STATISTICS, type StatisticContext, type StatisticModule, type StatisticRead } from './statistics';

/** One loss term as planned. */
export interface TermPlan {
  name: LossTermName;
  module: StatisticModule;
  weight: number;
  reads: StatisticRead[];
  source: 'content' | 'style';
}

export interface ObjectivePlan {
  network: NetworkSpec;
  terms: TermPlan[];
  /** Layouts of layers 0 … for the take (= content length) and the style. */
  layouts: { take: Layout[]; style: Layout[] };
  /** The deepest layer any term reads, for the take and for each target source. */
  depth: { take: number; content: number; style: number };
  params: ParamSpec[];
  context: StatisticContext;
}

const positiveInt = (v: number) => Number.isInteger(v) && v >= 1;

/**
 * Resolve a setup.
 * @param room floats to allocate per random weight array (network.ts WeightRoom)
 * @throws GramophoneError INVALID_INPUT for inconsistent shapes, inputs too short for the
 *   network, or a statistic the front end cannot serve
 */
export function planObjective(setup: ObjectiveSetup, room?: WeightRoom): ObjectivePlan {
  const { frames: T, bins: F, styleFrames: Ts, preset } = setup;
  for (const [name, v] of [
    ['frames', T],
    ['bins', F],
    ['style frames', Ts],
  ] as const) {
    if (!positiveInt(v)) throw new GramophoneError('INVALID_INPUT', `The spectrogram's ${name} must be a positive whole number (got ${v})`);
  }
  if (setup.content.length !== T * F || setup.style.length !== Ts * F) {
    throw new GramophoneError('INVALID_INPUT', `The spectrograms do not match their declared size (${T} and ${Ts} frames of ${F} bins)`);
  }
  const net = preset.network;
  const n = net.layers.length;
  const terms: TermPlan[] = LOSS_TERMS.map((name) => {
    const module = STATISTICS[name];
    return { name, module, weight: preset.weights[name], reads: module.reads(preset, n), source: module.source(preset) };
  });
  for (const t of terms) {
    for (const r of t.reads) {
      if (r.layer > n) throw new GramophoneError('INVALID_INPUT', `The ${t.name} term reads layer ${r.layer}, but the network has ${n} layers`);
    }
  }
  // A term with weight 0 is still reported, except statistics the front end cannot serve and
  // those whose cost grows with the square of the length (reported only when they count).
  const served = terms.filter((t) => {
    const needs = termNeeds(t.name);
    if (t.module.framesSquared && t.weight === 0) return false;
    return !(needs === 'frequencies' && setup.binHz === null) && !(needs === 'noteTemplate' && !setup.noteTemplate);
  });
  const deepest = (which: (t: TermPlan) => boolean) => Math.max(0, ...served.filter(which).flatMap((t) => t.reads.map((r) => r.layer)));
  const depth = {
    take: deepest(() => true),
    content: deepest((t) => t.source === 'content' && !t.module.targetFromX),
    style: deepest((t) => t.source === 'style' && !t.module.targetFromX),
  };
  const tooShort = (what: string) => (e: unknown) => {
    if (e instanceof GramophoneError) throw new GramophoneError(e.code, `The ${what}: ${e.message}`);
    throw e;
  };
  let take: Layout[] = [];
  let style: Layout[] = [];
  try {
    take = networkLayouts(net, T, F, depth.take);
  } catch (e) {
    tooShort('content is too short')(e);
  }
  try {
    style = networkLayouts(net, Ts, F, depth.style);
  } catch (e) {
    tooShort('style is too short')(e);
  }
  return {
    network: net,
    terms: served,
    layouts: { take, style },
    depth,
    params: networkWeights(net, F, Math.max(depth.take, depth.style, depth.content), room),
    context: { frames: T, bins: F, binHz: setup.binHz, frameRate: setup.frameRate, content: setup.content, noteTemplate: setup.noteTemplate, preset },
  };
}
