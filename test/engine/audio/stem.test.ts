import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import * as realFs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportFormat } from '../../../common/audio';
import { GramophoneError } from '../../../common/errors';
import { BUILTIN_PRESETS, PresetSchema } from '../../../common/preset';
import { decodeWav } from '../../../engine/audio/wav';
import type { AtomicFs } from '../../../engine/io/atomic-write';
import { readWavComment } from '../../helpers/wav-comment';
import { encodeStem, writeStemFile } from '../../../engine/audio/stem';

const ENGINE_RATE = 22050;
const take = Float32Array.from({ length: ENGINE_RATE }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / ENGINE_RATE));
const presetJson = JSON.stringify(BUILTIN_PRESETS[0]);

describe('encodeStem', () => {
  it('embeds the preset JSON so it can be read back and parsed', () => {
    const wav = encodeStem(take, ENGINE_RATE, { encoding: 'pcm16', sampleRate: 'engine', channels: 1 }, { comment: presetJson, title: 'Take 1' });
    const comment = readWavComment(wav);
    expect(comment).toBe(presetJson);
    expect(PresetSchema.parse(JSON.parse(comment!))).toEqual(BUILTIN_PRESETS[0]);
  });

  it('keeps the engine rate and mono samples within 1 LSB at 16 bits', () => {
    const d = decodeWav(encodeStem(take, ENGINE_RATE, { encoding: 'pcm16', sampleRate: 'engine', channels: 1 }), 'stem.wav');
    expect(d.sampleRate).toBe(ENGINE_RATE);
    expect(d.channels).toHaveLength(1);
    expect(d.format).toBe('PCM 16-bit');
    let err = 0;
    d.channels[0].forEach((v, i) => (err = Math.max(err, Math.abs(v - take[i]))));
    expect(err).toBeLessThanOrEqual(1 / 32768);
  });

  it('writes dual-mono stereo with identical channels', () => {
    const d = decodeWav(encodeStem(take, ENGINE_RATE, { encoding: 'pcm24', sampleRate: 'engine', channels: 2 }), 'stem.wav');
    expect(d.channels).toHaveLength(2);
    expect(d.format).toBe('PCM 24-bit');
    expect(d.channels[0]).toEqual(d.channels[1]);
  });

  it('resamples to 48 kHz keeping pitch and level', () => {
    const wav = encodeStem(take, ENGINE_RATE, { encoding: 'float32', sampleRate: 48000, channels: 2 }, { comment: presetJson });
    const d = decodeWav(wav, 'stem.wav');
    expect(d.sampleRate).toBe(48000);
    expect(d.format).toBe('float 32-bit');
    expect(d.frames).toBe(Math.round((take.length * 48000) / ENGINE_RATE));
    expect(readWavComment(wav)).toBe(presetJson);
    let err = 0;
    for (let i = 4800; i < 43200; i++) err = Math.max(err, Math.abs(d.channels[0][i] - 0.5 * Math.sin((2 * Math.PI * 440 * i) / 48000)));
    expect(err).toBeLessThan(1e-4);
    expect(d.channels[1]).toEqual(d.channels[0]);
  });

  it('resamples to 44.1 kHz', () => {
    const d = decodeWav(encodeStem(take, ENGINE_RATE, { encoding: 'pcm24', sampleRate: 44100, channels: 1 }), 'stem.wav');
    expect(d.sampleRate).toBe(44100);
    expect(d.frames).toBe(44100);
  });

  it('refuses an empty take', () => {
    expect(() => encodeStem(new Float32Array(0), ENGINE_RATE, { encoding: 'pcm16', sampleRate: 'engine', channels: 1 })).toThrow(/empty take/);
  });
});

describe('writeStemFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gramophone-stem-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  // 2.5 s: longer than one streamed block, an odd sample count (a pad byte at pcm24 mono).
  const long = Float32Array.from({ length: Math.round(2.5 * ENGINE_RATE) }, (_, i) => 0.7 * Math.sin((2 * Math.PI * 330 * i) / ENGINE_RATE) * Math.cos(i / 5000));
  const formats: ExportFormat[] = [
    { encoding: 'pcm24', sampleRate: 44100, channels: 1 },
    { encoding: 'pcm16', sampleRate: 48000, channels: 2 },
    { encoding: 'float32', sampleRate: 44100, channels: 2 },
    { encoding: 'pcm24', sampleRate: 'engine', channels: 1 },
  ];
  it.each(formats)('streams the same bytes as the whole-buffer encoder: %o', async (format) => {
    const file = join(dir, `take-${format.encoding}-${format.sampleRate}-${format.channels}.wav`);
    const meta = { comment: presetJson, title: 'content × style' };
    const size = await writeStemFile(file, long, ENGINE_RATE, format, meta);
    const whole = encodeStem(long, ENGINE_RATE, format, meta);
    const streamed = new Uint8Array(await readFile(file));
    expect(size).toBe(whole.length);
    expect(streamed.length).toBe(whole.length);
    expect(Buffer.compare(streamed, whole)).toBe(0);
  });

  it('leaves no file, partial or temporary, when the disk fails part-way', async () => {
    let writes = 0;
    const failing: AtomicFs = {
      async open(p, flags, mode) {
        const h = await realFs.open(p, flags, mode);
        return {
          write: async (buffer, offset, length, position) => {
            if (++writes === 3) throw Object.assign(new Error('ENOSPC: simulated'), { code: 'ENOSPC' });
            return h.write(buffer, offset, length, position);
          },
          sync: () => h.sync(),
          close: () => h.close(),
        };
      },
      rename: (a, b) => realFs.rename(a, b),
      unlink: (p) => realFs.unlink(p),
    };
    const sub = await mkdtemp(join(dir, 'full-'));
    const err = await writeStemFile(join(sub, 'take.wav'), long, ENGINE_RATE, formats[0], {}, failing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GramophoneError);
    expect((err as GramophoneError).code).toBe('IO_ERROR');
    expect((err as GramophoneError).message).toMatch(/disk is full/);
    expect(writes).toBe(3);
    expect(await readdir(sub)).toEqual([]);
  });

  it('refuses an empty take before making a file', async () => {
    const sub = await mkdtemp(join(dir, 'empty-'));
    await expect(writeStemFile(join(sub, 'take.wav'), new Float32Array(0), ENGINE_RATE, formats[0])).rejects.toThrow(/empty take/);
    expect(await readdir(sub)).toEqual([]);
  });
});
