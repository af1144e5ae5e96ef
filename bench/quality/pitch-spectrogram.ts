/**
 * The analysis the harmony metrics share (chroma similarity and frame-level multi-pitch):
 * a centred STFT with a periodic Hann window of 4096 samples (186 ms at 22.05 kHz: bins
 * 5.38 Hz apart, fine enough to part semitones down to about 90 Hz and, through their upper
 * partials, below), hop 220 samples (9.98 ms: mir_eval's 10 ms frame grid at this rate),
 * magnitudes |X|. Frame i is centred at i · 220 / 22050 s. Non-finite samples are read as 0.
 */
import { magnitude, stft } from '../../engine/dsp/stft';
import { METRIC_ANALYSIS, finiteSamples } from './spectral-distances';

export const PITCH_ANALYSIS = { sampleRate: METRIC_ANALYSIS.sampleRate, nFft: 4096, hop: 220 } as const;

/** Magnitude spectrogram: frames × bins row-major, bins = nFft/2 + 1, bin k at k·sampleRate/nFft Hz. */
export interface PitchSpectrogram {
  frames: number;
  bins: number;
  magnitude: Float32Array;
}

/** The shared analysis of a signal at PITCH_ANALYSIS.sampleRate. */
export function pitchSpectrogram(signal: Float32Array, window: number = PITCH_ANALYSIS.nFft): PitchSpectrogram {
  const { nFft, hop } = PITCH_ANALYSIS;
  const spec = stft(finiteSamples(signal), { nFft, hop, window });
  return { frames: spec.frames, bins: spec.bins, magnitude: magnitude(spec) };
}

/** Seconds at the centre of frame `i`. */
export const frameTime = (i: number): number => (i * PITCH_ANALYSIS.hop) / PITCH_ANALYSIS.sampleRate;

/** Frequency in Hz of bin `k`. */
export const binHz = (k: number): number => (k * PITCH_ANALYSIS.sampleRate) / PITCH_ANALYSIS.nFft;
