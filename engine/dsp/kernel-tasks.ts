/**
 * The protocol between the kernel pool and its worker threads: a kernel call as data
 * (typed arrays on SharedArrayBuffers), how to run one over a range, and how every thread
 * claims pieces of one task from a shared counter.
 */
import { synthesiseFrames } from './stft-frames';
import { overlapAddPadded, overlapAddSignal, type OlaShape } from './overlap-add';
import { convergenceFrames, griffinLimFrames, type GriffinLimStep } from './griffin-lim-frames';

/** A kernel call as it crosses to a worker thread: typed arrays on SharedArrayBuffers. */
export type KernelTask =
  | ({ op: 'griffinLim' } & GriffinLimStep)
  | { op: 'synthesise'; re: Float32Array; im: Float32Array; n: number; window: number; frameBuf: Float32Array }
  | { op: 'overlapAddPadded'; frameBuf: Float32Array; gain: Float64Array; shape: OlaShape; xp: Float32Array }
  | { op: 'overlapAddSignal'; frameBuf: Float32Array; gain: Float64Array; shape: OlaShape; out: Float32Array }
  | { op: 'convergence'; xp: Float32Array; mag: Float32Array; n: number; window: number; hop: number; sums: Float64Array };

/** Run `task` over the half-open range [a, b) (frames, or samples for overlap-add). */
export function runKernel(task: KernelTask, a: number, b: number): void {
  switch (task.op) {
    case 'griffinLim':
      return griffinLimFrames(task, a, b);
    case 'synthesise':
      return synthesiseFrames(task.re, task.im, task.n, task.window, a, b, task.frameBuf);
    case 'overlapAddPadded':
      return overlapAddPadded(task.frameBuf, task.gain, task.shape, a, b, task.xp);
    case 'overlapAddSignal':
      return overlapAddSignal(task.frameBuf, task.gain, task.shape, a, b, task.out);
    case 'convergence':
      return convergenceFrames(task.xp, task.mag, task.n, task.window, task.hop, a, b, task.sums);
  }
}

/**
 * Work through `task` in `chunks` pieces of [0, total), claiming pieces one at a time from
 * `ctrl` = [next piece, pieces done] on a SharedArrayBuffer. Every thread sharing `ctrl`
 * runs this; a thread that is descheduled simply claims fewer pieces, so a busy machine
 * costs a straggler at most one piece. Which thread computes a piece does not change it.
 */
export function drainChunks(task: KernelTask, ctrl: Int32Array, total: number, chunks: number): void {
  for (;;) {
    const c = Atomics.add(ctrl, 0, 1);
    if (c >= chunks) return;
    runKernel(task, Math.floor((total * c) / chunks), Math.floor((total * (c + 1)) / chunks));
    Atomics.add(ctrl, 1, 1);
    Atomics.notify(ctrl, 1);
  }
}
