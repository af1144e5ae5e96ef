/** A batch folder made by `gramophone batch`, read back as takes: what is done and readable, in job order; the rest named in notices. */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RESULTS_FILE, type BatchResult } from '../../common/batch';
import { encodeWav } from '../../engine/audio/wav-encode';
import { decodeWav } from '../../engine/audio/wav';
import { readBatchFolder, type DecodeFile } from '../../main/batch-folder';
import { resultLine } from '../helpers/batch-folder';

const hash = (c: string) => c.repeat(64).slice(0, 64);
const decode: DecodeFile = async (name, bytes) => {
  const d = decodeWav(bytes, name);
  return { info: { name, sampleRate: d.sampleRate, channels: d.channels.length, frames: d.frames, duration: d.frames / d.sampleRate, format: d.format, warnings: [] }, channels: d.channels };
};

// Lines as the batch writes them, with the take's hash as a finished batch records it.
const line = (index: number, out: string, over: Partial<BatchResult> = {}): string => resultLine(index, out, { outSha256: hash('d'), ...over });

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('readBatchFolder', () => {
  it('reads the done takes in job order, the last line of an output winning, and says what it left out', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gramophone-batch-'));
    const tone = (f: number) => new Float32Array(2205).map((_, i) => 0.3 * Math.sin((2 * Math.PI * f * i) / 22050));
    writeFileSync(path.join(dir, 'seed-1.wav'), encodeWav([tone(440)], 22050, 'pcm16'));
    writeFileSync(path.join(dir, 'seed-2.wav'), encodeWav([tone(660)], 22050, 'pcm16'));
    writeFileSync(
      path.join(dir, RESULTS_FILE),
      [
        line(2, 'seed-2.wav', { status: 'failed', metrics: undefined, error: { code: 'INTERNAL', message: 'x' } }),
        line(1, 'seed-1.wav'),
        '{"cut short',
        line(2, 'seed-2.wav'),
        line(3, '../outside.wav'),
        line(4, 'missing.wav'),
        line(5, 'seed-5.wav', { status: 'failed', metrics: undefined }),
      ].join('\n'),
    );
    const { takes, notices } = await readBatchFolder(dir, decode);
    expect(takes.map((t) => t.label)).toEqual(['seed-1', 'seed-2']);
    expect(takes[1].preset.network.seed).toBe(2);
    expect(takes[0].samples.length).toBe(2205);
    expect(takes[0].contentName).toBe('c.wav');
    expect(notices).toEqual([
      '1 line of results.jsonl could not be read and was left out.',
      '1 job of the batch failed and has no take.',
      '"../outside.wav" is not a file name inside the batch folder; left out.',
      expect.stringMatching(/^"missing\.wav" could not be read: /),
    ]);
  });

  it('refuses a folder that is not a batch, or whose takes cannot be read, in words', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gramophone-batch-'));
    await expect(readBatchFolder(dir, decode)).rejects.toThrow(/is not a batch folder: it has no results\.jsonl/);
    writeFileSync(path.join(dir, RESULTS_FILE), line(1, 'gone.wav'));
    await expect(readBatchFolder(dir, decode)).rejects.toThrow(/No take of the batch .* could be read: "gone\.wav" could not be read/);
  });
});
