/** A composed shell on a fake (or real) engine process, with temp folders, for tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createShell } from '../../../main/shell';
import { nodeEngineLauncher } from '../../../main/node-engine-launcher';
import type { EngineChild } from '../../../main/engine-host';
import { nodeFileAccess } from '../../../main/file-access';
import { ScriptedDialogs } from '../../fixtures/shell/scripted-dialogs';
import { confBackingStore } from '../../../main/conf-store';
import type { AtomicFs } from '../../../engine/io/atomic-write';

export const FAKE_ENGINE = fileURLToPath(new URL('../../fixtures/engine/fake-engine.ts', import.meta.url));
export const REAL_ENGINE = fileURLToPath(new URL('../../../dist/engine/engine-process.js', import.meta.url));
export const DEMO_DIR = fileURLToPath(new URL('../../../assets/demo', import.meta.url));

/** 16-bit mono PCM WAV bytes. */
export function wav16(samples: number[] | Float32Array, rate = 8000): Uint8Array {
  const n = samples.length;
  const b = Buffer.alloc(44 + n * 2);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + n * 2, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * 2, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) b.writeInt16LE(Math.round(Math.max(-1, Math.min(1, samples[i])) * 32767), 44 + i * 2);
  return new Uint8Array(b);
}

export interface FixtureOptions {
  engine?: 'fake' | 'real';
  env?: Record<string, string>;
  atomicFs?: AtomicFs;
  exportDir?: string;
}

export function makeShell(o: FixtureOptions = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gramophone-shell-'));
  const exportDir = o.exportDir ?? path.join(root, 'exports');
  const real = o.engine === 'real';
  const launch = nodeEngineLauncher({
    entry: real ? REAL_ENGINE : FAKE_ENGINE,
    execArgv: real ? [] : ['--import', 'tsx'],
    env: { ...process.env, ...o.env },
    stdio: 'ignore',
  });
  // The launcher is the seam through which a test reaches the engine process, to kill it.
  let child: EngineChild | null = null;
  const dialogs = new ScriptedDialogs(exportDir);
  const shell = createShell({
    shell: 'web',
    launch: () => (child = launch()),
    presetsDir: path.join(root, 'data'),
    openStore: confBackingStore(),
    dialogs,
    files: nodeFileAccess(o.atomicFs),
    demoDir: DEMO_DIR,
    engineOptions: { backoffMs: 20 },
  });
  /** Kill the current engine process, as a crash would. */
  const killEngine = () => child?.kill();
  return { shell, root, exportDir, dialogs, killEngine };
}
