/**
 * Every format decodeAudio reads, made from one reference by sox and ffmpeg in the test run:
 * lossless formats must give the reference back exactly, lossy ones within a waveform SNR
 * and a long-term spectrum bound per codec; the streaming mono path must equal decoding
 * whole then mixing and resampling; M4A and raw AAC are refused by name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AUDIO_EXTENSIONS, AUDIO_FORMAT_NAMES, AUDIO_FORMATS, CONVERTED_FORMATS, isAcceptedAudioFile } from '../../../common/audio-formats';
import { AUDIO_INPUT, acceptList, dialogFilters } from '../../../common/file-types';
import { decodeAudio } from '../../../engine/audio/decode';
import { ROOT } from '../../helpers/demo';
import type { DecodedAudio } from '../../../engine/audio/collect';
import { probeAudio } from '../../../engine/audio/probe';
import { sniffFormat } from '../../../engine/audio/sniff';
import { decodeWav } from '../../../engine/audio/wav';
import { mixdown } from '../../../engine/dsp/mixdown';
import { resample } from '../../../engine/dsp/resample';
import { magnitude, stft } from '../../../engine/dsp/stft';
import { ENCODINGS, makeEncodedFiles, type EncodingName } from '../../fixtures/audio/encoded';

const RATE = 44100;
let files: ReturnType<typeof makeEncodedFiles>;
/** The reference as the 16-bit WAV holds it: what a lossless format must give back exactly. */
let reference: DecodedAudio;

beforeAll(() => {
  files = makeEncodedFiles(RATE, 3);
  reference = decodeWav(new Uint8Array(readFileSync(path.join(files.dir, 'in.wav'))), 'in.wav');
}, 60_000);

/** Waveform signal-to-error ratio in dB, skipping the edges where codecs fade in and out. */
function snrDb(ref: Float32Array, x: Float32Array): number {
  let s = 0;
  let e = 0;
  const n = Math.min(ref.length, x.length);
  for (let i = 2048; i < n - 2048; i++) {
    s += ref[i] ** 2;
    e += (ref[i] - x[i]) ** 2;
  }
  return 10 * Math.log10(s / e);
}

/**
 * RMS difference in dB of the long-term magnitude spectra below 15 kHz (lossy encoders
 * low-pass above about 16 kHz at these rates), each with a floor 60 dB below the reference's
 * loudest bin added so near-silent bins weigh little: how far apart the timbres the
 * analysis sees are.
 */
function spectrumDistanceDb(ref: Float32Array, x: Float32Array, sampleRate: number): number {
  const shape = { nFft: 2048, hop: 512 };
  const mean = (sig: Float32Array) => {
    const spec = stft(sig, shape);
    const m = magnitude(spec);
    const out = new Float64Array(spec.bins);
    for (let t = 0; t < spec.frames; t++) for (let f = 0; f < spec.bins; f++) out[f] += m[t * spec.bins + f] / spec.frames;
    return out;
  };
  const a = mean(ref);
  const b = mean(x);
  const floor = Math.max(...a) * 1e-3;
  const top = Math.floor((15000 / sampleRate) * shape.nFft);
  let sum = 0;
  for (let f = 1; f < top; f++) sum += (20 * Math.log10((b[f] + floor) / (a[f] + floor))) ** 2;
  return Math.sqrt(sum / (top - 1));
}

const LOSSLESS: [EncodingName, RegExp][] = [
  ['aiff-16', /^AIFF PCM 16-bit$/],
  ['aiff-24', /^AIFF PCM 24-bit$/],
  ['aifc-float', /^AIFF-C float 32-bit$/],
  ['aifc-sowt', /^AIFF-C PCM little-endian 16-bit$/],
  ['flac-16', /^FLAC 16-bit$/],
  ['flac-24', /^FLAC 24-bit$/],
  ['ogg-flac', /^FLAC 16-bit$/],
];

