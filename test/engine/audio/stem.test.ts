import { describe, expect, it } from 'vitest';
import { BUILTIN_PRESETS, PresetSchema } from '../../../common/preset';
import { decodeWav } from '../../../engine/audio/wav';
import { readWavComment } from '../../helpers/wav-comment';
import { encodeStem } from '../../../engine/audio/stem';

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
