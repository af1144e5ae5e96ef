/**
 * A signal through a preset's analysis: the STFT at its settings and X from its front end.
 * What the render job and the benchmarks both start from.
 */
import type { Preset } from '../../../common/preset';
import { stft, type ComplexSpectrogram, type StftShape } from '../../dsp/stft';
import { createFrontEnd } from './index';
import type { FrontEnd } from './front-end';

export interface Analysis {
  /** The complex STFT (kept for the content: its phase can start Griffin-Lim). */
  spec: ComplexSpectrogram;
  /** X, frames × bins row-major. */
  x: Float32Array;
  frames: number;
  bins: number;
}

/** The STFT geometry of a preset. */
export const stftShapeOf = (preset: Preset): StftShape => ({ nFft: preset.analysis.nFft, window: preset.analysis.window, hop: preset.analysis.hop });

/** Analyse mono samples at the preset's rate with `frontEnd` (default: the preset's). */
export function analyseSignal(samples: Float32Array, preset: Preset, frontEnd: FrontEnd = createFrontEnd(preset)): Analysis {
  const spec = stft(samples, stftShapeOf(preset));
  return { spec, x: frontEnd.analyse(spec), frames: spec.frames, bins: frontEnd.bins };
}
