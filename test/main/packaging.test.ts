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

  it('ships neither the command line nor the queue packages only it reaches', () => {
    const patterns = config.files as unknown as string[];
    // The patterns use `**` (any path) and `*` (within one folder) only.
    const glob = (p: string) =>
      new RegExp(
        `^${p
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*\*/g, '\0')
          .replace(/\*/g, '[^/]*')
          .replace(/\0/g, '.*')}$`,
      );
    // electron-builder adds the production dependencies, then applies the patterns in order.
    const shipped = (file: string) => patterns.reduce((inc, p) => (p.startsWith('!') ? (glob(p.slice(1)).test(file) ? false : inc) : inc || glob(p).test(file)), file.startsWith('node_modules/'));
    expect(shipped('dist/engine/engine-process.js')).toBe(true);
    expect(shipped('dist/cli/cli.js')).toBe(false);
    // Every package reached from the production dependencies only through bullmq or ioredis.
    const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')).packages as Record<string, { dependencies?: object; optionalDependencies?: object }>;
    const closure = (roots: string[]) => {
      const seen = new Set<string>();
      const stack = [...roots];
      for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
        const entry = lock[`node_modules/${n}`];
        if (!entry || seen.has(n)) continue;
        seen.add(n);
        stack.push(...Object.keys({ ...entry.dependencies, ...entry.optionalDependencies }));
      }
      return seen;
    };
    const prod = Object.keys(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).dependencies as object);
    const withoutQueue = closure(prod.filter((p) => p !== 'bullmq' && p !== 'ioredis'));
    const queueOnly = [...closure(prod)].filter((p) => !withoutQueue.has(p));
    expect(queueOnly).toContain('bullmq');
    expect(queueOnly.filter((p) => shipped(`node_modules/${p}/package.json`))).toEqual([]);
    expect(shipped('node_modules/onnxruntime-node/package.json')).toBe(true);
  });
});
