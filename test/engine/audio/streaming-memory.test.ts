/**
 * A long file decodes for a render without its channels at the native rate ever being held
 * whole: peak memory is the file's bytes plus the mono output plus a small constant, where
 * decoding whole then mixing down and resampling holds three native-rate copies more.
 * Measured as the peak RSS of a child process on sparse synthetic WAVs (silence, so they
 * cost no disk and read fast).
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from '../../helpers/demo';
import { chunk, concat, fmtBody, riff, TAG } from '../../fixtures/wav/make-wav';

const MB = 1024 * 1024;
const SCRIPT = path.join(ROOT, 'test/fixtures/audio/decode-peak-rss.ts');

/** A WAV header for `frames` frames, then a sparse (unwritten) data chunk of silence. */
function sparseWav(file: string, frames: number, spec: { channels: number; sampleRate: number; bits: number }): number {
  const dataBytes = frames * spec.channels * (spec.bits / 8);
  const header = riff([chunk('fmt ', fmtBody({ tag: TAG.PCM, ...spec })), chunk('data', new Uint8Array(0), { size: dataBytes })], {});
  // riff() sized the RIFF for an empty data chunk; patch in the real total.
  new DataView(header.buffer).setUint32(4, header.length - 8 + dataBytes, true);
  writeFileSync(file, concat(header));
  truncateSync(file, header.length + dataBytes);
  return header.length + dataBytes;
}

function peakGrowth(file: string, rate: number, mode: 'stream' | 'whole') {
  const out = execFileSync(process.execPath, ['--import', 'tsx', SCRIPT, file, String(rate), mode], { cwd: ROOT, encoding: 'utf8', maxBuffer: MB });
  const r = JSON.parse(out.trim().split('\n').pop()!) as { before: number; peak: number; samples: number; fileBytes: number };
  return { ...r, growth: r.peak - r.before };
}

describe('streaming decode to mono at the analysis rate', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gramophone-stream-'));

  it('a 9-minute 44.1 kHz stereo file: peak ≈ file + mono output, far below decoding whole', () => {
    const file = path.join(dir, 'long.wav');
    const frames = 25_000_000;
    const size = sparseWav(file, frames, { channels: 2, sampleRate: 44100, bits: 16 });
    const stream = peakGrowth(file, 44100, 'stream');
    expect(stream.samples).toBe(frames);
    const output = frames * 4;
    // File 95 MB + output 95 MB; decoding whole adds 2 × 95 MB of channels and a 95 MB mix.
    expect(stream.growth).toBeLessThan(size + output + 80 * MB);
    const whole = peakGrowth(file, 44100, 'whole');
    expect(whole.growth - stream.growth).toBeGreaterThan(2 * output);
  }, 60_000);

  it('a 48 kHz 24-bit stereo file resampled to 22.05 kHz in blocks', () => {
    const file = path.join(dir, 'hires.wav');
    const frames = 2_000_000;
    const size = sparseWav(file, frames, { channels: 2, sampleRate: 48000, bits: 24 });
    const stream = peakGrowth(file, 22050, 'stream');
    const output = Math.round((frames * 22050) / 48000) * 4;
    expect(stream.samples * 4).toBe(output);
    // Whole: 2 × 8 MB of channels and an 8 MB mix before the output; streaming keeps none.
    expect(stream.growth).toBeLessThan(size + output + 40 * MB);
    const whole = peakGrowth(file, 22050, 'whole');
    expect(whole.growth - stream.growth).toBeGreaterThan(2 * frames * 4);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});
