/**
 * A FLAC file decodes to exactly the number of samples its STREAMINFO block declares, for
 * files made by sox and by ffmpeg in the test run. Both encoders end a file whose last
 * block is digital silence with a frame of a dozen bytes; a parser that needs more bytes
 * after a frame header than that final frame holds glues it onto the frame before, and the
 * decoder then drops its samples (6.00 s → 5.94 s).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeAudio } from '../../../engine/audio/decode';
import { encodeWav } from '../../../engine/audio/wav-encode';

const dir = mkdtempSync(path.join(tmpdir(), 'gramophone-flac-length-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The 36-bit "total samples" field of STREAMINFO (native FLAC, metadata block 0). */
function streamInfoTotal(bytes: Uint8Array): number {
  const s = 8; // "fLaC", then the block header
  return (bytes[s + 13] & 0x0f) * 2 ** 32 + ((bytes[s + 14] << 24) >>> 0) + (bytes[s + 15] << 16) + (bytes[s + 16] << 8) + bytes[s + 17];
}

/** `seconds` of a sine followed by `silence` seconds of digital zero, mono, 16-bit WAV. */
function toneThenSilence(rate: number, seconds: number, silence: number): string {
  const n = Math.round(rate * (seconds + silence));
  const x = new Float32Array(n);
  for (let i = 0; i < Math.round(rate * seconds); i++) x[i] = 0.5 * Math.sin((2 * Math.PI * 440 * i) / rate);
  const file = path.join(dir, `in-${rate}.wav`);
  writeFileSync(file, encodeWav([x], rate, 'pcm16'));
  return file;
}

function run(tool: string, args: string[]): Uint8Array {
  const out = path.join(dir, `${tool}-${args.join('_').replace(/[^\w]/g, '')}.flac`);
  const full = tool === 'ffmpeg' ? ['-hide_banner', '-loglevel', 'error', '-y', ...args, out] : [...args, out];
  execFileSync(tool, full, { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Uint8Array(readFileSync(out));
}

describe('FLAC length', () => {
  const cases: [string, () => Uint8Array, number][] = [
    // Short files (a second of silence holds whole blocks of it) keep the run quick.
    // sox without dither keeps the silence exact: its last frame (3754 samples) is a dozen bytes.
    ['sox, 44.1 kHz, 2.50 s', () => run('sox', ['-D', toneThenSilence(44100, 1.5, 1), '-b', '16']), 110_250],
    // ffmpeg at 22.05 kHz: blocks of 2304, the last 1638 samples long.
    ['ffmpeg, 22.05 kHz, 3.00 s', () => run('ffmpeg', ['-i', toneThenSilence(22050, 2, 1), '-c:a', 'flac']), 66_150],
    ['ffmpeg, 48 kHz stereo, sine to the end', () => run('ffmpeg', ['-f', 'lavfi', '-i', 'sine=f=440:d=2:sample_rate=48000', '-ac', '2', '-c:a', 'flac']), 96_000],
  ];
  for (const [label, make, frames] of cases) {
    it(`${label}: every sample STREAMINFO declares`, async () => {
      const bytes = make();
      expect(streamInfoTotal(bytes)).toBe(frames);
      const decoded = await decodeAudio(bytes, 'take.flac');
      expect(decoded.channels[0].length).toBe(frames);
      expect(decoded.warnings).toEqual([]);
    });
  }

  it('a file cut short decodes what is there and says how much is missing', async () => {
    const whole = run('ffmpeg', ['-i', toneThenSilence(22050, 2, 1), '-c:a', 'flac', '-metadata', 'title=cut']);
    const cut = whole.subarray(0, Math.round(whole.length * 0.6));
    const decoded = await decodeAudio(cut, 'cut.flac');
    expect(decoded.channels[0].length).toBeGreaterThan(0);
    expect(decoded.channels[0].length).toBeLessThan(66_150);
    expect(decoded.warnings.join(' ')).toMatch(/header says 3\.00 s of audio but [\d.]+ s decoded/);
  });
});
