/**
 * Feature tensor layouts. X (frames × bins) and conv1d outputs are "seq": time-major
 * [T, C], each frame a vector of C channels. conv2d outputs are "map": [C, T, F], C
 * channels over time × frequency. Layers convert between them without copying where the
 * memory order allows (seq → map is a reshape to [1, T, C]).
 */
import type { Ops, TensorRef } from './ops';

export type Layout = { kind: 'seq'; frames: number; channels: number } | { kind: 'map'; channels: number; frames: number; bins: number };

export const seq = (frames: number, channels: number): Layout => ({ kind: 'seq', frames, channels });
export const map = (channels: number, frames: number, bins: number): Layout => ({ kind: 'map', channels, frames, bins });

/** The tensor shape of a layout. */
export const shapeOf = (l: Layout): number[] => (l.kind === 'seq' ? [l.frames, l.channels] : [l.channels, l.frames, l.bins]);

/** Values per frame (C for seq, C·F for map). */
export const valuesPerFrame = (l: Layout): number => (l.kind === 'seq' ? l.channels : l.channels * l.bins);

/** A seq [T, C] seen as a one-channel map [1, T, C] (same memory). */
export function asMap<V extends TensorRef>(ops: Ops<V>, v: V, l: Layout): { v: V; layout: Layout & { kind: 'map' } } {
  if (l.kind === 'map') return { v, layout: l };
  return { v: ops.reshape(v, [1, l.frames, l.channels]), layout: { kind: 'map', channels: 1, frames: l.frames, bins: l.channels } };
}

/** A map [C, T, F] as a seq [T, C·F] (channels and bins become one vector per frame). */
export function asSeq<V extends TensorRef>(ops: Ops<V>, v: V, l: Layout): { v: V; layout: Layout & { kind: 'seq' } } {
  if (l.kind === 'seq') return { v, layout: l };
  const t = ops.transpose(v, [1, 0, 2]);
  return { v: ops.reshape(t, [l.frames, l.channels * l.bins]), layout: { kind: 'seq', frames: l.frames, channels: l.channels * l.bins } };
}

/**
 * The rows a Gram matrix sums over and the channels it correlates: seq [T, C] is already
 * positions × channels; a map [C, T, F] becomes [T·F, C] (every time–frequency position is
 * a sample of the C channels, as in image style transfer).
 */
export function positionsByChannels<V extends TensorRef>(ops: Ops<V>, v: V, l: Layout): { v: V; rows: number; channels: number } {
  if (l.kind === 'seq') return { v, rows: l.frames, channels: l.channels };
  const rows = l.frames * l.bins;
  return { v: ops.transpose(ops.reshape(v, [l.channels, rows]), [1, 0]), rows, channels: l.channels };
}
