/**
 * Hostile and damaged files of every format decodeAudio reads besides WAV (which
 * wav-crafted.test.ts covers): truncated anywhere, garbage after a valid header, huge
 * declared sizes, no samples, random mutations. Each must decode (finite samples in
 * [-1, 1]) or be refused with a GramophoneError naming the file, never crash or hang, and
 * finish within 2 s. A truncation states which: a cut before any whole frame of audio is
 * refused as damaged input (INVALID_INPUT), a longer prefix decodes to exactly the audio its
 * whole frames or pages hold. Decoders that misbehave (hang, throw, exit, never stop) are
 * stopped by the worker's bounds.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { GramophoneError } from '../../../common/errors';
import { decodeAudio } from '../../../engine/audio/decode';
import { SampleCollector } from '../../../engine/audio/collect';
import { decodeCompressed } from '../../../engine/audio/compressed';
import { ROOT } from '../../helpers/demo';
import { makeEncodedFiles, type EncodingName } from '../../fixtures/audio/encoded';
import { ascii, concat, seeded } from '../../fixtures/wav/make-wav';

let files: ReturnType<typeof makeEncodedFiles> & { rate: number };
beforeAll(() => {
  // Short files keep each decode fast; 8 kHz mono would not exercise the usual paths.
  files = { ...makeEncodedFiles(22050, 0.5), rate: 22050 };
}, 60_000);

const u32be = (n: number) => Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
const u16be = (n: number) => Uint8Array.of(n >>> 8, n & 0xff);

/** Decode within 2 s; a refusal must be a GramophoneError naming the file. */
async function attempt(bytes: Uint8Array, name: string): Promise<{ ok: true; frames: number } | { ok: false; code: string; message: string }> {
  const t0 = performance.now();
  try {
    const d = await decodeAudio(bytes, name);
    for (const ch of d.channels) for (const v of ch) if (!(v >= -1 && v <= 1)) throw new Error(`${name}: sample ${v} outside [-1, 1]`);
    expect(d.warnings.length).toBeLessThanOrEqual(20);
    return { ok: true, frames: d.frames };
  } catch (e) {
    if (!(e instanceof GramophoneError)) throw e;
    // A damaged file is bad input (or a codec we name and refuse), never an engine failure.
    expect(['INVALID_INPUT', 'UNSUPPORTED_AUDIO'], `${name}: ${e.code} ${e.message}`).toContain(e.code);
    expect(e.message).toContain(`"${name}"`);
    return { ok: false, code: e.code, message: e.message };
  } finally {
    expect(performance.now() - t0).toBeLessThan(2000);
  }
}

/** Offset just past the FLAC metadata blocks (where the first audio frame starts). */
function flacAudioStart(b: Uint8Array): number {
  let at = 4;
  for (;;) {
    const last = b[at] & 0x80;
    at += 4 + ((b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]);
    if (last) return at;
  }
}

/** The Ogg pages of a file, as [offset, length, granule position (low 32 bits)]. */
function oggPages(b: Uint8Array): [number, number, number][] {
  const pages: [number, number, number][] = [];
  for (let at = 0; at + 27 <= b.length;) {
    const n = b[at + 26];
    let len = 27 + n;
    for (let i = 0; i < n; i++) len += b[at + 27 + i];
    pages.push([at, len, new DataView(b.buffer, b.byteOffset).getUint32(at + 6, true)]);
    at += len;
  }
  return pages;
}

/** An AIFF with the given COMM fields and SSND body; sizes honest unless given. */
function aiff(o: { channels?: number; frames?: number; bits?: number; rate?: Uint8Array; ssnd?: Uint8Array; ssndSize?: number; offset?: number; form?: string }) {
  const rate44k = Uint8Array.of(0x40, 0x0e, 0xac, 0x44, 0, 0, 0, 0, 0, 0);
  const comm = concat(u16be(o.channels ?? 1), u32be(o.frames ?? 4), u16be(o.bits ?? 16), o.rate ?? rate44k);
  const body = o.ssnd ?? new Uint8Array(8);
  const ssnd = concat(u32be(o.offset ?? 0), u32be(0), body);
  const chunks = concat(ascii('COMM'), u32be(comm.length), comm, ascii('SSND'), u32be(o.ssndSize ?? ssnd.length), ssnd);
  return concat(ascii('FORM'), u32be(4 + chunks.length), ascii(o.form ?? 'AIFF'), chunks);
}

const FORMATS: EncodingName[] = ['aiff-16', 'aifc-float', 'flac-16', 'ogg-flac', 'mp3', 'vorbis', 'opus'];

