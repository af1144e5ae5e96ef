/**
 * Where every decoder's blocks of samples go. The collector applies the rules that hold for
 * every format (non-finite samples zeroed, audio above full scale turned down, a bound on
 * how much a file may decode to, nothing empty) and either keeps the channels or mixes each
 * block to mono and resamples it on the fly, so the native channels and rate of a long
 * file are never held whole.
 */
import { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from '../../common/audio-formats';
import { mixdown } from '../dsp/mixdown';
import { StreamResampler } from '../dsp/resample';
import { refuse } from './refuse';

/** A decoded file: one Float32Array per channel, each `frames` long, values in [-1, 1]. */
export interface DecodedAudio {
  /** Sample rate of `channels` in Hz: the file's own, or the requested `monoAt`. */
  sampleRate: number;
  /** Channels × frames; channels[c][i] is sample i of channel c. */
  channels: Float32Array[];
  /** Samples per channel. */
  frames: number;
  /** e.g. "PCM 16-bit", "float 32-bit (extensible)", "MP3". */
  format: string;
  /** What was repaired or ignored, in words (at most 20, each at most 500 characters). */
  warnings: string[];
}

/** Why a sample rate is refused, or null when it is in range. */
export function sampleRateProblem(rate: number): string | null {
  if (Number.isInteger(rate) && rate >= MIN_SAMPLE_RATE && rate <= MAX_SAMPLE_RATE) return null;
  return `its sample rate of ${rate} Hz is outside the ${MIN_SAMPLE_RATE}–${MAX_SAMPLE_RATE} Hz range we accept`;
}

/** How a collector keeps what it is given. */
export interface CollectOptions {
  /** Fewest frames (samples per channel, at the file's rate) accepted. Default 1. */
  minFrames?: number;
  /** Mix to mono and resample to this rate (Hz) block by block instead of keeping the channels. */
  monoAt?: number;
  /** Frames the file declares, when known: storage is then allocated once. */
  expectedFrames?: number;
  /** Most samples (frames × channels) the file may decode to. Default unbounded. */
  maxSamples?: number;
}

/** Most warnings a decoded file carries (AudioInfo's bound). */
export const MAX_WARNINGS = 20;
const MAX_WARNING_CHARS = 500;

/** Keep a warning list within the shape AudioInfo allows. */
function finishWarnings(all: string[]): string[] {
  const clipped = all.map((w) => (w.length > MAX_WARNING_CHARS ? `${w.slice(0, MAX_WARNING_CHARS - 1)}…` : w));
  if (clipped.length <= MAX_WARNINGS) return clipped;
  return [...clipped.slice(0, MAX_WARNINGS - 1), `…and ${clipped.length - MAX_WARNINGS + 1} more problems`];
}

/**
 * Collects decoded blocks (channels × frames, at one sample rate) into a DecodedAudio.
 * Every refusal names the file.
 */
export class SampleCollector {
  private channelCount = 0;
  private rate = 0;
  private total = 0;
  private nonFinite = 0;
  private peak = 0;
  /** Full mode: preallocated channels, or blocks kept until `finish` when the length is unknown. */
  private full: Float32Array[] | null = null;
  /** Frames written into `full`. */
  private fullFrames = 0;
  private blocks: Float32Array[][] = [];
  private resampler: StreamResampler | null = null;

  constructor(
    private readonly name: string,
    private readonly opts: CollectOptions = {},
  ) {}

  /** Frames collected so far. */
  get frames(): number {
    return this.total;
  }

  private start(channels: number, sampleRate: number): void {
    if (channels === 0) refuse('INVALID_INPUT', this.name, 'it has zero channels');
    const rateProblem = sampleRateProblem(sampleRate);
    if (rateProblem) refuse('INVALID_INPUT', this.name, rateProblem);
    this.channelCount = channels;
    this.rate = sampleRate;
    const expected = this.opts.expectedFrames;
    this.allocating(() => {
      if (this.opts.monoAt !== undefined) this.resampler = new StreamResampler(sampleRate, this.opts.monoAt, expected);
      else if (expected !== undefined) this.full = Array.from({ length: channels }, () => new Float32Array(expected));
    });
  }

  /** Run `f`, turning an allocation failure into OUT_OF_MEMORY naming the file. */
  private allocating<T>(f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof RangeError) {
        refuse('OUT_OF_MEMORY', this.name, `there is not enough memory to decode ${this.opts.expectedFrames ?? this.total} frames × ${this.channelCount} channels`);
      }
      throw e;
    }
  }

  /**
   * Add the next block. The block's arrays may be changed in place (non-finite values are
   * zeroed) and kept, so pass arrays the decoder no longer uses.
   * @param block channels × frames, every channel the same length
   * @param sampleRate the block's rate in Hz
   */
  add(block: Float32Array[], sampleRate: number): void {
    const frames = block[0]?.length ?? 0;
    if (this.channelCount === 0) this.start(block.length, sampleRate);
    if (frames === 0) return;
    if (block.length !== this.channelCount) {
      refuse('UNSUPPORTED_AUDIO', this.name, `its channel count changes from ${this.channelCount} to ${block.length} partway through`);
    }
    if (sampleRate !== this.rate) {
      refuse('UNSUPPORTED_AUDIO', this.name, `its sample rate changes from ${this.rate} Hz to ${sampleRate} Hz partway through`);
    }
    const max = this.opts.maxSamples ?? Infinity;
    if ((this.total + frames) * this.channelCount > max) {
      const minutes = Math.floor(max / this.channelCount / this.rate / 60);
      refuse('INVALID_INPUT', this.name, `it decodes to more than ${minutes} minutes of ${this.channelCount}-channel audio at ${this.rate} Hz, the most the engine accepts`);
    }
    for (const ch of block) {
      for (let i = 0; i < frames; i++) {
        const v = ch[i];
        if (v !== v || v === Infinity || v === -Infinity) {
          ch[i] = 0;
          this.nonFinite++;
        } else if (v > this.peak) this.peak = v;
        else if (-v > this.peak) this.peak = -v;
      }
    }
    this.allocating(() => {
      if (this.resampler) this.resampler.push(mixdown(block));
      else if (this.full && this.blocks.length === 0 && this.total + frames <= this.full[0].length) {
        this.full.forEach((ch, c) => ch.set(block[c], this.total));
        this.fullFrames = this.total + frames;
      } else this.blocks.push(block);
    });
    this.total += frames;
  }

  /**
   * The decoded audio, after the checks that need the whole file.
   * @param format the format in words, e.g. "PCM 16-bit"
   * @param warnings what the decoder repaired or ignored so far
   * @throws GramophoneError INVALID_INPUT for no samples or fewer than `minFrames`
   */
  finish(format: string, warnings: string[]): DecodedAudio {
    const frames = this.total;
    const minFrames = Math.max(1, this.opts.minFrames ?? 1);
    if (frames === 0) refuse('INVALID_INPUT', this.name, 'it contains no samples');
    if (frames < minFrames) refuse('INVALID_INPUT', this.name, `it is too short: ${frames} samples per channel, at least ${minFrames} are needed`);
    const all = [...warnings];
    const { channels, sampleRate } = this.allocating(() => this.assemble());
    if (this.nonFinite > 0) all.push(`${this.nonFinite} invalid float samples (NaN or infinity) were set to 0`);
    if (this.peak > 1) {
      // A gain change, not clipping, so the timbre analysed is the one recorded.
      for (const ch of channels) for (let i = 0; i < ch.length; i++) ch[i] /= this.peak;
      all.push(`the audio peaks ${(20 * Math.log10(this.peak)).toFixed(1)} dB above full scale; it was turned down by that much to fit`);
    }
    return { sampleRate, channels, frames: channels[0].length, format, warnings: finishWarnings(all) };
  }

  private assemble(): { channels: Float32Array[]; sampleRate: number } {
    if (this.resampler) return { channels: [this.resampler.end()], sampleRate: this.opts.monoAt! };
    const frames = this.total;
    if (this.full && this.blocks.length === 0) {
      return { channels: this.full[0].length === frames ? this.full : this.full.map((ch) => ch.subarray(0, frames)), sampleRate: this.rate };
    }
    // The length was unknown (or longer than declared): join what was kept.
    const channels = Array.from({ length: this.channelCount }, () => new Float32Array(frames));
    let at = 0;
    if (this.full) {
      const kept = this.fullFrames;
      channels.forEach((ch, c) => ch.set(this.full![c].subarray(0, kept), 0));
      at = kept;
      this.full = null;
    }
    for (let b = 0; b < this.blocks.length; b++) {
      const block = this.blocks[b];
      channels.forEach((ch, c) => ch.set(block[c], at));
      at += block[0].length;
      this.blocks[b] = [];
    }
    return { channels, sampleRate: this.rate };
  }
}
