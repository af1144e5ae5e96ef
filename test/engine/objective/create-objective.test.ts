import { describe, expect, it } from 'vitest';
import { GramophoneError } from '../../../common/errors';
import type { Objective, ObjectiveSetup } from '../../../engine/objective/objective';
import { createObjective, defaultBackendName, listBackends, makeBackendSelector, type BackendDef } from '../../../engine/objective/create-objective';
import { ALL_ON, TINY, randomSpectrogram, smallSetup } from './tfjs-fixtures';

/** A stand-in backend: records whether it was built, loads or not as told. */
function fake(name: 'onnx' | 'tfjs', available: boolean | 'throws', built: string[]): BackendDef {
  return {
    name,
    probe: async () => {
      if (available === 'throws') throw new Error(`${name} native library missing`);
      return { available, detail: available ? `${name} ok` : `${name} is broken here` };
    },
    create: async (): Promise<Objective> => {
      built.push(name);
      return { backend: name } as Objective;
    },
  };
}

const setup: ObjectiveSetup = smallSetup(TINY, ALL_ON);

describe('backend selection logic', () => {
  it('auto takes the first backend that loads', async () => {
    const built: string[] = [];
    const s = makeBackendSelector([fake('onnx', true, built), fake('tfjs', true, built)]);
    expect((await s.createObjective(setup, 'auto')).backend).toBe('onnx');
    expect(await s.defaultBackendName()).toBe('onnx');
    expect(built).toEqual(['onnx']);
  });

  it('auto falls back to tfjs when onnx does not load (unavailable or throwing probe)', async () => {
    for (const state of [false, 'throws'] as const) {
      const built: string[] = [];
      const s = makeBackendSelector([fake('onnx', state, built), fake('tfjs', true, built)]);
      expect((await s.createObjective(setup, 'auto')).backend).toBe('tfjs');
      expect(await s.defaultBackendName()).toBe('tfjs');
      const list = await s.listBackends();
      expect(list[0]).toMatchObject({ name: 'onnx', available: false });
      expect(list[0].detail).toMatch(/broken|missing/);
      expect(list[1]).toEqual({ name: 'tfjs', available: true, detail: 'tfjs ok' });
    }
  });

  it('an explicit choice is honoured even when another is preferred', async () => {
    const built: string[] = [];
    const s = makeBackendSelector([fake('onnx', true, built), fake('tfjs', true, built)]);
    expect((await s.createObjective(setup, 'tfjs')).backend).toBe('tfjs');
  });

  it('an explicit choice that cannot load is INVALID_INPUT saying why, and nothing is built', async () => {
    const built: string[] = [];
    const s = makeBackendSelector([fake('onnx', false, built), fake('tfjs', true, built)]);
    const err = await s.createObjective(setup, 'onnx').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GramophoneError);
    expect((err as GramophoneError).code).toBe('INVALID_INPUT');
    expect((err as GramophoneError).message).toMatch(/onnx backend does not load.*broken here/);
    expect(built).toEqual([]);
  });

  it('nothing loads: auto says so, naming every reason', async () => {
    const s = makeBackendSelector([fake('onnx', false, []), fake('tfjs', 'throws', [])]);
    await expect(s.createObjective(setup, 'auto')).rejects.toThrow(/onnx: onnx is broken here; tfjs: tfjs native library missing/);
  });

  it('probes once', async () => {
    let calls = 0;
    const def: BackendDef = { ...fake('onnx', true, []), probe: async () => (calls++, { available: true, detail: 'x' }) };
    const s = makeBackendSelector([def]);
    await s.listBackends();
    await s.defaultBackendName();
    await s.createObjective(setup, 'onnx');
    expect(calls).toBe(1);
  });
});

describe('the engine backends on this machine', () => {
  it('lists onnx and tfjs, both loading, onnx the default', async () => {
    const list = await listBackends();
    expect(list.map((b) => b.name)).toEqual(['onnx', 'tfjs']);
    expect(list.every((b) => b.available)).toBe(true);
    expect(list[0].detail).toMatch(/onnxruntime-node .* threads/);
    expect(await defaultBackendName()).toBe('onnx');
  });

  it('auto builds onnx, tfjs on request, and they agree', async () => {
    const a = await createObjective(setup, 'auto');
    const b = await createObjective(setup, 'tfjs');
    try {
      expect(a.backend).toMatch(/^onnx/);
      expect(b.backend).toMatch(/^tfjs/);
      const x = randomSpectrogram(setup.frames * setup.bins, 3);
      const [ea, eb] = [await a.evaluate(x), await b.evaluate(x)];
      expect(Math.abs(ea.loss - eb.loss) / eb.loss).toBeLessThan(1e-3);
    } finally {
      a.dispose();
      b.dispose();
    }
  });
});