/** Big-endian fields of AIFF. */
const be16 = (b: Uint8Array, at: number) => (b[at] << 8) | b[at + 1];
const be32 = (b: Uint8Array, at: number) => be16(b, at) * 0x10000 + be16(b, at + 2);

/** Where an AIFF's sample frames start and how many bytes each takes. */
function aiffSound(b: Uint8Array): { start: number; frameBytes: number } {
  let frameBytes = 0;
  for (let at = 12; at + 8 <= b.length; at += 8 + be32(b, at + 4) + (be32(b, at + 4) % 2)) {
    const id = String.fromCharCode(...b.subarray(at, at + 4));
    if (id === 'COMM') frameBytes = be16(b, at + 8) * Math.ceil(be16(b, at + 14) / 8);
    if (id === 'SSND') return { start: at + 16 + be32(b, at + 8), frameBytes };
  }
  throw new Error('no SSND chunk in the test file');
}

/**
 * The frames an Ogg prefix of `n` bytes holds: its complete pages' last granule position
 * (a page cut short fails its CRC, so it is dropped, as every Ogg reader does), less Opus's
 * pre-skip (read from OpusHead), which the decoder drops.
 */
function oggFrames(b: Uint8Array, n: number): number {
  const pages = oggPages(b).filter(([at, len, granule]) => at + len <= n && granule !== 0xffffffff);
  const granule = pages.length ? pages[pages.length - 1][2] : 0;
  const head = 28; // the first page's one segment
  const preSkip = String.fromCharCode(...b.subarray(head, head + 8)) === 'OpusHead' ? b[head + 10] | (b[head + 11] << 8) : 0;
  return Math.max(0, granule - preSkip);
}

/** Frames ffmpeg decodes from `bytes` (0 when it finds none): the independent reference for FLAC and MP3. */
function ffmpegFrames(bytes: Uint8Array): number {
  try {
    return execFileSync('ffmpeg', ['-v', 'quiet', '-i', 'pipe:0', '-f', 'f32le', '-ac', '1', 'pipe:1'], { input: bytes, maxBuffer: 1 << 26 }).length / 4;
  } catch {
    return 0;
  }
}

/**
 * The frames a prefix of `n` bytes of `enc` must decode to; 0 means it must be refused.
 * AIFF: the whole sample frames present. Ogg: see `oggFrames`. FLAC: the whole frames, as
 * ffmpeg finds them (a cut frame fails its CRC). MP3: one MPEG frame fewer than ffmpeg, which
 * decodes the cut last frame from its zero-padded remains where mpg123 drops it.
 */
function expectedFrames(enc: EncodingName, good: Uint8Array, n: number): number {
  if (enc === 'aiff-16' || enc === 'aifc-float') {
    const { start, frameBytes } = aiffSound(good);
    return n < start ? 0 : Math.floor((n - start) / frameBytes);
  }
  if (enc === 'vorbis' || enc === 'opus' || enc === 'ogg-flac') return oggFrames(good, n);
  const prefix = ffmpegFrames(good.subarray(0, n));
  // MPEG-1 layer III frames hold 1152 samples, MPEG-2 (below 32 kHz) 576.
  return enc === 'mp3' ? Math.max(0, prefix - (files.rate >= 32000 ? 1152 : 576)) : prefix;
}

describe('truncated, cut and mutated files of every format', () => {
  for (const enc of FORMATS) {
    it(`${enc}: truncated anywhere, refused before the first whole frame and decoded to the whole frames after`, async () => {
      const good = files.read(enc);
      const cuts = [1, 3, 4, 8, 12, 20, 40, 100, Math.floor(good.length / 3), Math.floor(good.length / 2), Math.floor((2 * good.length) / 3), good.length - 1];
      const outcomes = [];
      for (const n of cuts) {
        const name = `${enc} cut at ${n}`;
        const frames = expectedFrames(enc, good, n);
        outcomes.push(frames > 0);
        expect(await attempt(good.subarray(0, n), name), name).toEqual(frames > 0 ? { ok: true, frames } : { ok: false, code: 'INVALID_INPUT', message: expect.stringContaining(`"${name}"`) });
      }
      // Both outcomes occur for every format: the cuts reach past the headers into the audio.
      expect(outcomes).toContain(true);
      expect(outcomes).toContain(false);
    });

    it(`${enc}: garbage after the first bytes, and random mutations`, async () => {
      const good = files.read(enc);
      const next = seeded(enc.length * 7919);
      for (const keep of [12, 64, 300]) {
        const junk = Uint8Array.from({ length: 2000 }, () => next() & 0xff);
        await attempt(concat(good.subarray(0, keep), junk), `${enc} garbage after ${keep}`);
      }
      for (let k = 0; k < 6; k++) {
        const bytes = good.slice();
        for (let m = 0; m < 1 + (next() % 40); m++) bytes[next() % Math.min(bytes.length, 4000)] = next() & 0xff;
        await attempt(bytes, `${enc} mutation ${k}`);
      }
    });
  }
});

