// Decodes one compressed file (MP3, FLAC, Ogg Vorbis, Ogg Opus) in a worker thread with the
// wasm-audio-decoders, so a decoder that loops or aborts on a hostile file can be stopped
// from outside (compressed.ts terminates this worker on a time or size bound).
//
// Plain JavaScript on purpose: it runs unchanged from the sources (tests) and from dist/
// (scripts/build.mjs bundles it with its decoders), with no TypeScript loader in the thread.
//
// In:  workerData = { codec: 'mp3' | 'flac' | 'vorbis' | 'opus', bytes: Uint8Array, chunkBytes }
// Out: { type: 'block', sampleRate, bitDepth, channels: Float32Array[] } for each decoded piece, then
//      { type: 'done', errors: number, firstError: string | null, bitDepth: number | null,
//        declaredFrames: number | null, decodedFrames: number, sampleRate } (declaredFrames: what a native
//        FLAC file's STREAMINFO says, samples per channel; null when unknown or not FLAC;
//        sampleRate: STREAMINFO's, Hz, or null).
// The other side answers each block with 'ack'; at most MAX_IN_FLIGHT blocks are unanswered,
// so decoded audio never piles up in the receiver's queue.
import { parentPort, workerData } from 'node:worker_threads';
import { flacFrames, readStreamInfo } from './flac-frames.mjs';

const DECODERS = {
  mp3: async () => new (await import('mpg123-decoder')).MPEGDecoder(),
  flac: async () => new (await import('@wasm-audio-decoders/flac')).FLACDecoder(),
  vorbis: async () => new (await import('@wasm-audio-decoders/ogg-vorbis')).OggVorbisDecoder(),
  opus: async () => new (await import('ogg-opus-decoder')).OggOpusDecoder(),
};

const MAX_IN_FLIGHT = 4;

const { codec, bytes, chunkBytes } = workerData;
let inFlight = 0;
let wake = null;
parentPort.on('message', () => {
  inFlight--;
  wake?.();
});
const roomToSend = () => (inFlight < MAX_IN_FLIGHT ? undefined : new Promise((resolve) => (wake = resolve)));
const decoder = await DECODERS[codec]();
await decoder.ready;

let errors = 0;
let firstError = null;
let bitDepth = null;
let decodedFrames = 0;

async function send(result) {
  errors += result.errors.length;
  if (firstError === null && result.errors.length > 0) firstError = String(result.errors[0].message ?? result.errors[0]);
  if (result.bitDepth) bitDepth = result.bitDepth;
  const n = result.samplesDecoded;
  if (n === 0 || result.channelData.length === 0) return;
  decodedFrames += n;
  // The decoders may hand out views of their own buffers: copy exactly the samples decoded,
  // and move the copies to the other thread.
  const channels = result.channelData.map((ch) => ch.slice(0, n));
  await roomToSend();
  inFlight++;
  parentPort.postMessage(
    { type: 'block', sampleRate: result.sampleRate, bitDepth: result.bitDepth ?? null, channels },
    channels.map((ch) => ch.buffer),
  );
}

// Native FLAC goes frame by frame through our own splitter (flac-frames.mjs says why);
// Ogg FLAC and the other codecs through the decoders' own parsers.
const streamInfo = codec === 'flac' ? readStreamInfo(bytes) : null;
if (streamInfo) {
  let batch = [];
  let batchBytes = 0;
  for (const frame of flacFrames(bytes, streamInfo.audioStart)) {
    batch.push(frame);
    batchBytes += frame.length;
    if (batchBytes >= chunkBytes) {
      await send(await decoder.decodeFrames(batch));
      batch = [];
      batchBytes = 0;
    }
  }
  if (batch.length > 0) await send(await decoder.decodeFrames(batch));
} else {
  for (let at = 0; at < bytes.length; at += chunkBytes) await send(await decoder.decode(bytes.subarray(at, at + chunkBytes)));
  if (decoder.flush) await send(await decoder.flush());
}
decoder.free();
const declaredFrames = streamInfo && streamInfo.totalFrames > 0 ? streamInfo.totalFrames : null;
parentPort.postMessage({ type: 'done', errors, firstError, bitDepth, declaredFrames, decodedFrames, sampleRate: streamInfo?.sampleRate ?? null });
parentPort.close();
