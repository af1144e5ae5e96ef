/**
 * Bad and odd files: each must end in the right error (code, message naming the file) or
 * decode with the right warning, never crash, and finish in well under 2 s.
 */
import { describe, expect, it } from 'vitest';
import { GramophoneError } from '../../../common/errors';
import type { DecodedAudio } from '../../../engine/audio/collect';
import { decodeWav, type DecodeOptions } from '../../../engine/audio/wav';
import { readWavComment } from '../../helpers/wav-comment';
import { TAG, ascii, chunk, concat, fmtBody, interleave, riff, seeded, simpleWav, u16, u32 } from '../../fixtures/wav/make-wav';

type Outcome = { ok: DecodedAudio } | { code: string; message: string };

function attempt(bytes: Uint8Array, name: string, opts?: DecodeOptions): Outcome {
  try {
    return { ok: decodeWav(bytes, name, opts) };
  } catch (e) {
    // Anything but a GramophoneError is a crash as far as the user is concerned.
    if (!(e instanceof GramophoneError)) throw e;
    return { code: e.code, message: e.message };
  }
}

const STEREO16 = { tag: TAG.PCM, channels: 2, sampleRate: 44100, bits: 16 };
/** 100 frames of 16-bit stereo; frame i holds (i, −i). */
const pcm100 = interleave([Array.from({ length: 100 }, (_, i) => i), Array.from({ length: 100 }, (_, i) => -i)], 's16');
const fmt16 = chunk('fmt ', fmtBody(STEREO16));
const good = simpleWav(STEREO16, pcm100);
const f32 = (xs: number[]) => interleave([xs], 'f32');
const MONO_F32 = { tag: TAG.FLOAT, channels: 1, sampleRate: 48000, bits: 32 };

interface Case {
  what: string;
  bytes: Uint8Array;
  opts?: DecodeOptions;
  /** Expected refusal … */
  code?: 'INVALID_INPUT' | 'UNSUPPORTED_AUDIO';
  reason?: RegExp;
  /** … or a decode, with a warning matching this (null: no warnings) and a check. */
  warning?: RegExp | null;
  check?: (d: DecodedAudio) => void;
}

/** `part` repeated `n` times (spreading 200 000 arguments would overflow the stack). */
function repeat(part: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(part.length * n);
  for (let i = 0; i < n; i++) out.set(part, i * part.length);
  return out;
}

const firstFrames = (d: DecodedAudio) => {
  expect(d.channels[0][5]).toBe(5 / 32768);
  expect(d.channels[1][5]).toBe(-5 / 32768);
};