/** Measured here: SNR MP3 192k 26–27 dB, Vorbis q6 30–31 dB, Opus 160k 26–30 dB; spectra 0.2–0.7 dB. */
const LOSSY: [EncodingName, string, number, number][] = [
  ['mp3', 'MP3', 20, 1],
  ['vorbis', 'Ogg Vorbis', 24, 1],
  ['opus', 'Ogg Opus', 20, 1],
];

describe('decodeAudio: lossless formats give the reference back exactly', () => {
  for (const [enc, format] of LOSSLESS) {
    it(enc, async () => {
      const d = await decodeAudio(files.read(enc), ENCODINGS[enc].file);
      expect(d.format).toMatch(format);
      expect(d.sampleRate).toBe(RATE);
      expect(d.frames).toBe(reference.frames);
      expect(d.warnings).toEqual([]);
      for (let c = 0; c < 2; c++) expect(d.channels[c]).toEqual(reference.channels[c]);
    });
  }
});

describe('decodeAudio: lossy formats within a bound per codec', () => {
  for (const [enc, format, minSnr, maxSpectrum] of LOSSY) {
    it(`${enc}: SNR ≥ ${minSnr} dB, long-term spectrum within ${maxSpectrum} dB`, async () => {
      const d = await decodeAudio(files.read(enc), ENCODINGS[enc].file);
      expect(d.format).toBe(format);
      // Opus always decodes at 48 kHz; compare with the reference taken there.
      const ref = d.sampleRate === RATE ? reference.channels : reference.channels.map((ch) => resample(ch, RATE, d.sampleRate));
      expect(Math.abs(d.frames - ref[0].length)).toBeLessThanOrEqual(1);
      for (let c = 0; c < 2; c++) {
        expect(snrDb(ref[c], d.channels[c])).toBeGreaterThan(minSnr);
        expect(spectrumDistanceDb(ref[c], d.channels[c], d.sampleRate)).toBeLessThan(maxSpectrum);
      }
      for (const ch of d.channels) for (const v of ch) if (!(v >= -1 && v <= 1)) throw new Error(`sample ${v} outside [-1, 1]`);
    });
  }
});

describe('decodeAudio straight to mono at the analysis rate', () => {
  for (const enc of ['aiff-24', 'flac-16', 'mp3', 'opus'] as EncodingName[]) {
    it(`${enc}: equals decoding whole, mixing down and resampling`, async () => {
      const bytes = files.read(enc);
      const whole = await decodeAudio(bytes, 'x');
      const expected = resample(mixdown(whole.channels), whole.sampleRate, 22050);
      const streamed = await decodeAudio(bytes, 'x', { monoAt: 22050 });
      expect(streamed.sampleRate).toBe(22050);
      expect(streamed.channels).toHaveLength(1);
      expect(streamed.channels[0]).toEqual(expected);
    });
  }
});

describe('the bundled decoder worker in dist/ (what the app and the CLI run)', () => {
  const bundled = path.join(ROOT, 'dist/engine/codec-worker.mjs');
  beforeAll(() => {
    if (!existsSync(bundled)) throw new Error(`${bundled} is missing: run node scripts/build.mjs (npm test does)`);
    process.env.GRAMOPHONE_CODEC_WORKER = bundled;
  });
  afterAll(() => {
    delete process.env.GRAMOPHONE_CODEC_WORKER;
  });
  for (const [enc, label] of [
    ['flac-24', 'FLAC 24-bit'],
    ['ogg-flac', 'FLAC 16-bit'],
    ['mp3', 'MP3'],
    ['vorbis', 'Ogg Vorbis'],
    ['opus', 'Ogg Opus'],
  ] as const) {
    it(`decodes ${enc}`, async () => {
      const d = await decodeAudio(files.read(enc), ENCODINGS[enc].file);
      expect(d.format).toBe(label);
      expect(d.frames).toBeGreaterThan(RATE * 2.9);
    });
  }
});

