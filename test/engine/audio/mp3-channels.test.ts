/**
 * An MP3 decodes to the channels its frames declare: the MP3 decoder always hands out two,
 * so a mono file (a voice memo, the demo made into an MP3) was shown and exported as stereo.
 * Files made by ffmpeg in the test run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeAudio } from '../../../engine/audio/decode';
import { DEMO_DIR } from '../../helpers/demo';

const dir = mkdtempSync(path.join(tmpdir(), 'gramophone-mp3-channels-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function mp3(channels: number): Uint8Array {
  const out = path.join(dir, `${channels}.mp3`);
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', path.join(DEMO_DIR, 'content.wav'), '-t', '2', '-ac', String(channels), '-c:a', 'libmp3lame', '-b:a', '96k', out]);
  return new Uint8Array(readFileSync(out));
}

describe('MP3 channels', () => {
  it('a mono MP3 decodes to one channel', async () => {
    const d = await decodeAudio(mp3(1), 'memo.mp3');
    expect(d.channels.length).toBe(1);
    expect(d.channels[0].length).toBeGreaterThan(2 * 22050 * 0.9);
  });

  it('a stereo MP3 keeps both', async () => {
    const d = await decodeAudio(mp3(2), 'song.mp3');
    expect(d.channels.length).toBe(2);
  });

  it('a mono MP3 mixed to mono on the fly equals its one channel resampled', async () => {
    const bytes = mp3(1);
    const whole = await decodeAudio(bytes, 'memo.mp3');
    const mono = await decodeAudio(bytes, 'memo.mp3', { monoAt: whole.sampleRate });
    expect(mono.channels.length).toBe(1);
    let diff = 0;
    for (let i = 0; i < mono.channels[0].length; i++) diff = Math.max(diff, Math.abs(mono.channels[0][i] - whole.channels[0][i]));
    expect(diff).toBeLessThan(1e-6);
  });
});
