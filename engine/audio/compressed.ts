/**
 * MP3, FLAC, Ogg Vorbis and Ogg Opus through the wasm-audio-decoders (mpg123, libFLAC,
 * libvorbis, libopus compiled to WebAssembly), each run in a worker thread of its own so
 * the engine can bound it: the worker is stopped when it goes quiet for too long (a decoder
 * stuck on a hostile file), when the file decodes to more audio than the engine accepts, or
 * when it fails. Decoded blocks stream into a SampleCollector as they arrive.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AUDIO_FORMATS } from '../../common/audio-formats';
import { GramophoneError } from '../../common/errors';
import type { SampleCollector, DecodedAudio } from './collect';
import { completeOggLength } from './ogg-pages';
import { refusal, refuse } from './refuse';

/** The formats this module decodes. */
type CompressedFormat = 'mp3' | 'flac' | 'vorbis' | 'opus';

/** Bytes handed to the decoder per call: every call returns within milliseconds. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Longest silence from a working decoder, in ms. One chunk takes milliseconds; the limit is
 * far above that so a loaded machine never trips it, and it still ends a decoder that hangs.
 */
const DECODER_IDLE_LIMIT_MS = 15_000;

/** What `decodeCompressed` needs besides the bytes. */
export interface CompressedOptions {
  /** Stop a decoder that sends nothing for this long (ms). Default DECODER_IDLE_LIMIT_MS. */
  idleLimitMs?: number;
}

/**
 * The worker script: `$GRAMOPHONE_CODEC_WORKER` when set (another build of it, or a stand-in
 * decoder), else beside this module in the sources, or beside the bundle in dist/.
 */
function workerPath(): string {
  const chosen = process.env.GRAMOPHONE_CODEC_WORKER;
  if (chosen) return chosen;
  for (const rel of ['./codec-worker.mjs', '../engine/codec-worker.mjs']) {
    const url = new URL(rel, import.meta.url);
    if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return fileURLToPath(url);
  }
  throw new GramophoneError('INTERNAL', 'The audio decoder (codec-worker.mjs) is missing from the installation');
}

type WorkerMessage =
  | { type: 'block'; sampleRate: number; bitDepth: number | null; channels: Float32Array[] }
  | { type: 'done'; errors: number; firstError: string | null; bitDepth: number | null; declaredFrames: number | null; decodedFrames: number; sampleRate: number | null };

const labelOf = (format: CompressedFormat) => AUDIO_FORMATS.find((f) => f.id === format)!.label;

/**
 * The FLAC decoder scales a b-bit sample s to s / (2^(b−1) − 1), so −full scale lands
 * below −1 and nothing is bit-exact. Recover s (exact up to 24 bits: the float's rounding
 * error is under half a step) and use s / 2^(b−1) like every WAV and AIFF reader.
 */
function rescaleFlac(channels: Float32Array[], bitDepth: number): void {
  if (bitDepth < 1 || bitDepth > 24) return;
  const max = 2 ** (bitDepth - 1);
  for (const ch of channels) for (let i = 0; i < ch.length; i++) ch[i] = Math.round(ch[i] * (max - 1)) / max;
}

/**
 * Decode a compressed file into `collector`.
 * @param bytes the file from its first frame or page
 * @param name the file name shown to the person
 * @throws GramophoneError INVALID_INPUT when the decoder fails, stops responding or finds no
 *   audio, or when the collector refuses what it decodes; every message names the file
 */
