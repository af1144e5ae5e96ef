import { describe, expect, it } from 'vitest';
import { WaveFile } from 'wavefile';
import { decodeWav } from '../../../engine/audio/wav';
import { encodeWav, type WavEncoding } from '../../../engine/audio/wav-encode';
import { readWavComment } from '../../helpers/wav-comment';
import { createRng } from '../../../engine/random';
import { TAG, interleave, seeded, simpleWav, type SampleCoding } from '../../fixtures/wav/make-wav';

const RATES = [8000, 44100, 192000];
const CHANNELS = [1, 2, 6];

/** Seeded test audio: a sine plus noise, with exact ±1 and 0 at the start. */
function signal(channels: number, frames: number, seed: number): Float32Array[] {
  const rng = createRng(seed);
  return Array.from({ length: channels }, (_, c) => {
    const x = new Float32Array(frames);
    for (let i = 0; i < frames; i++) x[i] = 0.6 * Math.sin(0.05 * i * (c + 1)) + 0.39 * (2 * rng.next() - 1);
    x.set([0, 1, -1, 0.5, -0.5].slice(0, frames));
    return x;
  });
}

function maxError(a: Float32Array[], b: Float32Array[]): number {
  let e = 0;
  a.forEach((ch, c) => ch.forEach((v, i) => (e = Math.max(e, Math.abs(v - b[c][i])))));
  return e;
}

describe('encodeWav → decodeWav', () => {
  const tolerance: Record<WavEncoding, number> = { pcm16: 1 / 32768, pcm24: 1 / 8388608, float32: 0 };
  for (const encoding of ['pcm16', 'pcm24', 'float32'] as const) {
    for (const nch of CHANNELS) {
      for (const rate of RATES) {
        it(`${encoding}, ${nch} ch, ${rate} Hz`, () => {
          const input = signal(nch, 1000, rate + nch);
          const wav = encodeWav(input, rate, encoding);
          const out = decodeWav(wav, 'take.wav');
          expect(out.sampleRate).toBe(rate);
          expect(out.frames).toBe(1000);
          expect(out.channels).toHaveLength(nch);
          expect(out.warnings).toEqual([]);
          const depth = encoding === 'pcm16' ? 'PCM 16-bit' : encoding === 'pcm24' ? 'PCM 24-bit' : 'float 32-bit';
          expect(out.format).toBe(nch > 2 ? `${depth} (extensible)` : depth);
          // +1 is not representable in integer PCM: it clips to the largest code.
          const err = maxError(input, out.channels);
          expect(err).toBeLessThanOrEqual(tolerance[encoding]);
        });
      }
    }
  }

  it('clips out-of-range and NaN input safely in integer PCM', () => {
    const x = Float32Array.of(2, -2, NaN, Infinity, -Infinity, 0.25);
    const out = decodeWav(encodeWav([x], 44100, 'pcm16'), 'x.wav').channels[0];
    expect(Array.from(out)).toEqual([32767 / 32768, -1, 0, 32767 / 32768, -1, 0.25]);
  });

  it('rounds to nearest in 16-bit (error at most half an LSB)', () => {
    const x = new Float32Array(4000).map((_, i) => Math.sin(i * 0.01) * 0.9);
    const out = decodeWav(encodeWav([x], 48000, 'pcm16'), 'x.wav').channels[0];
    expect(maxError([x], [out])).toBeLessThanOrEqual(0.5 / 32768 + 1e-9);
  });

  it('TPDF dither stays within 1.5 LSB and is reproducible from its seed', () => {
    const x = new Float32Array(4000).map((_, i) => Math.sin(i * 0.01) * 0.5);
    const a = encodeWav([x], 48000, 'pcm16', {}, { dither: createRng(7) });
    const b = encodeWav([x], 48000, 'pcm16', {}, { dither: createRng(7) });
    expect(a).toEqual(b);
    expect(a).not.toEqual(encodeWav([x], 48000, 'pcm16'));
    expect(maxError([x], decodeWav(a, 'x.wav').channels)).toBeLessThanOrEqual(1.5 / 32768 + 1e-9);
  });

  it('embeds the comment, title and software name, readable by us and by wavefile', () => {
    const comment = JSON.stringify({ name: 'Warm tape — ñ', alpha: 1, beta: 0.5 });
    const wav = encodeWav(signal(2, 100, 1), 44100, 'pcm24', { comment, title: 'Take 3' });
    expect(readWavComment(wav)).toBe(comment);
    expect(decodeWav(wav, 'x.wav').warnings).toEqual([]);
    const wf = new WaveFile(wav);
    expect(wf.getTag('ISFT')).toBe('Gramophone');
    expect(wf.getTag('INAM')).toBe('Take 3');
    // wavefile reads INFO text as Latin-1; compare an ASCII comment through it.
    const ascii = encodeWav(signal(1, 10, 1), 44100, 'pcm16', { comment: '{"a":1}' });
    expect(new WaveFile(ascii).getTag('ICMT')).toBe('{"a":1}');
  });

  it('readWavComment returns null without a comment or for non-WAV bytes', () => {
    expect(readWavComment(encodeWav(signal(1, 10, 1), 44100, 'pcm16'))).toBeNull();
    expect(readWavComment(new Uint8Array(0))).toBeNull();
    expect(readWavComment(new TextEncoder().encode('hello, this is not a wav file'))).toBeNull();
  });

  it('writes files another reader decodes to the same samples', () => {
    const input = signal(2, 300, 3);
    for (const [encoding, depth] of [
      ['pcm16', '16'],
      ['pcm24', '24'],
      ['float32', '32f'],
    ] as const) {
      const wf = new WaveFile(encodeWav(input, 48000, encoding));
      expect(wf.bitDepth).toBe(depth);
      const theirs = wf.getSamples(false, Float64Array) as unknown as Float64Array[];
      const full = encoding === 'float32' ? 1 : 2 ** (Number(depth) - 1);
      const ours = decodeWav(wf.toBuffer(), 'x.wav').channels;
      for (let c = 0; c < 2; c++) for (let i = 0; i < 300; i += 17) expect(ours[c][i]).toBeCloseTo(theirs[c][i] / full, 9);
    }
  });
});

