/**
 * electron-builder.yml cannot be exercised here (no Electron binary), so it is checked
 * against electron-builder's own configuration schema and for the settings the shell relies
 * on: natives unpacked from asar, fuses, targets.
 */
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '../..');
const yaml = require('js-yaml') as { load(s: string): unknown };
const config = yaml.load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown> & Record<'linux' | 'mac' | 'win', { target: string[] }>;

describe('electron-builder.yml', () => {
  it('passes electron-builder’s own schema validation', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config');
    const { DebugLogger } = require('builder-util');
    await expect(validateConfiguration(structuredClone(config), new DebugLogger(false))).resolves.toBeUndefined();
    // The validator is real: a misspelt key fails.
    await expect(validateConfiguration({ ...structuredClone(config), asarUnpak: [] }, new DebugLogger(false))).rejects.toThrow();
  });

  it('unpacks natives and wasm, sets the fuses, and builds the three platforms', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/*.node', 'node_modules/onnxruntime-node/**', 'node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm']));
    // The engine reads the trained networks by path, from beside its unpacked bundle.
    expect(config.files).toContain('assets/**');
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['dist/engine/**', 'assets/networks/**']));
    expect(config.electronFuses).toMatchObject({ runAsNode: false, enableEmbeddedAsarIntegrityValidation: true, onlyLoadAppFromAsar: true, enableNodeOptionsEnvironmentVariable: false });
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(config.files).toEqual(expect.arrayContaining(['dist/main/**', 'dist/preload/**', 'dist/engine/**', 'dist/renderer/**']));
    expect(pkg.main).toBe('dist/main/main.js');
  });
});
