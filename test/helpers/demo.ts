/** Test helpers: the bundled demo pair and small presets for fast renders. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { builtinPreset, type Preset } from '../../common/preset';

export const ROOT = path.resolve(__dirname, '../..');
export const DEMO_DIR = path.join(ROOT, 'assets/demo');

export const demoFile = (which: 'content' | 'style') => ({
  name: `${which}.wav`,
  bytes: new Uint8Array(readFileSync(path.join(DEMO_DIR, `${which}.wav`))),
});

/** "Quick preview" with overrides, for renders that must finish in a second or two. */
export function quickPreset(overrides: Partial<Preset> = {}): Preset {
  const base = builtinPreset('Quick preview')!;
  return { ...structuredClone(base), ...overrides } as Preset;
}

/**
 * A tiny preset: few filters, few iterations, few Griffin-Lim rounds, from the plain content
 * (Quick preview's version-1 start, which the golden take was stored with).
 */
export function tinyPreset(seed = 1): Preset {
  const p = quickPreset();
  return {
    ...p,
    init: 'content',
    network: { ...p.network, layers: p.network.layers.map((l) => (l.kind === 'conv1d' ? { ...l, filters: 32 } : l)), seed },
    optimizer: { ...p.optimizer, iterations: 6 },
    griffinLim: { iterations: 6, momentum: 0.99 },
  };
}
