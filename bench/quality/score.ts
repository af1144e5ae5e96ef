/**
 * Every figure the benchmark gives one take, measured against the truth rendition and the
 * truth melody's MIDI notes.
 */
import { detectOnsets } from '../../engine/analysis/onsets';
import { yin } from '../../engine/analysis/pitch';
import { chromaSimilarity } from './chroma';
import type { Note } from './melodies';
import { detectPitches, multiPitchScores, referencePitches, type ReferencePitches } from './multipitch';
import { pitchSpectrogram, type PitchSpectrogram } from './pitch-spectrogram';
import { onsetFMeasure } from './onsets';
import { METRIC_ANALYSIS, frameLogMelDistance, ltasDistance, melSpectrogram, mfccDistance, type MelSpectrogram } from './spectral-distances';
import { rawPitchAccuracy } from './yin';

/** What is compared with: the truth's analysis and its notes. */
export interface TruthReference {
  mel: MelSpectrogram;
  /** The truth's magnitude spectrogram for the harmony metrics. */
  pitch: PitchSpectrogram;
  /** The MIDI notes sounding, and tolerated, in each 10 ms frame of `pitch`. */
  framePitches: ReferencePitches;
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
  /** Raw pitch accuracy within 50 cents over the voiced truth frames (`rawPitchAccuracy`); NaN when notes overlap (YIN follows one pitch). */
  pitchAcc: number;
  /** Chroma similarity to the truth, 0…1 (`chromaSimilarity`). */
  chroma: number;
  /** Frame-level multi-pitch F-measure, precision and recall against the MIDI notes (`detectPitches`, `multiPitchScores`). */
  multiPitchF: number;
  multiPitchPrecision: number;
  multiPitchRecall: number;
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
  const pitch = pitchSpectrogram(truth);
  return { mel: melSpectrogram(truth), pitch, framePitches: referencePitches(notes, pitch.frames), notes, onsets: notes.map((n) => n.onset) };
}

/** Does any note start before the one before it ends (a chord, two voices, a held note)? */
export function overlaps(notes: readonly Note[]): boolean {
  const sorted = [...notes].sort((a, b) => a.onset - b.onset);
  let end = -Infinity;
  for (const n of sorted) {
    if (n.onset < end - 1e-9) return true;
    end = Math.max(end, n.offset);
  }
  return false;
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
  const pitch = pitchSpectrogram(take);
  const multi = multiPitchScores(detectPitches(pitch), ref.framePitches.sounding, ref.framePitches.tolerated);
  return {
    ltasDb: ltasDistance(mel, ref.mel),
    mfccDb: mfccDistance(mel, ref.mel),
    frameDb: frameLogMelDistance(mel, ref.mel),
    pitchAcc: overlaps(ref.notes) ? NaN : rawPitchAccuracy(yin(take, { sampleRate: METRIC_ANALYSIS.sampleRate }), ref.notes).accuracy,
    chroma: chromaSimilarity(pitch, ref.pitch),
    multiPitchF: multi.f,
    multiPitchPrecision: multi.precision,
    multiPitchRecall: multi.recall,
    onsetF: onset.f,
    onsetPrecision: onset.precision,
    onsetRecall: onset.recall,
    ...badSamples(take),
  };
}
