/**
 * Process boundaries (DESIGN.md §1): engine/ and common/ never import Electron, and common/
 * imports nothing from Node or the DOM, so both run anywhere.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './helpers/demo';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(f) ? [p] : [];
  });
}
const importsOf = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => m[1] ?? m[2] ?? m[3],
  );

describe('architecture', () => {
  it('engine/ and common/ do not import electron', () => {
    const offenders = [...sources(path.join(ROOT, 'engine')), ...sources(path.join(ROOT, 'common'))].filter((f) =>
      importsOf(f).some((m) => m === 'electron' || m.startsWith('electron/')),
    );
    expect(offenders).toEqual([]);
  });

  it('common/ imports no node: modules, no main/engine/renderer code, and uses no DOM globals', () => {
    const files = sources(path.join(ROOT, 'common'));
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) {
      for (const m of importsOf(f)) {
        expect(m.startsWith('node:') || ['fs', 'path', 'os', 'child_process'].includes(m), `${f} imports ${m}`).toBe(false);
        expect(/^\.\.\/(engine|main|renderer|preload)\//.test(m), `${f} imports ${m}`).toBe(false);
      }
      // Comments may mention window.gramophone; code may not touch it.
      const code = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      expect(/\b(window|document)\./.test(code), `${f} uses the DOM`).toBe(false);
    }
  });

  it('the import checker itself sees imports', () => {
    expect(importsOf(path.join(ROOT, 'engine/render.ts'))).toContain('./audio/decode');
  });
});
