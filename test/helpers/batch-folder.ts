/**
 * Batch folders as `gramophone batch` leaves them, for the tests that open one: result lines
 * of `results.jsonl` and takes beside them.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { RESULTS_FILE, type BatchResult } from '../../common/batch';
import { builtinPreset } from '../../common/preset';
import { encodeWav } from '../../engine/audio/wav-encode';
import { takeMetrics } from '../fixtures/metrics';

const hash = (c: string) => c.repeat(64);

/** One line of results.jsonl: a done "Quick preview" take of seed `index` written to `out`, with `over` on top. */
export function resultLine(index: number, out: string, over: Partial<BatchResult> = {}): string {
  const quick = builtinPreset('Quick preview')!;
  return JSON.stringify({
    index,
    out,
    status: 'done',
    key: hash('a'),
    content: { path: '/x/c.wav', name: 'c.wav', sha256: hash('b') },
    style: { path: '/x/s.wav', name: 's.wav', sha256: hash('c') },
    preset: { ...quick, network: { ...quick.network, seed: index } },
    format: { encoding: 'pcm16', sampleRate: 'engine', channels: 1 },
    metrics: takeMetrics(),
    engineVersion: '0.1.0',
    finishedAt: '2026-12-07T00:00:00Z',
    ...over,
  });
}

/**
 * Fill `dir` (which exists) as a finished batch: `seed-N.wav` for each take (mono 16-bit at
 * 22.05 kHz, N from 1) and a results.jsonl line for each.
 */
export function writeBatchFolder(dir: string, takes: Float32Array[]): void {
  const lines = takes.map((samples, k) => {
    writeFileSync(path.join(dir, `seed-${k + 1}.wav`), encodeWav([samples], 22050, 'pcm16'));
    return resultLine(k + 1, `seed-${k + 1}.wav`);
  });
  writeFileSync(path.join(dir, RESULTS_FILE), `${lines.join('\n')}\n`);
}
