/**
 * Renders must be bit-identical for the same inputs and seed, so the onnx objective must
 * give the very same loss and gradient bits on every call, whatever its threads do.
 */
import { describe, expect, it } from 'vitest';
import { createOnnxObjective } from '../../../engine/objective/onnx-objective';
import { createRng } from '../../../engine/random';
import { conv1dNetwork, testPreset } from './tfjs-fixtures';

const rand = (n: number, seed: number) => {
  const r = createRng(seed);
  return Float32Array.from({ length: n }, () => 3 * r.next());
};

describe('onnx objective determinism', () => {
  const cases = [
    { label: 'relu, K = 11', filters: 96, kernel: 11, activation: 'relu' as const },
    { label: 'tanh, K = 3', filters: 160, kernel: 3, activation: 'tanh' as const },
  ];
  for (const c of cases) {
    it(`returns bit-identical gradients on repeated calls (content + style, ${c.label})`, async () => {
      const T = 300;
      const F = 129;
      const obj = await createOnnxObjective({
        frames: T,
        bins: F,
        content: rand(T * F, 1),
        style: rand(250 * F, 2),
        styleFrames: 250,
        preset: testPreset({ content: 0.5, style: 1, energy: 0.2, timbre: 0.2 }, conv1dNetwork(c.filters, c.kernel, c.activation, 3)),
        binHz: null,
        frameRate: 86,
      });
      const x = rand(T * F, 4);
      const first = await obj.evaluate(x);
      const reference = Float32Array.from(first.gradient);
      const loss = first.loss;
      for (let i = 0; i < 8; i++) {
        const ev = await obj.evaluate(x);
        expect(ev.loss).toBe(loss);
        expect(Buffer.from(ev.gradient.buffer, ev.gradient.byteOffset, ev.gradient.byteLength).equals(Buffer.from(reference.buffer))).toBe(true);
      }
      obj.dispose();
    });
  }
});