describe('huge declared sizes and no samples', () => {
  it('AIFF: frame count, chunk size and data offset far beyond the file', async () => {
    const samples = new Uint8Array(8).fill(0x10);
    expect(await attempt(aiff({ frames: 0xffffffff, ssnd: samples }), 'frames.aiff')).toMatchObject({ ok: true, frames: 4 });
    expect(await attempt(aiff({ ssnd: samples, ssndSize: 0xfffffff0 }), 'ssnd.aiff')).toMatchObject({ ok: true, frames: 4 });
    expect(await attempt(aiff({ ssnd: samples, offset: 0xffffffff }), 'offset.aiff')).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringMatching(/starts 4294967295 bytes in/) });
    expect(await attempt(aiff({ channels: 65535, ssnd: samples }), 'channels.aiff')).toMatchObject({ ok: false, message: expect.stringMatching(/no samples/) });
    expect(await attempt(aiff({ bits: 0, ssnd: samples }), 'bits.aiff')).toMatchObject({ ok: false, code: 'UNSUPPORTED_AUDIO' });
    const nan = Uint8Array.of(0x7f, 0xff, 0, 0, 0, 0, 0, 0, 0, 0);
    expect(await attempt(aiff({ rate: nan, ssnd: samples }), 'rate.aiff')).toMatchObject({ ok: false, message: expect.stringMatching(/no usable sample rate/) });
    const huge = Uint8Array.of(0x40, 0x14, 0x80, 0, 0, 0, 0, 0, 0, 0); // 2^21 Hz
    expect(await attempt(aiff({ rate: huge, ssnd: samples }), 'fast.aiff')).toMatchObject({ ok: false, message: expect.stringMatching(/outside the 8000–192000 Hz/) });
  });

  it('AIFF: zero frames, no SSND, a compressed AIFF-C, not AIFF at all', async () => {
    expect(await attempt(aiff({ frames: 0, ssnd: new Uint8Array(0) }), 'empty.aiff')).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringMatching(/no samples/) });
    const noSsnd = concat(ascii('FORM'), u32be(30), ascii('AIFFCOMM'), u32be(18), u16be(1), u32be(10), u16be(16), Uint8Array.of(0x40, 0x0e, 0xac, 0x44, 0, 0, 0, 0, 0, 0));
    expect(await attempt(noSsnd, 'nossnd.aiff')).toMatchObject({ ok: false, message: expect.stringMatching(/no "SSND" chunk/) });
    const ima = aiff({ form: 'AIFC' });
    // An AIFC COMM needs the compression type; build one by hand for IMA ADPCM.
    const comm = concat(u16be(1), u32be(4), u16be(16), Uint8Array.of(0x40, 0x0e, 0xac, 0x44, 0, 0, 0, 0, 0, 0), ascii('ima4'), Uint8Array.of(0, 0));
    const aifc = concat(ascii('FORM'), u32be(4 + 8 + comm.length), ascii('AIFC'), ascii('COMM'), u32be(comm.length), comm);
    expect(await attempt(aifc, 'ima.aifc')).toMatchObject({ ok: false, code: 'UNSUPPORTED_AUDIO', message: expect.stringMatching(/IMA 4:1 ADPCM/) });
    expect(await attempt(ima, 'short-comm.aifc')).toMatchObject({ ok: false, message: expect.stringMatching(/format header is cut short/) });
    expect(await attempt(concat(ascii('FORM'), u32be(4), ascii('8SVX')), 'amiga.iff')).toMatchObject({ ok: false, message: expect.stringMatching(/not an AIFF file/) });
  });

  it('FLAC: huge declared sample count and block size, no frames, zero sample rate', async () => {
    const good = files.read('flac-16');
    const huge = good.slice();
    huge[21] |= 0x0f;
    huge.fill(0xff, 22, 26); // total samples 2^36 − 1
    huge[10] = huge[11] = 0xff; // max block size 65535
    expect(await attempt(huge, 'huge.flac')).toMatchObject({ ok: true });
    const headerOnly = good.subarray(0, flacAudioStart(good));
    expect(await attempt(headerOnly, 'header-only.flac')).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringMatching(/found no audio/) });
    const noRate = good.slice();
    noRate[18] = noRate[19] = 0;
    noRate[20] &= 0x0f;
    await attempt(noRate, 'no-rate.flac');
  });

  it('Ogg: header pages only, a page claiming 255 segments past the end', async () => {
    for (const enc of ['vorbis', 'opus'] as const) {
      const good = files.read(enc);
      const pages = oggPages(good);
      // Header pages carry granule position 0; audio pages count samples.
      const audioStart = pages.find(([, , granule]) => granule > 0)![0];
      expect(await attempt(good.subarray(0, audioStart), `${enc}-headers.ogg`)).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringMatching(/found no audio/) });
      const liar = good.slice(0, pages[2][0] + 40);
      liar[pages[2][0] + 26] = 255;
      await attempt(liar, `${enc}-segments.ogg`);
    }
  });

  it('MP3: an ID3 tag and nothing else, an ID3 size beyond the file, a lone frame header', async () => {
    const id3 = concat(ascii('ID3'), Uint8Array.of(4, 0, 0, 0, 0, 0, 10), new Uint8Array(10));
    expect(await attempt(id3, 'tag-only.mp3')).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    const liar = concat(ascii('ID3'), Uint8Array.of(4, 0, 0, 0x7f, 0x7f, 0x7f, 0x7f), new Uint8Array(100));
    expect(await attempt(liar, 'liar.mp3')).toMatchObject({ ok: false, message: expect.stringMatching(/ID3 tag but no audio/) });
    expect(await attempt(Uint8Array.of(0xff, 0xfb, 0x90, 0x64), 'frame.mp3')).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    const good = files.read('mp3');
    const zeros = good.slice();
    zeros.fill(0, Math.floor(good.length / 4));
    expect(await attempt(zeros, 'zeroed.mp3')).toMatchObject({ ok: true });
  });

  it('refuses seeded random bytes cleanly, and random bytes after each magic', async () => {
    const next = seeded(4242);
    const magics = ['fLaC', 'OggS', 'ID3\u0004\u0000\u0000\u0000\u0000\u0000\u0000', 'FORM\u0000\u0000\u0010\u0000AIFF', 'FORM\u0000\u0000\u0010\u0000AIFC', '\u00ff\u00fb\u0090\u0064'];
    for (let k = 0; k < 24; k++) {
      const magic = Uint8Array.from(magics[k % magics.length], (c) => c.charCodeAt(0));
      const body = Uint8Array.from({ length: 200 + (next() % 3000) }, () => next() & 0xff);
      await attempt(concat(magic, body), `random-${k}`);
    }
  });
});

