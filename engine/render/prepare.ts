/**
 * Decoding happens once, here, one step above the render job (docs/ARCHITECTURE.md, "The
 * data route of a render"): a request's files become mono samples at the preset's rate, cut
 * to its region, and the job, its segments and any re-render pass those samples on.
 */
import type { Region } from '../../common/audio';
import type { RenderRequest } from '../../common/engine-api';
import { GramophoneError } from '../../common/errors';
import type { Preset } from '../../common/preset';
import { decodeAudio } from '../audio/decode';
import { audioFileBytes } from '../io/audio-file';
import { mixdown } from '../dsp/mixdown';
import { resample } from '../dsp/resample';

/** One input of a render: mono samples at the preset's analysis rate. */
export interface RenderInput {
  /** The file's name, for messages. */
  name: string;
  /** Mono, at `preset.analysis.sampleRate`, already cut to the region for the content. */
  samples: Float32Array;
}

/** A render with its inputs decoded: what `render` and `renderChunked` take. */
export interface RenderJob {
  /** Names the job in its progress events and its take. */
  jobId: string;
  preset: Preset;
  content: RenderInput;
  style: RenderInput;
  /** The stretch of the content file `content.samples` holds, when a region was chosen (for messages). */
  region?: Region;
  /** What decoding had to say about the inputs, in words (each naming its file). */
  warnings: string[];
}

/**
 * Decode an audio file straight to mono at `rate`, and crop it to `region` (seconds); a
 * region ending past the file's end is cut to it, with a warning saying so.
 * @param minSamples the fewest samples a usable input has (one FFT frame)
 * @throws GramophoneError INVALID_INPUT / UNSUPPORTED_AUDIO naming the file.
 */
export async function prepareInput(bytes: Uint8Array, name: string, rate: number, minSamples: number, region?: Region): Promise<RenderInput & { warnings: string[] }> {
  const decoded = await decodeAudio(bytes, name, { monoAt: rate });
  // Decoded with `monoAt`, the file is one channel already: used as it is, not copied (an
  // hour at 22.05 kHz is 317 MB).
  let mono = decoded.channels.length === 1 ? decoded.channels[0] : mixdown(decoded.channels);
  const warnings = decoded.warnings.map((w) => `${name}: ${w}`);
  if (region) {
    const start = Math.min(mono.length, Math.round(region.start * decoded.sampleRate));
    const end = Math.min(mono.length, Math.round(region.end * decoded.sampleRate));
    if (end - start < 1) throw new GramophoneError('INVALID_INPUT', `The region ${region.start.toFixed(2)}–${region.end.toFixed(2)} s lies outside "${name}"`);
    // A region that runs past the end is rendered as far as the file goes, and said so.
    const length = mono.length / decoded.sampleRate;
    if (Math.round(region.end * decoded.sampleRate) > mono.length) {
      warnings.push(
        `The region ${region.start.toFixed(2)}–${region.end.toFixed(2)} s ends past the end of "${name}" (${length.toFixed(2)} s long): the take covers ${region.start.toFixed(2)}–${length.toFixed(2)} s only`,
      );
    }
    mono = mono.slice(start, end);
  }
  const samples = decoded.sampleRate === rate ? mono : resample(mono, decoded.sampleRate, rate);
  if (samples.length < minSamples) {
    const need = (minSamples / rate).toFixed(3);
    throw new GramophoneError('INVALID_INPUT', `"${name}" is too short: at least ${need} s (one FFT frame) is needed${region ? ' in the selected region' : ''}`);
  }
  return { name, samples, warnings };
}

/**
 * A request's files decoded once into a job.
 * @throws GramophoneError as `prepareInput`, for the content first
 */
export async function prepareRender(req: RenderRequest): Promise<RenderJob> {
  const { sampleRate: rate, nFft } = req.preset.analysis;
  const content = await prepareInput(await audioFileBytes(req.content, 'content'), req.content.name, rate, nFft, req.region);
  const style = await prepareInput(await audioFileBytes(req.style, 'style'), req.style.name, rate, nFft);
  return {
    jobId: req.jobId,
    preset: req.preset,
    content: { name: content.name, samples: content.samples },
    style: { name: style.name, samples: style.samples },
    ...(req.region ? { region: req.region } : {}),
    warnings: [...content.warnings, ...style.warnings],
  };
}