const cases: Case[] = [
  { what: 'empty file', bytes: new Uint8Array(0), code: 'INVALID_INPUT', reason: /empty/ },
  { what: 'header cut after 7 bytes', bytes: good.subarray(0, 7), code: 'INVALID_INPUT', reason: /too short/ },
  { what: 'header cut inside fmt', bytes: good.subarray(0, 26), code: 'INVALID_INPUT', reason: /format header is cut short/ },
  { what: 'header cut right after WAVE', bytes: good.subarray(0, 12), code: 'INVALID_INPUT', reason: /no "fmt " chunk/ },
  {
    what: 'data cut short (partial last frame)',
    bytes: good.subarray(0, good.length - 102),
    warning: /cut short.*promises 400 bytes but only 298.*kept the 74 whole frames/,
    check: (d) => (expect(d.frames).toBe(74), firstFrames(d)),
  },
  {
    what: 'data size 2^32−1',
    bytes: riff([fmt16, chunk('data', pcm100, { size: 0xffffffff })]),
    warning: /cut short/,
    check: (d) => (expect(d.frames).toBe(100), firstFrames(d)),
  },
  {
    what: 'RIFF size 2^32−1 (streaming writer)',
    bytes: riff([fmt16, chunk('data', pcm100)], { size: 0xffffffff }),
    warning: /placeholder/,
    check: (d) => expect(d.frames).toBe(100),
  },
  {
    what: 'RIFF size 0 (streaming writer)',
    bytes: riff([fmt16, chunk('data', pcm100)], { size: 0 }),
    warning: /placeholder/,
    check: (d) => expect(d.frames).toBe(100),
  },
  {
    what: 'RIFF size too small',
    bytes: riff([fmt16, chunk('data', pcm100)], { size: 40 }),
    warning: /read the whole file/,
    check: (d) => expect(d.frames).toBe(100),
  },
  {
    what: 'data size 0 left by a streaming writer',
    bytes: riff([fmt16, chunk('data', pcm100, { size: 0 })]),
    warning: /data chunk size is 0/,
    check: (d) => (expect(d.frames).toBe(100), firstFrames(d)),
  },
  {
    what: 'metadata chunk declaring 2^32−1 bytes before the data',
    bytes: riff([fmt16, chunk('LIST', ascii('INFO'), { size: 0xffffffff }), chunk('data', pcm100)]),
    code: 'INVALID_INPUT',
    reason: /no "data" chunk.*"LIST" chunk claims 4294967295 bytes/,
  },
  {
    what: 'cue chunk declaring 2^31 cue points (count bomb)',
    bytes: riff([fmt16, chunk('cue ', u32(0x80000000)), chunk('data', pcm100.subarray(0, 16))]),
    warning: null,
    check: (d) => expect(d.frames).toBe(4),
  },
  {
    what: 'LIST/INFO with a sub-chunk declaring 2^31 bytes',
    bytes: riff([fmt16, chunk('LIST', concat(ascii('INFO'), ascii('ICMT'), u32(0x80000000), ascii('hi'))), chunk('data', pcm100)]),
    warning: null,
    check: (d) => expect(d.frames).toBe(100),
  },
  {
    what: 'extensible float 32 (must decode as float)',
    bytes: simpleWav({ ...MONO_F32, extensible: { subFormat: TAG.FLOAT } }, f32([0.5, -0.25, 0.125, 1])),
    warning: null,
    check: (d) => (expect(d.format).toBe('float 32-bit (extensible)'), expect(Array.from(d.channels[0])).toEqual([0.5, -0.25, 0.125, 1])),
  },
  {
    what: 'extensible with an unknown sub-format GUID',
    bytes: simpleWav({ ...STEREO16, extensible: { subFormat: Uint8Array.from({ length: 16 }, (_, i) => i * 11) } }, pcm100),
    code: 'UNSUPPORTED_AUDIO',
    reason: /sub-format \{[0-9a-f-]+\} is not one we know/,
  },
  {
    what: 'extensible header without its extension',
    bytes: riff([
      chunk(
        'fmt ',
        concat(fmtBody(STEREO16), u16(0)).map((b, i) => (i === 0 ? 0xfe : i === 1 ? 0xff : b)),
      ),
      chunk('data', pcm100),
    ]),
    code: 'INVALID_INPUT',
    reason: /extensible format header is cut short/,
  },
  { what: 'zero channels', bytes: simpleWav({ ...STEREO16, channels: 0, blockAlign: 4 }, pcm100), code: 'INVALID_INPUT', reason: /zero channels/ },
  { what: 'zero sample rate', bytes: simpleWav({ ...STEREO16, sampleRate: 0 }, pcm100), code: 'INVALID_INPUT', reason: /sample rate of 0 Hz/ },
  { what: 'sample rate 4 kHz', bytes: simpleWav({ ...STEREO16, sampleRate: 4000 }, pcm100), code: 'INVALID_INPUT', reason: /4000 Hz.*8000–192000/ },
  { what: 'sample rate 384 kHz', bytes: simpleWav({ ...STEREO16, sampleRate: 384000 }, pcm100), code: 'INVALID_INPUT', reason: /384000 Hz/ },
  {
    what: 'block align that does not fit the format',
    bytes: simpleWav({ ...STEREO16, blockAlign: 3 }, pcm100),
    warning: /block size \(3 bytes\).*used 4/,
    check: (d) => (expect(d.frames).toBe(100), firstFrames(d)),
  },
  {
    what: '24-bit samples in 4-byte containers',
    bytes: simpleWav({ tag: TAG.PCM, channels: 1, sampleRate: 44100, bits: 24, blockAlign: 4 }, interleave([[0x40000000, -0x80000000]], 's32')),
    warning: null,
    check: (d) => expect(Array.from(d.channels[0])).toEqual([0.5, -1]),
  },
  { what: 'Microsoft ADPCM', bytes: simpleWav({ ...STEREO16, tag: TAG.ADPCM, bits: 4 }, pcm100), code: 'UNSUPPORTED_AUDIO', reason: /Microsoft ADPCM/ },
  { what: 'MP3 in WAV (0x55)', bytes: simpleWav({ ...STEREO16, tag: TAG.MP3, bits: 0 }, pcm100), code: 'UNSUPPORTED_AUDIO', reason: /MP3/ },
  { what: 'unknown codec tag', bytes: simpleWav({ ...STEREO16, tag: 0x1234 }, pcm100), code: 'UNSUPPORTED_AUDIO', reason: /codec 0x1234/ },
  {
    what: 'A-law (decoded)',
    bytes: simpleWav({ tag: TAG.ALAW, channels: 1, sampleRate: 8000, bits: 8 }, Uint8Array.of(0xd5, 0x55, 0xaa, 0x2a)),
    warning: null,
    check: (d) => (expect(d.format).toBe('A-law 8-bit'), expect(Array.from(d.channels[0]).map((v) => v * 32768)).toEqual([8, -8, 32256, -32256])),
  },
  {
    what: 'µ-law (decoded)',
    bytes: simpleWav({ tag: TAG.MULAW, channels: 1, sampleRate: 8000, bits: 8 }, Uint8Array.of(0xff, 0x80, 0x00, 0x7f)),
    warning: null,
    check: (d) => (expect(d.format).toBe('µ-law 8-bit'), expect(Array.from(d.channels[0]).map((v) => v * 32768)).toEqual([0, 32124, -32124, 0])),
  },
  { what: '40-bit PCM', bytes: simpleWav({ ...STEREO16, bits: 40 }, pcm100), code: 'UNSUPPORTED_AUDIO', reason: /40-bit PCM/ },
  { what: '16-bit float', bytes: simpleWav({ ...STEREO16, tag: TAG.FLOAT }, pcm100), code: 'UNSUPPORTED_AUDIO', reason: /16-bit float/ },
  {
    what: 'odd-sized chunk with its pad byte',
    bytes: riff([fmt16, chunk('junk', ascii('abc')), chunk('data', pcm100)]),
    warning: null,
    check: firstFrames,
  },
  {
    what: 'odd-sized chunk missing its pad byte',
    bytes: riff([fmt16, chunk('junk', ascii('abc'), { pad: false }), chunk('data', pcm100)]),
    warning: /odd size but no pad byte/,
    check: firstFrames,
  },
  { what: 'fmt after data', bytes: riff([chunk('data', pcm100), fmt16]), warning: null, check: firstFrames },
  { what: 'missing fmt', bytes: riff([chunk('data', pcm100)]), code: 'INVALID_INPUT', reason: /no "fmt " chunk/ },
  { what: 'missing data', bytes: riff([fmt16, chunk('LIST', ascii('INFO'))]), code: 'INVALID_INPUT', reason: /no "data" chunk/ },
  {
    what: 'empty data chunk',
    bytes: riff([fmt16, chunk('data', new Uint8Array(0)), chunk('LIST', ascii('INFO'))]),
    code: 'INVALID_INPUT',
    reason: /no samples/,
  },
  {
    what: 'two data chunks',
    bytes: riff([fmt16, chunk('data', pcm100), chunk('data', pcm100.subarray(0, 8))]),
    warning: /more than one "data" chunk/,
    check: (d) => expect(d.frames).toBe(100),
  },
  { what: 'RIFX (big-endian)', bytes: riff([fmt16, chunk('data', pcm100)], { magic: 'RIFX' }), code: 'UNSUPPORTED_AUDIO', reason: /RIFX/ },
  {
    what: 'RF64 with ds64',
    bytes: riff([chunk('ds64', concat(u32(0), u32(0), u32(400), u32(0), u32(100), u32(0), u32(0))), fmt16, chunk('data', pcm100, { size: 0xffffffff })], { magic: 'RF64', size: 0xffffffff }),
    warning: null,
    check: (d) => (expect(d.frames).toBe(100), firstFrames(d)),
  },
  {
    what: 'RF64 without ds64',
    bytes: riff([fmt16, chunk('data', pcm100)], { magic: 'RF64', size: 0xffffffff }),
    code: 'INVALID_INPUT',
    reason: /ds64/,
  },
  { what: 'AVI, not WAVE', bytes: riff([fmt16, chunk('data', pcm100)], { form: 'AVI ' }), code: 'INVALID_INPUT', reason: /not a WAV file/ },
  { what: 'text file', bytes: new TextEncoder().encode('Hello, I am definitely a WAV file.'), code: 'INVALID_INPUT', reason: /not a WAV file/ },
  {
    what: 'NaN and ±Infinity floats',
    bytes: simpleWav(MONO_F32, f32([0.5, NaN, Infinity, -Infinity, -0.5])),
    warning: /3 invalid float samples.*set to 0/,
    check: (d) => expect(Array.from(d.channels[0])).toEqual([0.5, 0, 0, 0, -0.5]),
  },
  {
    what: 'float 64 beyond float 32 range',
    bytes: simpleWav({ ...MONO_F32, bits: 64 }, interleave([[0.25, 1e300, -0.25]], 'f64')),
    warning: /1 invalid float samples/,
    check: (d) => expect(Array.from(d.channels[0])).toEqual([0.25, 0, -0.25]),
  },
  {
    what: 'float peaking above full scale',
    bytes: simpleWav(MONO_F32, f32([2, -1, 0.5])),
    warning: /6\.0 dB above full scale/,
    check: (d) => expect(Array.from(d.channels[0])).toEqual([1, -0.5, 0.25]),
  },
  { what: 'over the size budget', bytes: good, opts: { maxBytes: 100 }, code: 'INVALID_INPUT', reason: /over the 100 bytes limit/ },
  { what: 'shorter than the minimum', bytes: good, opts: { minFrames: 1000 }, code: 'INVALID_INPUT', reason: /100 samples per channel, at least 1000/ },
  {
    what: '200 000 empty chunks before the data',
    bytes: riff([fmt16, repeat(chunk('junk', new Uint8Array(0)), 200_000), chunk('data', pcm100)]),
    code: 'INVALID_INPUT',
    reason: /no "data" chunk.*stopped reading after 100000 chunks/,
  },
  {
    what: 'garbage after the last chunk',
    bytes: concat(good, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)),
    warning: /unreadable bytes/,
    check: firstFrames,
  },
];