export async function decodeCompressed(bytes: Uint8Array, name: string, format: CompressedFormat, collector: SampleCollector, opts: CompressedOptions = {}): Promise<DecodedAudio> {
  const label = labelOf(format);
  // The MP3 decoder always hands out two channels; a mono file's frames say so in their
  // header's channel mode (3), so the copy it makes is dropped.
  const monoMp3 = format === 'mp3' && bytes.length > 3 && bytes[3] >> 6 === 3;
  const idleLimit = opts.idleLimitMs ?? DECODER_IDLE_LIMIT_MS;
  const warnings: string[] = [];
  const ogg = bytes.length >= 4 && bytes[0] === 0x4f && bytes[1] === 0x67 && bytes[2] === 0x67 && bytes[3] === 0x53;
  const whole = ogg ? completeOggLength(bytes) : bytes.length;
  if (whole < bytes.length) warnings.push(`the file is cut short inside an Ogg page; kept the ${whole} bytes of complete pages`);
  // The worker gets its own copy of exactly these bytes (not the buffer they may sit in).
  const copy = bytes.slice(0, whole);
  const worker = new Worker(workerPath(), {
    workerData: { codec: format, bytes: copy, chunkBytes: CHUNK_BYTES },
    transferList: [copy.buffer],
    stdout: true,
    stderr: true,
  });
  // A decoder's own prints (e.g. libmpg123 complaining about junk) are not for the person.
  worker.stdout.resume();
  worker.stderr.resume();

  const done = await new Promise<Extract<WorkerMessage, { type: 'done' }>>((resolve, reject) => {
    let timer: NodeJS.Timeout;
    let settled = false;
    const finish = (error: unknown, value?: Extract<WorkerMessage, { type: 'done' }>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      if (error) reject(error);
      else resolve(value!);
    };
    const fail = (reason: string) => finish(refusal('INVALID_INPUT', name, reason));
    // A main thread busy with other work can run this timer late, before the messages that
    // queued meanwhile: only a second expiry with nothing received in between ends the decoder.
    let quiet = false;
    const arm = () => {
      clearTimeout(timer);
      quiet = false;
      timer = setTimeout(function expire() {
        if (!quiet) {
          quiet = true;
          timer = setTimeout(expire, Math.min(1000, idleLimit));
          return;
        }
        fail(`the ${label} decoder stopped responding for ${idleLimit >= 1000 ? `${Math.round(idleLimit / 1000)} s` : `${idleLimit} ms`}; the file is probably damaged`);
      }, idleLimit);
    };
    arm();
    worker.on('message', (m: WorkerMessage) => {
      arm();
      if (m.type === 'done') return finish(null, m);
      try {
        if (format === 'flac' && m.bitDepth) rescaleFlac(m.channels, m.bitDepth);
        collector.add(monoMp3 ? m.channels.slice(0, 1) : m.channels, m.sampleRate);
        worker.postMessage('ack');
      } catch (e) {
        finish(e);
      }
    });
    worker.on('error', (e) => fail(`the ${label} decoder failed (${e.message || String(e)}); the file is probably damaged`));
    worker.on('exit', (code) => fail(`the ${label} decoder stopped unexpectedly (exit code ${code})`));
  });

  if (done.errors > 0) {
    warnings.push(`${done.errors} damaged ${format === 'flac' ? 'frame' : 'packet'}${done.errors === 1 ? ' was' : 's were'} skipped (first: ${done.firstError ?? 'unknown'})`);
  }
  if (done.declaredFrames !== null && done.decodedFrames !== done.declaredFrames && collector.frames > 0) {
    const rate = done.sampleRate;
    const secs = (frames: number) => (rate ? `${(frames / rate).toFixed(2)} s` : `${frames} samples`);
    warnings.push(`its header says ${secs(done.declaredFrames)} of audio but ${secs(done.decodedFrames)} decoded; the file is probably cut short or damaged`);
  }
  if (collector.frames === 0) {
    const why = done.firstError ? `: ${done.firstError}` : '';
    refuse('INVALID_INPUT', name, `the ${label} decoder found no audio in it${why}`);
  }
  // Only FLAC's bit depth says something about the file; the lossy decoders report a fixed one.
  return collector.finish(format === 'flac' && done.bitDepth ? `${label} ${done.bitDepth}-bit` : label, warnings);
}
