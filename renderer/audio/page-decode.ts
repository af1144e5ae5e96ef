/**
 * Decoding in the page what the engine does not decode itself (M4A/AAC/ALAC:
 * common/audio-formats.ts CONVERTED_FORMATS): the browser's own decoder (Chromium's, in
 * Electron and in the system browser) through WebAudio's `decodeAudioData`, at the file's
 * own sample rate where its header names one, written as a 32-bit float WAV for the engine.
 */

/** ADTS sampling-frequency indices, Hz. */
const ADTS_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

const fourCC = (b: Uint8Array, at: number) => String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);

/**
 * The sample rate an MP4 (its first `mp4a` or `alac` sample entry) or ADTS stream declares,
 * Hz, or null when none is found: the rate the page decodes at, so nothing is resampled.
 */
export function declaredSampleRate(b: Uint8Array): number | null {
  if (b.length >= 7 && b[0] === 0xff && (b[1] & 0xf6) === 0xf0) return ADTS_RATES[(b[2] >> 2) & 0x0f] ?? null;
  for (let i = 4; i + 30 <= b.length; i++) {
    // The sample entry's type, then 6 reserved bytes, a data reference index, 8 bytes of
    // version and vendor, channels, sample size, 4 more bytes, and the rate as 16.16.
    if (b[i] !== 0x6d && b[i] !== 0x61) continue;
    const type = fourCC(b, i);
    if (type !== 'mp4a' && type !== 'alac') continue;
    const rate = (b[i + 28] << 8) | b[i + 29];
    if (rate >= 8000) return rate;
  }
  return null;
}

/** A 32-bit float WAV of `channels` (channels × frames) at `sampleRate` Hz. */
export function floatWav(channels: Float32Array[], sampleRate: number): Uint8Array {
  const n = channels[0]?.length ?? 0;
  const c = channels.length;
  const dataBytes = n * c * 4;
  const out = new Uint8Array(44 + dataBytes);
  const v = new DataView(out.buffer);
  const text = (at: number, s: string) => [...s].forEach((ch, i) => (out[at + i] = ch.charCodeAt(0)));
  text(0, 'RIFF');
  v.setUint32(4, 36 + dataBytes, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 3, true); // IEEE float
  v.setUint16(22, c, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * c * 4, true);
  v.setUint16(32, c * 4, true);
  v.setUint16(34, 32, true);
  text(36, 'data');
  v.setUint32(40, dataBytes, true);
  for (let i = 0, at = 44; i < n; i++) for (let ch = 0; ch < c; ch++, at += 4) v.setFloat32(at, channels[ch][i], true);
  return out;
}

/** The parts of WebAudio used here, read through globalThis so this module also type-checks under Node. */
interface DecodedBuffer {
  numberOfChannels: number;
  sampleRate: number;
  getChannelData(channel: number): Float32Array;
}
type OfflineContextClass = new (channels: number, length: number, sampleRate: number) => { decodeAudioData(data: ArrayBuffer): Promise<DecodedBuffer> };
const offlineContext = () => (globalThis as { OfflineAudioContext?: OfflineContextClass }).OfflineAudioContext;

/** Whether this page has a decoder to try (not in Node, where the unit tests run). */
export const canDecodeInPage = (): boolean => offlineContext() !== undefined;

/**
 * Decode `bytes` with the browser's decoder into a float WAV.
 * @throws Error with the browser's reason when it cannot decode the file either
 */
export async function decodeToWav(bytes: Uint8Array): Promise<Uint8Array> {
  const rate = declaredSampleRate(bytes) ?? 48000;
  const Context = offlineContext();
  if (!Context) throw new Error('this page has no WebAudio decoder');
  const ctx = new Context(1, 1, rate);
  // decodeAudioData detaches the buffer it is given: hand it a copy.
  const buffer = await ctx.decodeAudioData(bytes.slice().buffer as ArrayBuffer);
  const channels = Array.from({ length: buffer.numberOfChannels }, (_, c) => buffer.getChannelData(c));
  return floatWav(channels, buffer.sampleRate);
}
