/**
 * Process boundaries (docs/ARCHITECTURE.md, "The layer table"), checked by a tool rather than by review: one table says
 * which folders and packages each folder's code may import, and every import of every
 * source file (found by TypeScript's own scanner: static, dynamic, re-exports, require) is
 * held against it. The most specific row for a file applies.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { ROOT } from './helpers/demo';

interface Layer {
  /** What the rule is for, in words. */
  why: string;
  /** Folders (or files) of this repository the code may import from. */
  folders: string[];
  /** npm packages it may import (`@scope/*` for a whole scope). */
  packages: string[];
  /** Whether it may import Node's built-ins (`node:*`). */
  node: boolean;
}

/** Rows by folder or file, relative to the repository root. */
const LAYERS: Record<string, Layer> = {
  common: { why: 'shared by every process: no Electron, no Node, no DOM', folders: ['common'], packages: ['zod'], node: false },
  engine: {
    why: 'plain Node (engine process, CLI, workers): never Electron or the UI',
    folders: ['common', 'engine'],
    packages: ['@echogarden/*', '@tensorflow/*', 'onnxruntime-node', 'wabt', '@wasm-audio-decoders/*', 'mpg123-decoder', 'ogg-opus-decoder'],
    node: true,
  },
  cli: {
    why: 'the command line, batch rendering on a pool of engine processes, and the BullMQ queue in Redis; the engine never imports it, the desktop app never ships it',
    folders: ['common', 'engine', 'cli'],
    packages: ['bullmq', 'ioredis', 'zod'],
    node: true,
  },
  main: {
    why: "main's services and handlers are Electron-free (the web server runs them too); DSP runs in the engine process, so only engine/io",
    folders: ['common', 'main', 'engine/io', 'package.json'],
    packages: ['ws', 'conf', 'fflate'],
    node: true,
  },
  'main/main.ts': { why: 'the Electron entry', folders: ['common', 'main'], packages: ['electron', 'electron-store'], node: true },
  'main/electron': { why: "Electron's implementations of main's interfaces", folders: ['common', 'main'], packages: ['electron'], node: true },
  preload: { why: 'sandboxed: the contract and electron only', folders: ['common', 'preload'], packages: ['electron'], node: false },
  renderer: { why: 'the page: no Node, no Electron', folders: ['common', 'renderer'], packages: ['react', 'react-dom', 'tone', 'vite'], node: false },
  'renderer/state': { why: 'pure state and actions, tested without React', folders: ['common', 'renderer/state'], packages: [], node: false },
  'renderer/view': { why: 'pure drawing helpers over state', folders: ['common', 'renderer/state', 'renderer/view'], packages: ['react'], node: false },
  'renderer/audio': { why: 'the transport', folders: ['common', 'renderer/audio'], packages: ['tone'], node: false },
  'renderer/api': { why: 'the shell API clients', folders: ['common', 'renderer/api'], packages: [], node: false },
  'renderer/app': {
    why: 'behaviour outside React (its notices use the pure words of renderer/view)',
    folders: ['common', 'renderer/state', 'renderer/audio', 'renderer/view', 'renderer/app'],
    packages: ['react'],
    node: false,
  },
  bench: { why: 'benchmarks run the engine (on inputs made as the tests make them)', folders: ['common', 'engine', 'bench', 'test/fixtures'], packages: [], node: true },
  scripts: { why: 'build and asset scripts', folders: ['common', 'engine', 'scripts'], packages: ['esbuild', 'vite'], node: true },
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : /\.(tsx?|mjs)$/.test(f) && !f.endsWith('.d.ts') ? [p] : [];
  });
}

/** Every module specifier a file imports, as TypeScript's scanner sees them. */
const importsOf = (file: string) => ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((f) => f.fileName);

/** The most specific row for a file (its path relative to the root). */
function layerOf(rel: string): [string, Layer] | null {
  const keys = Object.keys(LAYERS).filter((k) => rel === k || rel.startsWith(`${k}/`));
  const key = keys.sort((a, b) => b.length - a.length)[0];
  return key ? [key, LAYERS[key]] : null;
}

const packageOf = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
const allowsPackage = (layer: Layer, pkg: string) => layer.packages.some((p) => p === pkg || (p.endsWith('/*') && pkg.startsWith(p.slice(0, -1))));

/** Why `spec`, imported by `file`, breaks its layer's rule; null when it is allowed. */
function violation(file: string, spec: string): string | null {
  const rel = path.relative(ROOT, file).split(path.sep).join('/');
  const row = layerOf(rel);
  if (!row) return null;
  const [key, layer] = row;
  if (spec.startsWith('.')) {
    const target = path
      .relative(ROOT, path.resolve(path.dirname(file), spec))
      .split(path.sep)
      .join('/');
    return layer.folders.some((f) => target === f || target.startsWith(`${f}/`) || target === f.replace(/\.json$/, '')) ? null : `${rel} (${key}: ${layer.why}) imports ${target}`;
  }
  if (spec.startsWith('node:')) return layer.node ? null : `${rel} (${key}: ${layer.why}) imports ${spec}`;
  return allowsPackage(layer, packageOf(spec)) ? null : `${rel} (${key}: ${layer.why}) imports the package ${spec}`;
}

const PROCESS_FOLDERS = ['common', 'engine', 'cli', 'main', 'preload', 'renderer', 'bench', 'scripts'];

describe('architecture', () => {
  it('every import of every source file is allowed by the layer table', () => {
    const files = PROCESS_FOLDERS.flatMap((d) => sources(path.join(ROOT, d)));
    expect(files.length).toBeGreaterThan(100);
    const problems = files.flatMap((f) =>
      importsOf(f)
        .map((spec) => violation(f, spec))
        .filter((v): v is string => v !== null),
    );
    expect(problems).toEqual([]);
  });

  it('common/ uses no DOM globals', () => {
    for (const f of sources(path.join(ROOT, 'common'))) {
      // Comments may mention window.gramophone; code may not touch it.
      const code = readFileSync(f, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      expect(/\b(window|document)\./.test(code), `${f} uses the DOM`).toBe(false);
    }
  });

  it('the checker catches what it should', () => {
    const at = (rel: string) => path.join(ROOT, rel);
    expect(importsOf(at('engine/render/chunked.ts'))).toContain('./render');
    expect(violation(at('engine/render/render.ts'), 'electron')).toMatch(/package electron/);
    expect(violation(at('engine/render/render.ts'), '../../cli/cli-args')).toMatch(/cli\/cli-args/);
    expect(violation(at('cli/cli.ts'), '../engine/render/render')).toBeNull();
    expect(violation(at('cli/batch/queue-runner.ts'), 'bullmq')).toBeNull();
    expect(violation(at('engine/render/render.ts'), 'bullmq')).toMatch(/bullmq/);
    expect(violation(at('common/rpc.ts'), 'node:fs')).toMatch(/node:fs/);
    expect(violation(at('main/shell.ts'), '../engine/dsp/resample')).toMatch(/engine\/dsp\/resample/);
    expect(violation(at('main/shell.ts'), 'electron')).toMatch(/electron/);
    expect(violation(at('main/main.ts'), 'electron')).toBeNull();
    expect(violation(at('renderer/state/actions.ts'), '../view/take-summary')).toMatch(/renderer\/view/);
    expect(violation(at('renderer/components/app.tsx'), '../view/render-count')).toBeNull();
  });
});
