/**
 * Inputs whose levels a person should hear about (issue 11): silent, nearly silent, and a
 * DC offset are accepted with a warning in words; ordinary audio, including short lopsided
 * sounds, gets none.
 */
import { describe, expect, it } from 'vitest';
import { levelWarnings } from '../../../engine/audio/levels';
import { decodeAudio } from '../../../engine/audio/decode';
import { TAG, interleave, simpleWav } from '../../fixtures/wav/make-wav';

const RATE = 16000;
const sine = (n: number, amp: number, hz = 440, offset = 0) => Float32Array.from({ length: n }, (_, i) => offset + amp * Math.sin((2 * Math.PI * hz * i) / RATE));
const floatWav = (channels: Float32Array[]) => simpleWav({ tag: TAG.FLOAT, channels: channels.length, sampleRate: RATE, bits: 32 }, interleave(channels, 'f32'));

describe('levelWarnings', () => {
  it('says nothing about ordinary audio, nor about a short lopsided sound', () => {
    expect(levelWarnings([sine(RATE, 0.5)])).toEqual([]);
    expect(levelWarnings([sine(RATE, 0.5), sine(RATE, 0.3, 220)])).toEqual([]);
    // A kick: one decaying low swing, whose mean is far from zero over its 150 ms.
    const kick = Float32Array.from({ length: 2400 }, (_, i) => 0.9 * Math.exp(-i / 400) * Math.sin((2 * Math.PI * 55 * i) / RATE));
    expect(levelWarnings([kick])).toEqual([]);
  });

  it('a silent file', () => {
    expect(levelWarnings([new Float32Array(1000)])).toEqual([expect.stringMatching(/silent \(every sample is zero\)/)]);
  });

  it('a nearly silent file, with its peak', () => {
    const w = levelWarnings([sine(RATE, 10 ** (-62 / 20))]);
    expect(w).toEqual([expect.stringMatching(/nearly silent \(its peak is -62\.0 dBFS\).*normalised up/)]);
    expect(levelWarnings([sine(RATE, 10 ** (-45 / 20))])).toEqual([]);
  });

  it('a constant level with no sound, and a DC offset under sound', () => {
    expect(levelWarnings([new Float32Array(1000).fill(0.25)])).toEqual([expect.stringMatching(/only a constant level \(a DC offset of -12\.0 dBFS\) and no sound/)]);
    const offset = levelWarnings([sine(RATE, 0.3, 440, 0.2)]);
    expect(offset).toEqual([expect.stringMatching(/sits off zero \(a DC offset of -14\.0 dBFS\).*high-pass/)]);
    // A small offset under loud sound is no one's concern.
    expect(levelWarnings([sine(RATE, 0.8, 440, 0.02)])).toEqual([]);
  });
});

describe('decodeAudio reports levels', () => {
  it('on the file as loaded (lanes) and on the mono mix a render analyses', async () => {
    const quiet = floatWav([sine(RATE, 10 ** (-70 / 20))]);
    expect((await decodeAudio(quiet, 'quiet.wav')).warnings.join(' ')).toMatch(/nearly silent/);
    // Channels in anti-phase: each is loud, their mix is silence.
    const a = sine(RATE, 0.5);
    const antiPhase = floatWav([a, a.map((v) => -v)]);
    expect((await decodeAudio(antiPhase, 'phase.wav')).warnings).toEqual([]);
    expect((await decodeAudio(antiPhase, 'phase.wav', { monoAt: RATE })).warnings.join(' ')).toMatch(/silent/);
    const dc = floatWav([sine(RATE, 0.3, 440, -0.3)]);
    expect((await decodeAudio(dc, 'dc.wav', { monoAt: 22050 })).warnings.join(' ')).toMatch(/DC offset/);
  });
});
