import { describe, expect, it } from 'vitest';
import { BUILTIN_PRESETS, PRESET_VERSION, PresetSchema, builtinPreset, migratePreset, presetProblems, type Preset } from '../../common/preset';
import { LOSS_TERMS } from '../../common/loss-terms';
import { V1_QUICK } from '../fixtures/presets';

describe('built-in presets', () => {
  it('are valid, named uniquely, each with its source, and the default exists', () => {
    const names = BUILTIN_PRESETS.map((p) => p.name.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
    for (const p of BUILTIN_PRESETS) {
      expect(presetProblems(p), p.name).toBeNull();
      expect(p.source?.length, p.name).toBeGreaterThan(20);
      expect(p.version).toBe(PRESET_VERSION);
    }
    expect(builtinPreset('quick PREVIEW ')?.name).toBe('Quick preview');
  });

  it('follow their sources where the issue names them', () => {
    const verma = builtinPreset('Verma & Smith')!;
    expect(verma.analysis).toEqual({ sampleRate: 16000, nFft: 512, hop: 160, window: 480 });
    expect(verma.network.layers.filter((l) => l.kind === 'conv2d')).toHaveLength(6);
    expect(verma.network.layers.filter((l) => l.kind === 'pool')).toHaveLength(2);
    expect(verma.init).toBe('noise');
    // The trained preset is the same in everything but where the weights come from.
    const trained = builtinPreset('Verma & Smith (trained)')!;
    expect(trained.network.weights).toBe('instrument-cnn-v1');
    expect(verma.network.weights).toBe('random');
    // (and where the optimiser stops: each preset's plateau is tuned to its own loss curve)
    const allButWeights = (p: Preset) => {
      const {
        name: _n,
        source: _s,
        network: { weights: _w, ...network },
        optimizer,
        ...rest
      } = p;
      return { ...rest, optimizer: { ...optimizer, plateau: undefined }, network };
    };
    expect(allButWeights(trained)).toEqual(allButWeights(verma));
    expect(presetProblems({ ...trained, network: { ...trained.network, weights: 'imagenet' } })).toMatch(/network\.weights/);
    const iitb = builtinPreset('IITB mel tanh')!;
    expect(iitb.frontEnd).toMatchObject({ kind: 'mel', bands: 128 });
    expect(iitb.network.layers.map((l) => l.kind)).toEqual(['conv2d', 'activation']);
    expect(builtinPreset('alishdipani conv1d')!.network.layers[1]).toEqual({ kind: 'activation', fn: 'none' });
    const texture = builtinPreset('McDermott texture (Grinstein)')!;
    expect(texture.weights.texture).toBe(1);
    expect(texture.init).toBe('content');
  });
});

describe('migration to version 2', () => {
  it('a version-1 document becomes [conv1d, activation] on a linear STFT with every frame optimised', () => {
    const p = migratePreset(V1_QUICK);
    expect(p.version).toBe(2);
    expect(p.analysis.window).toBe(1024);
    expect(p.frontEnd).toEqual({ kind: 'linear' });
    expect(p.network).toEqual({
      layers: [
        { kind: 'conv1d', filters: 256, kernel: 11 },
        { kind: 'activation', fn: 'relu' },
      ],
      seed: 1,
      weights: 'random',
    });
    expect(p.rests).toBe('free');
    for (const t of LOSS_TERMS) expect(typeof p.weights[t]).toBe('number');
    expect(p.weights.texture).toBe(0);
    expect(p.statistics.energy.target).toBe('style');
    // Everything else is the document's own, so the same settings render the same samples.
    expect(p).toMatchObject({
      name: V1_QUICK.name,
      source: V1_QUICK.source,
      analysis: { ...V1_QUICK.analysis, window: 1024 },
      optimizer: V1_QUICK.optimizer,
      init: V1_QUICK.init,
      griffinLim: V1_QUICK.griffinLim,
      output: V1_QUICK.output,
      backend: V1_QUICK.backend,
    });
    expect(p.optimizer.plateau).toBeUndefined();
    expect(p.weights).toMatchObject(V1_QUICK.weights);
  });

  it('an unversioned draft migrates through version 1', () => {
    const { version: _v, backend: _b, ...draft } = V1_QUICK;
    const p = migratePreset({ ...draft, output: { normalize: true } });
    expect(p.version).toBe(2);
    expect(p.output.peakDb).toBe(-1);
    expect(p.backend).toBe('auto');
  });

  it('refuses newer versions, garbage and broken v1 fields with readable reasons', () => {
    expect(() => migratePreset({ ...V1_QUICK, version: 3 })).toThrow(/unsupported preset version 3/);
    expect(() => migratePreset([1, 2])).toThrow(/JSON object/);
    expect(() => migratePreset({ ...V1_QUICK, network: { ...V1_QUICK.network, kernel: 0 } })).toThrow(/network\.layers\.0\.kernel/);
  });
});

describe('schema rules for version 2', () => {
  const base = builtinPreset('Quick preview')!;
  it('checks the window, the layers statistics read, layer weights and spectral-only terms', () => {
    expect(presetProblems({ ...base, analysis: { ...base.analysis, window: 2048 } })).toMatch(/window/);
    expect(presetProblems({ ...base, statistics: { ...base.statistics, content: { layers: [3] } } })).toMatch(/layer 3 does not exist/);
    expect(presetProblems({ ...base, statistics: { ...base.statistics, style: { layers: [1, 2], layerWeights: [1] } } })).toMatch(/one weight per style layer/);
    expect(presetProblems({ ...base, frontEnd: { kind: 'mfcc', bands: 40, coefficients: 20, fMin: 0, fMax: 0 }, weights: { ...base.weights, texture: 1 } })).toMatch(/spectral front end/);
    expect(presetProblems({ ...base, frontEnd: { kind: 'mel', bands: 64, fMin: 0, fMax: 20000 } })).toMatch(/half the sample rate/);
    expect(presetProblems({ ...base, network: { ...base.network, layers: [] } })).toMatch(/layers/);
    expect(presetProblems({ ...base, network: { ...base.network, layers: [{ kind: 'pool', mode: 'median', time: 2, freq: 2 }] } })).toMatch(/mode/);
  });

  it('fills statistics and weights left out of a hand-written document', () => {
    const p = PresetSchema.parse({ ...base, weights: { style: 2 }, statistics: {} });
    expect(p.weights).toMatchObject({ content: 0, style: 2, energy: 0, texture: 0 });
    expect(p.statistics.texture).toEqual({ bands: 24, modulationBands: 6, compression: 0.3 });
  });
});
