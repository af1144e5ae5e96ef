/**
 * Every figure the benchmark gives one take, measured against the truth rendition and the
 * truth melody's MIDI notes.
 */
import { detectOnsets } from '../../engine/analysis/onsets';
import { yin } from '../../engine/analysis/pitch';
import type { Note } from './melodies';
import { onsetFMeasure } from './onsets';
import { METRIC_ANALYSIS, frameLogMelDistance, ltasDistance, melSpectrogram, mfccDistance, type MelSpectrogram } from './spectral-distances';
import { rawPitchAccuracy } from './yin';

/** What is compared with: the truth's analysis and its notes. */
export interface TruthReference {
  mel: MelSpectrogram;
  notes: readonly Note[];
  /** Note-on times in seconds. */
  onsets: number[];
}

/** One take's figures. */
export interface Scores {
  /** Long-term average spectrum distance to the truth, dB (`ltasDistance`). */
  ltasDb: number;
  /** Mean-MFCC distance, dB (`mfccDistance`). */
  mfccDb: number;
  /** Frame-wise log-mel distance, dB (`frameLogMelDistance`). */
  frameDb: number;
  /** Raw pitch accuracy within 50 cents over the voiced truth frames (`rawPitchAccuracy`). */
  pitchAcc: number;
  /** Onset F-measure, ±50 ms, against the MIDI note-ons (`onsetFMeasure`). */
  onsetF: number;
  onsetPrecision: number;
  onsetRecall: number;
  /** Samples that are NaN or ±Infinity. */
  nan: number;
  /** Finite samples with |x| ≥ 1 (at or beyond full scale: they clip in a fixed-point file). */
  clipped: number;
}

/** The truth's analysis; `truth` is at METRIC_ANALYSIS.sampleRate. */
export function truthReference(truth: Float32Array, notes: readonly Note[]): TruthReference {
  return { mel: melSpectrogram(truth), notes, onsets: notes.map((n) => n.onset) };
}

/** Count of non-finite samples and of finite samples at or beyond full scale. */
export function badSamples(x: Float32Array): { nan: number; clipped: number } {
  let nan = 0;
  let clipped = 0;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) nan++;
    else if (Math.abs(x[i]) >= 1) clipped++;
  }
  return { nan, clipped };
}

/**
 * Score a take against the truth. The take must be at METRIC_ANALYSIS.sampleRate and as
 * long as the truth (the caller resamples and fits it).
 */
export function scoreTake(take: Float32Array, ref: TruthReference): Scores {
  const mel = melSpectrogram(take);
  const onset = onsetFMeasure(detectOnsets(take), ref.onsets);
  return {
    ltasDb: ltasDistance(mel, ref.mel),
    mfccDb: mfccDistance(mel, ref.mel),
    frameDb: frameLogMelDistance(mel, ref.mel),
    pitchAcc: rawPitchAccuracy(yin(take, { sampleRate: METRIC_ANALYSIS.sampleRate }), ref.notes).accuracy,
    onsetF: onset.f,
    onsetPrecision: onset.precision,
    onsetRecall: onset.recall,
    ...badSamples(take),
  };
}