describe('decodeWav of independently built files', () => {
  const CODINGS: { coding: SampleCoding; tag: number; bits: number; label: string }[] = [
    { coding: 'u8', tag: TAG.PCM, bits: 8, label: 'PCM 8-bit' },
    { coding: 's16', tag: TAG.PCM, bits: 16, label: 'PCM 16-bit' },
    { coding: 's24', tag: TAG.PCM, bits: 24, label: 'PCM 24-bit' },
    { coding: 's32', tag: TAG.PCM, bits: 32, label: 'PCM 32-bit' },
    { coding: 'f32', tag: TAG.FLOAT, bits: 32, label: 'float 32-bit' },
    { coding: 'f64', tag: TAG.FLOAT, bits: 64, label: 'float 64-bit' },
  ];

  /** Raw codes and the floats they must decode to. */
  function material(coding: SampleCoding, nch: number, frames: number, seed: number) {
    const next = seeded(seed);
    const raw: number[][] = [];
    const expected: number[][] = [];
    for (let c = 0; c < nch; c++) {
      const r: number[] = [];
      const e: number[] = [];
      /** A raw sample and the value it must decode to. */
      const push = (raw: number, value: number) => {
        r.push(raw);
        e.push(value);
      };
      for (let i = 0; i < frames; i++) {
        const u = next();
        if (coding === 'u8') push(u & 0xff, ((u & 0xff) - 128) / 128);
        else if (coding === 's16') push((u & 0xffff) - 32768, ((u & 0xffff) - 32768) / 32768);
        else if (coding === 's24') push((u & 0xffffff) - 8388608, ((u & 0xffffff) - 8388608) / 8388608);
        else if (coding === 's32') push(u | 0, (u | 0) / 2147483648);
        else push(Math.fround((u / 2 ** 32) * 2 - 1), Math.fround((u / 2 ** 32) * 2 - 1));
      }
      // Extremes of the range must decode to exactly −1 and just under +1.
      if (coding === 's16') [r[0], e[0], r[1], e[1]] = [-32768, -1, 32767, 32767 / 32768];
      if (coding === 'u8') [r[0], e[0], r[1], e[1]] = [0, -1, 255, 127 / 128];
      raw.push(r);
      expected.push(e);
    }
    return { raw, expected };
  }

  for (const { coding, tag, bits, label } of CODINGS) {
    for (const extensible of [false, true]) {
      for (const nch of CHANNELS) {
        for (const rate of RATES) {
          it(`${label}${extensible ? ' extensible' : ''}, ${nch} ch, ${rate} Hz`, () => {
            const { raw, expected } = material(coding, nch, 257, bits * 31 + nch * 7 + rate);
            const bytes = simpleWav({ tag, channels: nch, sampleRate: rate, bits, extensible: extensible ? { subFormat: tag } : undefined }, interleave(raw, coding));
            const out = decodeWav(bytes, 'in.wav');
            expect(out.format).toBe(extensible ? `${label} (extensible)` : label);
            expect(out.sampleRate).toBe(rate);
            expect(out.frames).toBe(257);
            expect(out.warnings).toEqual([]);
            for (let c = 0; c < nch; c++) {
              // Float32 holds every 8/16/24-bit value exactly; 32-bit PCM and float 64 round once.
              const tol = coding === 's32' || coding === 'f64' ? 2 ** -24 : 0;
              for (let i = 0; i < 257; i++) expect(Math.abs(out.channels[c][i] - expected[c][i])).toBeLessThanOrEqual(tol);
            }
          });
        }
      }
    }
  }

  it('decodes what wavefile writes in every depth (a second opinion on layouts)', () => {
    for (const depth of ['8', '16', '24', '32', '32f', '64'] as const) {
      for (const nch of [1, 2, 6]) {
        const full = depth === '32f' || depth === '64' ? 1 : 2 ** (Number(depth) - 1);
        const chans = Array.from({ length: nch }, (_, c) =>
          Array.from({ length: 64 }, (_, i) => {
            const x = Math.sin(i * 0.3 + c) * 0.7;
            return depth === '8' ? Math.round(x * 127) + 128 : full === 1 ? x : Math.round(x * (full - 1));
          }),
        );
        const wf = new WaveFile();
        wf.fromScratch(nch, 44100, depth, nch === 1 ? chans[0] : chans);
        const out = decodeWav(wf.toBuffer(), `wavefile-${depth}-${nch}.wav`);
        expect(out.channels).toHaveLength(nch);
        expect(out.warnings).toEqual([]);
        for (let c = 0; c < nch; c++) {
          for (let i = 0; i < 64; i++) {
            const want = depth === '8' ? (chans[c][i] - 128) / 128 : chans[c][i] / full;
            expect(out.channels[c][i]).toBeCloseTo(want, 6);
          }
        }
      }
    }
  });
});
