/**
 * The feature network of a preset: the layouts its layers produce and their weights, seeded
 * or trained. Random weights: every layer with weights draws them in layer order from one
 * stream seeded by `network.seed`, so the same preset gives the same network on every
 * backend (and a one-layer network draws exactly the weights version 1 drew). Trained
 * weights: the k-th layer with weights takes the k-th tensor of the shipped network's file.
 */
import { GramophoneError } from '../../common/errors';
import { TRAINED_NETWORKS, type Layer, type Preset, type TrainedNetworkName } from '../../common/preset';
import { createRng, deriveSeed } from '../random';
import { layerModule, type ParamSpec } from './layers';
import { seq, type Layout } from './layout';
import type { Ops, TensorRef } from './ops';
import { trainedTensors } from './trained-network';

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

/**
 * The weights of the layers that have them, among the first `upTo` layers (default all);
 * they do not depend on the frame count. Random weights of a small network are drawn once
 * and shared with the next call for the same network (see `lastDrawn`): read-only.
 * @param room floats to allocate per random weight array (see WeightRoom); its size by default
 * @throws GramophoneError INVALID_INPUT when trained weights do not fit the stack (every
 *   layer with weights is checked, also those past `upTo`)
 */
export function networkWeights(net: NetworkSpec, bins: number, upTo = net.layers.length, room: WeightRoom = (shape) => sizeOf(shape)): ParamSpec[] {
  if (net.weights !== 'random') return trainedWeights(net, net.weights, bins, upTo);
  const key = JSON.stringify([net, bins, upTo]);
  if (lastDrawn?.key === key) return lastDrawn.params.map((p) => ({ ...p }));
  const rng = createRng(deriveSeed(net.seed, 'weights'));
  const params = weightedLayers(net, bins, upTo).map(({ index, layer, input, shape }) => {
    const size = sizeOf(shape);
    const data = new Float32Array(new ArrayBuffer(4 * Math.max(size, room(shape))), 0, size);
    rng.fillNormal(data, layerModule(layer).weightSigma!(layer, input));
    return { id: paramId(index), shape, data };
  });
  if (params.every((p) => p.data.length <= SHARED_WEIGHTS_MAX)) lastDrawn = { key, params: params.map((p) => ({ ...p })) };
  return params;
}

/**
 * Floats to allocate for a random weight array of `shape` (at least its size): a backend
 * that turns the weights into a larger form in place (the onnx objective's spectral conv1d
 * weights) asks for that form's size, so W is drawn into the start of the one buffer
 * rather than copied into a second.
 */
export type WeightRoom = (shape: readonly number[]) => number;

/**
 * The largest weight array (floats) kept for the next render: 8 Mi floats, 32 MB. Drawing
 * the default network's weights and turning them into their spectral form costs about 0.35
 * CPU s, paid by every segment of a stream before its sound when not kept; the papers'
 * 4096-filter layers (184 MB) are drawn afresh, so they are never held twice.
 */
export const SHARED_WEIGHTS_MAX = 8 * 2 ** 20;

/**
 * The random weights drawn last, when every array is at most SHARED_WEIGHTS_MAX: the next
 * segment, render or backend of the same network gets the same arrays (each ParamSpec a new
 * object). Their data is shared, so no caller writes into it.
 */
let lastDrawn: { key: string; params: ParamSpec[] } | null = null;

/** Elements of an array of `shape`. */
export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const shapeText = (shape: readonly number[]) => `[${shape.join(' × ')}]`;

/** The layers with weights among the first `upTo`: 1-based index, input layout and weight shape. */
function weightedLayers(net: NetworkSpec, bins: number, upTo: number): { index: number; layer: Layer; input: Layout; shape: number[] }[] {
  const stack: NetworkSpec = { ...net, layers: net.layers.slice(0, upTo) };
  // Frame counts do not change channel counts: lay out a long enough input to reach the end.
  const layouts = networkLayouts(stack, minimumFrames(stack), bins);
  return stack.layers.flatMap((layer, i) => {
    const shape = layerModule(layer).weightShape?.(layer, layouts[i]);
    return shape ? [{ index: i + 1, layer, input: layouts[i], shape }] : [];
  });
}

function trainedWeights(net: NetworkSpec, name: TrainedNetworkName, bins: number, upTo: number): ParamSpec[] {
  const { label } = TRAINED_NETWORKS[name];
  const tensors = trainedTensors(name);
  const layers = weightedLayers(net, bins, net.layers.length);
  const advice = `Choose random weights, or the ${TRAINED_NETWORKS[name].layers.length}-layer stack it was trained as.`;
  if (layers.length !== tensors.length) {
    throw new GramophoneError('INVALID_INPUT', `The ${label} has ${tensors.length} layers with weights, but this network has ${layers.length}. ${advice}`);
  }
  layers.forEach(({ index, layer, shape }, k) => {
    const have = tensors[k].shape;
    if (have.length !== shape.length || have.some((d, j) => d !== shape[j])) {
      throw new GramophoneError(
        'INVALID_INPUT',
        `Layer ${index} (${layer.kind}) needs weights of shape ${shapeText(shape)}, but the ${label}'s layer ${k + 1} with weights has ${shapeText(have)}. ${advice}`,
      );
    }
  });
  // A copy: a backend may transform weights in place (onnx's spectral conv1d form), and the file's tensors are cached.
  return layers.flatMap(({ index, shape }, k) => (index <= upTo ? [{ id: paramId(index), shape, data: tensors[k].data.slice() }] : []));
}

/** The fewest input frames the whole network accepts (each valid conv and pooling step shrinks time). */
export function minimumFrames(net: NetworkSpec): number {
  return net.layers.reduceRight((need, layer) => layerModule(layer).inputFrames(layer, need), 1);
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
    values.push(m.forward(ops, values[i], layer, layouts[i], m.weightShape ? ops.param(paramId(i + 1)) : undefined));
  }
  return values;
}
