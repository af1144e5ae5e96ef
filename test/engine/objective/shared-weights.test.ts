/**
 * A small network's random weights are drawn once per engine process and its spectral form
 * made once (engine/objective/network.ts, onnx-objective.ts): the next segment or render of
 * the same network gets the same arrays, in fresh ParamSpecs (the onnx objective drops a W
 * it has turned, which must not empty the kept one), and the same loss and gradient bits. A
 * large layer is drawn afresh every time, and another seed draws other weights.
 */
import { describe, expect, it } from 'vitest';
import { SHARED_WEIGHTS_MAX, networkWeights } from '../../../engine/objective/network';
import { createOnnxObjective } from '../../../engine/objective/onnx-objective';
import { createRng } from '../../../engine/random';
import { conv1dNetwork, testPreset } from './tfjs-fixtures';

const rand = (n: number, seed: number) => {
  const r = createRng(seed);
  return Float32Array.from({ length: n }, () => 3 * r.next());
};

describe('weights shared between renders', () => {
  it('are the same arrays in new ParamSpecs for the same network, and others for another seed', () => {
    const net = conv1dNetwork(64, 11, 'relu', 7);
    const a = networkWeights(net, 129);
    const b = networkWeights(net, 129);
    expect(b[0]).not.toBe(a[0]);
    expect(b[0].data).toBe(a[0].data);
    const other = networkWeights(conv1dNetwork(64, 11, 'relu', 8), 129);
    expect(other[0].data === a[0].data).toBe(false);
    expect(Buffer.from(other[0].data.buffer).equals(Buffer.from(a[0].data.buffer))).toBe(false);
  });

  it('are drawn afresh, bit for bit the same, for a layer over the size kept', () => {
    // 4096 filters × 11 taps × 257 bins > SHARED_WEIGHTS_MAX floats.
    const net = conv1dNetwork(4096, 11, 'relu', 7);
    expect(4096 * 11 * 257).toBeGreaterThan(SHARED_WEIGHTS_MAX);
    const a = networkWeights(net, 257);
    const b = networkWeights(net, 257);
    // (Not `.not.toBe`: on arrays that differ, it compares them element by element for a hint.)
    expect(b[0].data === a[0].data).toBe(false);
    expect(Buffer.from(b[0].data.buffer).equals(Buffer.from(a[0].data.buffer))).toBe(true);
  });

  it('drawn with room (a layer over the size kept), are the same values at the start of a buffer of that room', () => {
    const net = conv1dNetwork(4096, 11, 'relu', 9);
    const size = 11 * 257 * 4096;
    const plain = networkWeights(net, 257);
    const roomy = networkWeights(net, 257, undefined, () => 2 * size);
    expect(roomy[0].data.length).toBe(size);
    expect(roomy[0].data.byteOffset).toBe(0);
    expect(roomy[0].data.buffer.byteLength).toBe(2 * 4 * size);
    expect(plain[0].data.buffer.byteLength).toBe(4 * size);
    expect(Buffer.from(roomy[0].data.buffer, 0, 4 * size).equals(Buffer.from(plain[0].data.buffer))).toBe(true);
  });

  it('give a second onnx objective of the same network the first one’s loss and gradient bits', async () => {
    const T = 200;
    const F = 129;
    const setup = {
      frames: T,
      bins: F,
      content: rand(T * F, 1),
      style: rand(150 * F, 2),
      styleFrames: 150,
      preset: testPreset({ content: 0.5, style: 1, energy: 0, timbre: 0 }, conv1dNetwork(96, 11, 'relu', 5)),
      binHz: null,
      frameRate: 86,
    };
    const x = rand(T * F, 4);
    const first = await createOnnxObjective(setup);
    const one = await first.evaluate(x);
    const gradient = Float32Array.from(one.gradient);
    first.dispose();
    const second = await createOnnxObjective(setup);
    const two = await second.evaluate(x);
    second.dispose();
    expect(two.loss).toBe(one.loss);
    expect(Buffer.from(two.gradient.buffer, two.gradient.byteOffset, two.gradient.byteLength).equals(Buffer.from(gradient.buffer))).toBe(true);
    expect(networkWeights(setup.preset.network, F)[0].data.length, 'the kept W is not emptied by the objective that turned it').toBe(11 * F * 96);
  });
});
