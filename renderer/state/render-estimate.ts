/**
 * How long a render will take, said before Render is pressed: the work a preset implies for
 * a clip (multiply-adds of the feature network per optimiser iteration, FFT work per
 * Griffin-Lim iteration), times seconds per unit of work learnt from this machine's last
 * renders. Pure, so the model is tested without rendering.
 */
import type { Preset } from '../../common/preset';
import type { TakeMetrics } from '../../common/audio';

/** Seconds per unit of work for each phase, and how many renders taught it. */
export interface Calibration {
  optimise: number;
  reconstruct: number;
  /** Fixed cost per render (decoding, analysis, encoding), seconds. */
  overhead: number;
  renders: number;
}

/**
 * Until a render has been timed: the rates of a quick-preview render of the demo on a busy
 * 2-core machine (onnx backend: 9.4 s optimising, 0.45 s Griffin-Lim), which the first real
 * render here replaces.
 */
export const DEFAULT_CALIBRATION: Calibration = { optimise: 6e-11, reconstruct: 8e-10, overhead: 0.45, renders: 0 };

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
  const w = renderWork(p, seconds);
  return c.overhead + w.optimise * c.optimise + w.reconstruct * c.reconstruct;
}

/** The calibration after a render of `seconds` of content with `p` measured `m`. */
export function learnFromRender(c: Calibration, p: Preset, seconds: number, m: TakeMetrics): Calibration {
  const w = renderWork(p, seconds);
  // The optimiser may stop early: its work is that of the iterations it ran.
  const ran = p.optimizer.iterations > 0 ? m.iterations / p.optimizer.iterations : 1;
  const mix = (old: number, seen: number, work: number) => (work > 0 && seen > 0 && Number.isFinite(seen / work) ? (c.renders === 0 ? seen / work : old * (1 - LEARN) + (seen / work) * LEARN) : old);
  const overhead = Math.max(0, m.seconds.total - m.seconds.optimise - m.seconds.reconstruct);
  return {
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
