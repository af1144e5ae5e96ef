/**
 * How long a render will take, said before Render is pressed. A built-in preset as shipped:
 * its measured cost (./pace-table.ts, CPU seconds per content second from the PACE bench)
 * times this machine's speed learnt from its renders of built-ins. Any other preset: the
 * work it implies for a clip (multiply-adds of the feature network per optimiser iteration,
 * FFT work per Griffin-Lim iteration) times seconds per unit of work learnt from this
 * machine's renders. Pure, so the model is tested without rendering.
 */
import { builtinPreset, type Preset } from '../../common/preset';
import type { TakeMetrics } from '../../common/audio';
import { paceCpuSeconds } from './pace-table';

/** Seconds per unit of work for each phase, and how many renders taught it. */
export interface Calibration {
  optimise: number;
  reconstruct: number;
  /** Fixed cost per render (decoding, analysis, encoding), seconds. */
  overhead: number;
  renders: number;
  /**
   * Seconds here per CPU second of the PACE bench, learnt from renders of unmodified
   * built-ins (absent in calibrations saved before it existed: 1).
   */
  speed?: number;
  /** Renders that taught `speed`. */
  speedRenders?: number;
}

/**
 * Until a render has been timed: the rates of a quick-preview render of the demo on a busy
 * 2-core machine (onnx backend: 9.4 s optimising, 0.45 s Griffin-Lim), which the first real
 * render here replaces.
 */
export const DEFAULT_CALIBRATION: Calibration = { optimise: 6e-11, reconstruct: 8e-10, overhead: 0.45, renders: 0, speed: 1, speedRenders: 0 };

/**
 * The PACE bench's CPU seconds for `seconds` of content with `p` when it is a built-in
 * exactly as shipped (a copy with any setting changed, or renamed, is estimated from its
 * work instead), else undefined.
 */
function benchSeconds(p: Preset, seconds: number): number | undefined {
  const b = builtinPreset(p.name);
  return b && b.name === p.name && JSON.stringify(b) === JSON.stringify(p) ? paceCpuSeconds(b.name, seconds) : undefined;
}

/** How much the newest render counts against what was learnt before. */
const LEARN = 0.5;

/** Rows of the front end's spectrogram (bins, bands or coefficients). */
function frontEndBins(p: Preset): number {
  const fe = p.frontEnd;
  switch (fe.kind) {
    case 'linear':
      return p.analysis.nFft / 2 + 1;
    case 'mel':
      return fe.bands;
    case 'mfcc':
      return fe.coefficients;
    case 'logfreq':
      return Math.max(1, Math.round(fe.binsPerOctave * Math.log2(p.analysis.sampleRate / 2 / fe.fMin)));
  }
}

/** Multiply-adds per input frame of one forward pass through the network and the Gram matrices. */
function networkWorkPerFrame(p: Preset): number {
  let channels = 1;
  let bins = frontEndBins(p);
  let frames = 1;
  let work = 0;
  for (const l of p.network.layers) {
    if (l.kind === 'conv1d') {
      work += frames * channels * bins * l.filters * l.kernel;
      channels = l.filters;
      bins = 1;
      // Gram matrix of this layer's output (filters² per frame).
      work += frames * l.filters * l.filters;
    } else if (l.kind === 'conv2d') {
      work += frames * channels * bins * l.channels * l.kernelTime * l.kernelFreq;
      channels = l.channels;
      if (l.padding === 'valid') bins = Math.max(1, bins - l.kernelFreq + 1);
      work += frames * channels * channels * bins;
    } else if (l.kind === 'pool') {
      bins = Math.max(1, Math.floor(bins / l.freq));
      frames /= l.time;
    }
  }
  return work;
}

/** Work of a render of `seconds` of content with `p`, by phase. */
export function renderWork(p: Preset, seconds: number): { optimise: number; reconstruct: number } {
  const frames = Math.ceil((Math.max(0, seconds) * p.analysis.sampleRate) / p.analysis.hop) + 1;
  // Forward, then the backward pass at about twice its cost.
  const optimise = 3 * p.optimizer.iterations * frames * networkWorkPerFrame(p);
  const n = p.analysis.nFft;
  const reconstruct = 2 * p.griffinLim.iterations * frames * n * Math.log2(n);
  return { optimise, reconstruct };
}

/** Estimated seconds for a render of `seconds` of content with `p`. */
export function estimateSeconds(p: Preset, seconds: number, c: Calibration): number {
  const bench = benchSeconds(p, seconds);
  if (bench !== undefined) return bench * (c.speed ?? 1);
  const w = renderWork(p, seconds);
  return c.overhead + w.optimise * c.optimise + w.reconstruct * c.reconstruct;
}

/** The calibration after a render of `seconds` of content with `p` measured `m`. */
export function learnFromRender(c: Calibration, p: Preset, seconds: number, m: TakeMetrics): Calibration {
  const bench = benchSeconds(p, seconds);
  if (bench !== undefined) {
    const seen = m.seconds.total / bench;
    if (!(bench > 0 && Number.isFinite(seen) && seen > 0)) return c;
    const learnt = c.speedRenders ? (c.speed ?? 1) * (1 - LEARN) + seen * LEARN : seen;
    return { ...c, speed: learnt, speedRenders: (c.speedRenders ?? 0) + 1 };
  }
  const w = renderWork(p, seconds);
  // The optimiser may stop early: its work is that of the iterations it ran.
  const ran = p.optimizer.iterations > 0 ? m.iterations / p.optimizer.iterations : 1;
  const mix = (old: number, seen: number, work: number) => (work > 0 && seen > 0 && Number.isFinite(seen / work) ? (c.renders === 0 ? seen / work : old * (1 - LEARN) + (seen / work) * LEARN) : old);
  const overhead = Math.max(0, m.seconds.total - m.seconds.optimise - m.seconds.reconstruct);
  return {
    ...c,
    optimise: mix(c.optimise, m.seconds.optimise, w.optimise * ran),
    reconstruct: mix(c.reconstruct, m.seconds.reconstruct, w.reconstruct),
    overhead: c.renders === 0 ? overhead : c.overhead * (1 - LEARN) + overhead * LEARN,
    renders: c.renders + 1,
  };
}

/** "about 4 s", "about 2 min", "about 1 h 5 min". */
export function formatEstimate(seconds: number): string {
  if (seconds < 10) return `about ${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 90) return `about ${Math.round(seconds / 5) * 5} s`;
  const min = Math.round(seconds / 60);
  return min < 60 ? `about ${min} min` : `about ${Math.floor(min / 60)} h ${min % 60} min`;
}

/** "10-second", "3-minute", "2.5-minute": a length said as an adjective. */
function lengthWords(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))}-second`;
  const min = Math.round(seconds / 30) / 2;
  return `${min}-minute`;
}

/**
 * What to say before Render when a streaming take would fill in slower than it plays: the
 * estimate is longer than the audio, so playback will catch up with the render and wait.
 * @param presetName the preset as the musician knows it
 * @param estimate the render's estimated seconds here (estimateSeconds)
 * @param seconds the take's length, seconds of content
 * @returns a short line for the status (the full sentence for its tooltip), or null when the
 *   render is expected to keep ahead of playback
 */
export function slowStreamNote(presetName: string, estimate: number, seconds: number): { short: string; full: string } | null {
  if (!(seconds > 0) || !(estimate > seconds)) return null;
  const short = `Slower than it plays: ${formatEstimate(estimate)} for this ${lengthWords(seconds)} take`;
  return { short, full: `${presetName} renders slower than it plays: ${formatEstimate(estimate)} for this ${lengthWords(seconds)} take; the take fills in as it renders` };
}