describe('decoders that misbehave are bounded', () => {
  const fake = path.join(ROOT, 'test/fixtures/audio/fake-codec-worker.mjs');
  afterEach(() => {
    delete process.env.GRAMOPHONE_CODEC_WORKER;
  });

  async function fakeDecode(mode: string, opts: { maxSamples?: number; idleLimitMs?: number } = {}) {
    process.env.GRAMOPHONE_CODEC_WORKER = fake;
    const collector = new SampleCollector(`${mode}.mp3`, { maxSamples: opts.maxSamples });
    return decodeCompressed(new TextEncoder().encode(mode), `${mode}.mp3`, 'mp3', collector, { idleLimitMs: opts.idleLimitMs }).catch((e: GramophoneError) => e);
  }

  it('stops a decoder that hangs', async () => {
    const t0 = performance.now();
    const e = await fakeDecode('hang', { idleLimitMs: 400 });
    expect(e).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/"hang\.mp3".*stopped responding/) });
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('reports a decoder that throws or exits', async () => {
    expect(await fakeDecode('throw')).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/"throw\.mp3".*decoder failed \(.*unreachable/) });
    expect(await fakeDecode('exit')).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/"exit\.mp3".*stopped unexpectedly \(exit code 3\)/) });
  });

  it('stops a file that decodes to more audio than the engine accepts', async () => {
    const e = await fakeDecode('flood', { maxSamples: 10 * 2 * 44100 });
    expect(e).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/"flood\.mp3": it decodes to more than 0 minutes of 2-channel audio at 44100 Hz/) });
  });

  it('refuses a stream whose sample rate changes partway', async () => {
    expect(await fakeDecode('rates')).toMatchObject({ code: 'UNSUPPORTED_AUDIO', message: expect.stringMatching(/changes from 44100 Hz to 48000 Hz/) });
  });
});
