/**
 * Batch fixtures made in code: one-second clips (tones for contents, noisy textures for
 * styles) and a tiny preset, so a job renders in well under a second.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { encodeWav } from '../../../engine/audio/wav-encode';
import { createRng } from '../../../engine/random';
import { tinyPreset, ROOT } from '../../helpers/demo';

export const CLI = path.join(ROOT, 'dist/cli/cli.js');
const RATE = 22050;

/** A 1 s tone sequence (content-like). */
export function toneClip(seed: number): Uint8Array {
  const x = new Float32Array(RATE);
  const notes = [220, 277, 330, 440].map((f) => f * (1 + seed * 0.125));
  for (let i = 0; i < x.length; i++) {
    const f = notes[Math.floor((i / x.length) * notes.length)];
    x[i] = 0.5 * Math.sin((2 * Math.PI * f * i) / RATE) * Math.min(1, (i % 5512) / 200);
  }
  return encodeWav([x], RATE, 'pcm16');
}

/** A 1 s noisy texture (style-like). */
export function textureClip(seed: number): Uint8Array {
  const rng = createRng(seed);
  const x = new Float32Array(RATE);
  let y = 0;
  for (let i = 0; i < x.length; i++) {
    y = 0.9 * y + 0.1 * rng.normal();
    x[i] = 0.4 * y * (0.5 + 0.5 * Math.sin((2 * Math.PI * 6 * i) / RATE)) + 0.1 * Math.sin((2 * Math.PI * (600 + 100 * seed) * i) / RATE);
  }
  return encodeWav([x], RATE, 'pcm16');
}

/** Write clips and a tiny preset into `dir`; returns their paths. */
export function writeFixtures(dir: string, contents = 2, styles = 1): { contents: string[]; styles: string[]; preset: string } {
  mkdirSync(path.join(dir, 'content'), { recursive: true });
  mkdirSync(path.join(dir, 'style'), { recursive: true });
  const c = Array.from({ length: contents }, (_, i) => {
    const p = path.join(dir, 'content', `tune${i + 1}.wav`);
    writeFileSync(p, toneClip(i));
    return p;
  });
  const s = Array.from({ length: styles }, (_, i) => {
    const p = path.join(dir, 'style', `texture${i + 1}.wav`);
    writeFileSync(p, textureClip(i + 1));
    return p;
  });
  const preset = path.join(dir, 'tiny.json');
  writeFileSync(preset, JSON.stringify({ ...tinyPreset(), name: 'Tiny' }));
  return { contents: c, styles: s, preset };
}

/** A running CLI process whose stdout is split into lines. */
export interface CliRun {
  child: ChildProcess;
  lines: string[];
  stderr: () => string;
  /** Resolves with the exit code. */
  done: Promise<number | null>;
  /** Resolves with the first line `match` accepts. */
  waitFor(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
}

/** Start the built CLI with `args`. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
  const lines: string[] = [];
  const waiters: { match: (l: string) => boolean; resolve: (l: string) => void }[] = [];
  let buf = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.match(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    lines,
    stderr: () => err,
    done,
    waitFor(match, timeoutMs = 60_000) {
      const seen = lines.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`timed out waiting for a line; stderr: ${err.slice(-500)}`)), timeoutMs);
        waiters.push({
          match,
          resolve: (l) => {
            clearTimeout(t);
            resolve(l);
          },
        });
      });
    },
  };
}

/** Parsed JSON lines of a run (non-JSON lines skipped). */
export const events = (run: CliRun): Record<string, unknown>[] =>
  run.lines.flatMap((l) => {
    try {
      return [JSON.parse(l) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