describe('decodeWav on crafted files', () => {
  it('has at least 25 cases', () => expect(cases.length).toBeGreaterThanOrEqual(25));
  for (const c of cases) {
    it(c.what, () => {
      const name = `crafted ${c.what}.wav`;
      const t0 = performance.now();
      const out = attempt(c.bytes, name, c.opts);
      expect(performance.now() - t0).toBeLessThan(2000);
      if (c.code) {
        expect(out).toMatchObject({ code: c.code });
        const message = (out as { message: string }).message;
        expect(message).toContain(`"${name}"`);
        expect(message).toMatch(c.reason!);
      } else {
        if (!('ok' in out)) throw new Error(`expected a decode, got ${out.code}: ${out.message}`);
        if (c.warning === null) expect(out.ok.warnings).toEqual([]);
        else expect(out.ok.warnings.join('\n')).toMatch(c.warning!);
        c.check?.(out.ok);
      }
    });
  }
});

describe('decodeWav on random and mutated bytes', () => {
  it('refuses seeded random bytes cleanly', () => {
    const next = seeded(12345);
    for (let k = 0; k < 200; k++) {
      const bytes = Uint8Array.from({ length: next() % 2000 }, () => next() & 0xff);
      const out = attempt(bytes, `noise-${k}.wav`);
      expect(out).toMatchObject({ code: 'INVALID_INPUT' });
    }
  });

  it('survives random bytes behind a valid RIFF/WAVE header and random mutations of a good file', () => {
    const next = seeded(777);
    const t0 = performance.now();
    for (let k = 0; k < 2000; k++) {
      let bytes: Uint8Array;
      if (k % 2 === 0) {
        bytes = concat(
          ascii('RIFF'),
          u32(next()),
          ascii('WAVE'),
          Uint8Array.from({ length: next() % 600 }, () => next() & 0xff),
        );
      } else {
        bytes = good.slice(0, next() % 2 ? good.length : next() % good.length);
        for (let m = next() % 6; m >= 0; m--) bytes[next() % bytes.length] = next() & 0xff;
      }
      const out = attempt(bytes, `fuzz-${k}.wav`);
      if ('ok' in out) {
        expect(out.ok.channels.every((ch) => ch.length === out.ok.frames && ch.every((v) => v >= -1 && v <= 1))).toBe(true);
        expect(out.ok.warnings.length).toBeLessThanOrEqual(20);
      } else {
        expect(out.message).toContain(`fuzz-${k}.wav`);
      }
      expect(() => readWavComment(bytes)).not.toThrow();
    }
    expect(performance.now() - t0).toBeLessThan(20_000);
  });
});