describe('probeAudio reads the rate and width from the header alone', () => {
  it('agrees with a full decode for every format', async () => {
    for (const enc of [...LOSSLESS.map(([e]) => e), ...LOSSY.map(([e]) => e)]) {
      const bytes = files.read(enc);
      const d = await decodeAudio(bytes, enc);
      expect(probeAudio(bytes, enc), enc).toEqual({ sampleRate: d.sampleRate, channels: d.channels.length });
    }
    expect(() => probeAudio(files.read('m4a'), 'a.m4a')).toThrow(/MPEG-4/);
    expect(() => probeAudio(files.read('flac-16').subarray(0, 20), 'cut.flac')).toThrow(/"cut\.flac": its FLAC header/);
  });
});

describe('formats are recognised by content, not by name', () => {
  it('a FLAC named .wav and a WAV named .mp3 decode as what they are', async () => {
    expect((await decodeAudio(files.read('flac-16'), 'misnamed.wav')).format).toBe('FLAC 16-bit');
    const wav = new Uint8Array(readFileSync(path.join(files.dir, 'in.wav')));
    expect((await decodeAudio(wav, 'misnamed.mp3')).format).toBe('PCM 16-bit');
  });

  it('refuses M4A and raw AAC by name, with what to do', async () => {
    for (const [enc, what] of [
      ['m4a', /MPEG-4/],
      ['adts', /raw AAC/],
    ] as const) {
      const err = await decodeAudio(files.read(enc), `song.${enc}`).catch((e) => e);
      expect(err.code).toBe('UNSUPPORTED_AUDIO');
      expect(err.message).toContain(`"song.${enc}"`);
      expect(err.message).toMatch(what);
      expect(err.message).toMatch(/convert it to WAV, FLAC or MP3/);
    }
  });

  it('names the readable formats when a file is none of them', async () => {
    const err = await decodeAudio(new TextEncoder().encode('just some text, not audio at all'), 'notes.txt').catch((e) => e);
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toBe(`Cannot open "notes.txt": it is not an audio file Gramophone can read (${AUDIO_FORMAT_NAMES}).`);
  });

  it('finds MP3 frames after an ID3 tag and Ogg codecs from the first page', () => {
    expect(sniffFormat(files.read('mp3'))).toMatchObject({ format: 'mp3' });
    expect(sniffFormat(files.read('vorbis'))).toEqual({ format: 'vorbis', offset: 0 });
    expect(sniffFormat(files.read('opus'))).toEqual({ format: 'opus', offset: 0 });
    expect(sniffFormat(files.read('ogg-flac'))).toEqual({ format: 'flac', offset: 0 });
  });
});

describe('the accepted formats are declared once and derived', () => {
  it('lists every extension, MIME type and dialog filter from the one table', () => {
    for (const f of AUDIO_FORMATS) {
      for (const e of f.extensions) {
        expect(AUDIO_EXTENSIONS).toContain(e);
        expect(acceptList(AUDIO_INPUT).split(',')).toContain(`.${e}`);
        expect(isAcceptedAudioFile(`Take 1.${e.toUpperCase()}`)).toBe(true);
      }
      for (const m of f.mimeTypes) expect(isAcceptedAudioFile('blob', m)).toBe(true);
      expect(dialogFilters(AUDIO_INPUT).some((d) => d.name === `${f.label} audio`)).toBe(true);
    }
    expect(dialogFilters(AUDIO_INPUT)[0].extensions).toEqual([...AUDIO_EXTENSIONS]);
    expect(new Set(AUDIO_EXTENSIONS).size).toBe(AUDIO_EXTENSIONS.length);
    // M4A and AAC are opened too, through a converter (the page's decoder, or ffmpeg for the CLI).
    for (const f of CONVERTED_FORMATS) for (const e of f.extensions) expect(isAcceptedAudioFile(`memo.${e}`)).toBe(true);
    expect(isAcceptedAudioFile('song.m4a', 'audio/mp4')).toBe(true);
    expect(isAcceptedAudioFile('song.wma', 'audio/x-ms-wma')).toBe(false);
    expect(AUDIO_FORMAT_NAMES).toBe('WAV, AIFF, FLAC, MP3, Ogg Vorbis or Ogg Opus');
  });
});
