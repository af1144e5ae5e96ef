// Forces the plain-JS cpu backend (float32 like wasm, different kernels) for this file's process.
process.env.GRAMOPHONE_TFJS_BACKEND = 'cpu';

import { describe, expect, it } from 'vitest';
import { createTfjsObjective, loadTf } from '../../../engine/objective/tfjs-objective';
import { gradientError, referenceLoss } from './reference-loss';
import { TINY, WEIGHTINGS, randomSpectrogram, smallSetup } from './tfjs-fixtures';

/** The four terms the float64 reference defines. */
const CLASSIC = ['content', 'style', 'energy', 'timbre'] as const;

describe('tfjs objective on the cpu backend', () => {
  it('GRAMOPHONE_TFJS_BACKEND forces the backend', async () => {
    const { backend, tf } = await loadTf();
    expect(backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  for (const act of ['relu', 'selu', 'tanh'] as const) {
    it(`loss and gradient match the reference (${act}, all four terms)`, async () => {
      const setup = smallSetup(TINY, WEIGHTINGS.combined, act, 11);
      const o = await createTfjsObjective(setup);
      expect(o.backend).toBe('tfjs (cpu)');
      const x = randomSpectrogram(TINY.frames * TINY.bins, 12);
      const ev = await o.evaluate(x);
      const ref = referenceLoss(setup, x);
      for (const t of CLASSIC) expect(Math.abs(ev.terms[t] - ref.terms[t]) / ref.terms[t]).toBeLessThan(1e-4);
      expect(gradientError(setup, x, ev.gradient, 16, 13)).toBeLessThan(1e-2);
      o.dispose();
    });
  }
});
