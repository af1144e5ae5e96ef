/**
 * The feature network of a preset: the layouts its layers produce and their seeded weights.
 * Every layer with weights draws them in layer order from one stream seeded by
 * `network.seed`, so the same preset gives the same network on every backend (and a
 * one-layer network draws exactly the weights version 1 drew).
 */
import type { Preset } from '../../common/preset';
import { createRng, deriveSeed } from '../random';
import { layerModule, type ParamSpec } from './layers';
import { seq, type Layout } from './layout';
import type { Ops, TensorRef } from './ops';

export type NetworkSpec = Preset['network'];

/** The id of layer i's weights (1-based, as statistics count layers). */
export const paramId = (layer: number): string => `layer${layer}`;

/**
 * Layouts after each layer for an input of `frames` × `bins`: index 0 is X, index i the
 * output of layer i (1-based), up to `upTo` (default all).
 * @throws GramophoneError INVALID_INPUT when the input is too small for a layer
 */
export function networkLayouts(net: NetworkSpec, frames: number, bins: number, upTo = net.layers.length): Layout[] {
  const out: Layout[] = [seq(frames, bins)];
  for (let i = 0; i < upTo; i++) out.push(layerModule(net.layers[i]).output(net.layers[i], out[i]));
  return out;
}

/** The weights of every layer that has them (they do not depend on the frame count). */
export function networkWeights(net: NetworkSpec, bins: number): ParamSpec[] {
  const rng = createRng(deriveSeed(net.seed, 'weights'));
  // Frame counts do not change channel counts: lay out a long enough input to reach the end.
  const layouts = networkLayouts(net, minimumFrames(net), bins);
  const params: ParamSpec[] = [];
  net.layers.forEach((layer, i) => {
    const p = layerModule(layer).weights?.(layer, layouts[i], rng, paramId(i + 1));
    if (p) params.push(p);
  });
  return params;
}

/** The fewest input frames the whole network accepts (each valid conv and pooling step shrinks time). */
export function minimumFrames(net: NetworkSpec): number {
  let need = 1;
  for (let i = net.layers.length - 1; i >= 0; i--) {
    const l = net.layers[i];
    if (l.kind === 'conv1d') need += l.kernel - 1;
    else if (l.kind === 'conv2d' && l.padding === 'valid') need += l.kernelTime - 1;
    else if (l.kind === 'pool') need *= l.time;
  }
  return need;
}

/**
 * Run the network on x (frames × bins) up to layer `upTo`.
 * @returns the values of layers 0 (x) … upTo
 */
export function forwardNetwork<V extends TensorRef>(ops: Ops<V>, x: V, net: NetworkSpec, layouts: readonly Layout[], upTo: number): V[] {
  const values: V[] = [x];
  for (let i = 0; i < upTo; i++) {
    const layer = net.layers[i];
    const m = layerModule(layer);
    values.push(m.forward(ops, values[i], layer, layouts[i], m.weights ? ops.param(paramId(i + 1)) : undefined));
  }
  return values;
}
