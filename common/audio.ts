/**
 * Shapes of audio, spectrograms, render progress and takes as they cross processes.
 * Schemas are the runtime checks; the types are inferred from them.
 */
import { z } from 'zod';
import { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from './audio-formats';
import { PresetSchema } from './preset';
import { FileNameSchema, finite, float32ArraySchema, uint8ArraySchema } from './schemas';
import { LOSS_TERMS, type LossTermName } from './loss-terms';

/**
 * How loud a track is, measured once by the engine: integrated loudness per ITU-R BS.1770-4
 * (what the A/B matches) and the sample peak.
 */
export const LoudnessSchema = z.strictObject({
  /** Integrated loudness in LUFS; null when nothing is above the −70 LUFS gate (silence). */
  lufs: finite().nullable(),
  /** Largest |sample|, linear (1 = 0 dBFS). */
  peak: finite().min(0),
});
export type Loudness = z.infer<typeof LoudnessSchema>;

/** What a decoded file is. */
export const AudioInfoSchema = z.strictObject({
  name: FileNameSchema,
  /** Native sample rate in Hz. */
  sampleRate: z.number().int().positive(),
  channels: z.number().int().positive(),
  /** Length in samples per channel. */
  frames: z.number().int().nonnegative(),
  /** Duration in seconds. */
  duration: finite().nonnegative(),
  /** e.g. "PCM 16-bit", "float 32-bit (extensible)". */
  format: z.string().max(100),
  /** Things the decoder fixed or ignored, in words (truncated data, NaN samples zeroed…). */
  warnings: z.array(z.string().max(500)).max(20),
  /** Measured by the engine when the track was decoded or rendered. */
  loudness: LoudnessSchema.optional(),
});
export type AudioInfo = z.infer<typeof AudioInfoSchema>;

/** A region of the content track, in seconds from its start. */
export const RegionSchema = z.strictObject({ start: finite().min(0), end: finite().min(0) }).refine((r) => r.end > r.start, 'region end must be after its start');
export type Region = z.infer<typeof RegionSchema>;

/** The unweighted, normalised value of each loss term of `LOSS_TERM_TABLE`. */
export const LossTermsSchema = z.strictObject(Object.fromEntries(LOSS_TERMS.map((t) => [t, finite()])) as Record<LossTermName, ReturnType<typeof finite>>);
export type LossTerms = z.infer<typeof LossTermsSchema>;

/** Why an optimisation ended, with the words shown to a musician. */
export const STOP_REASONS = {
  iterations: 'ran all its iterations',
  converged: 'converged: the loss stopped changing',
  plateau: 'converged: the loss fell by less than the preset’s tolerance over its last iterations',
  'flat-gradient': 'converged: the gradient vanished',
  'no-progress': 'stopped early: no step along the descent direction lowered the loss',
} as const;
export type StopReason = keyof typeof STOP_REASONS;
const StopReasonSchema = z.enum(Object.keys(STOP_REASONS) as [StopReason, ...StopReason[]]);

/**
 * A log-magnitude spectrogram in decibels for display: frames × bins row-major.
 * `db[t * bins + f]` = 20·log10(|STFT| + ε).
 */
export const SpectrogramSchema = z.strictObject({
  frames: z.number().int().nonnegative(),
  bins: z.number().int().positive(),
  sampleRate: z.number().int().positive(),
  nFft: z.number().int().positive(),
  hop: z.number().int().positive(),
  db: float32ArraySchema(),
});
export type Spectrogram = z.infer<typeof SpectrogramSchema>;

export const RENDER_PHASES = ['decode', 'analyse', 'optimise', 'reconstruct', 'encode'] as const;
export type RenderPhase = (typeof RENDER_PHASES)[number];

/** The share of a render each phase takes, as [from, to] of 0 … 1 (a rough guide for a progress bar). */
export const RENDER_PHASE_SPAN: Record<RenderPhase, readonly [number, number]> = {
  decode: [0, 0.02],
  analyse: [0.02, 0.08],
  optimise: [0.08, 0.85],
  reconstruct: [0.85, 0.98],
  encode: [0.98, 1],
};

/**
 * A downsampled snapshot of the spectrogram being optimised, X = log1p|M|, frames × bins
 * row-major, values scaled to 0..255.
 */
export const PreviewSchema = z.strictObject({
  frames: z.number().int().positive(),
  bins: z.number().int().positive(),
  data: uint8ArraySchema(),
});
export type Preview = z.infer<typeof PreviewSchema>;

export const RenderProgressSchema = z.strictObject({
  jobId: z.string().max(100),
  phase: z.enum(RENDER_PHASES),
  /** Iteration i of n within the phase (optimise and reconstruct count; others 0 of 0). */
  iteration: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** Total weighted loss and each unweighted term, when optimising. */
  loss: finite().optional(),
  terms: LossTermsSchema.optional(),
  /** Seconds since the job started and estimated seconds left. */
  elapsed: finite().nonnegative(),
  eta: finite().nonnegative().optional(),
  preview: PreviewSchema.optional(),
  /** Sent once when the optimisation ends: why, with `iteration` where it ended. */
  stopReason: StopReasonSchema.optional(),
  /** In a render cut into segments (a long file): the segment this event is about, from 0, of how many. */
  segment: z.strictObject({ index: z.number().int().nonnegative(), count: z.number().int().positive() }).optional(),
  /** Share of the whole job done, 0 … 1, when the phase alone does not tell it (a segmented render). */
  fraction: z.number().min(0).max(1).optional(),
});
export type RenderProgress = z.infer<typeof RenderProgressSchema>;

/** Share of a job done, 0 … 1, from one of its progress events: `fraction` if given, else from the phase. */
export function renderFraction(p: Pick<RenderProgress, 'phase' | 'iteration' | 'total' | 'fraction'>): number {
  if (p.fraction !== undefined) return p.fraction;
  const [a, b] = RENDER_PHASE_SPAN[p.phase];
  return a + (b - a) * (p.total > 0 ? Math.min(1, p.iteration / p.total) : 0);
}

/** What a render measured about its own result (docs/ARCHITECTURE.md, "The objective"). */
export const TakeMetricsSchema = z.strictObject({
  backend: z.string().max(100),
  iterations: z.number().int().nonnegative(),
  /** Objective evaluations (loss and gradient) the optimiser made, line-search trials included. */
  evaluations: z.number().int().nonnegative().optional(),
  initialLoss: finite(),
  finalLoss: finite(),
  initialTerms: LossTermsSchema,
  finalTerms: LossTermsSchema,
  /** Why the optimiser stopped (it may stop before `iterations` of the preset). */
  stopReason: StopReasonSchema,
  /** final / initial style term (lower is better; 1 when the style term is 0). */
  styleLossRatio: finite(),
  /**
   * √(final term) per term: the relative error ‖s(X) − s(target)‖ / ‖s(target)‖ of each
   * statistic — the content feature distance, the energy and timbral envelope errors, …
   */
  termErrors: LossTermsSchema,
  /**
   * Share (0 … 1) of the content's clearly pitched frames in which the take's pitch is within
   * ±50 cents of the content's (YIN, engine/dsp/melody-kept.ts); absent when the content has
   * too little pitch to judge (drums, noise).
   */
  melodyKept: z.number().min(0).max(1).optional(),
  /** Griffin-Lim spectral convergence ‖M − |STFT(x̂)|‖ / ‖M‖, as a ratio and in dB. */
  spectralConvergence: finite(),
  spectralConvergenceDb: finite(),
  /** Peak of the output in dBFS after normalisation. */
  peakDb: finite(),
  seconds: z.strictObject({ analyse: finite(), optimise: finite(), reconstruct: finite(), total: finite() }),
});
export type TakeMetrics = z.infer<typeof TakeMetricsSchema>;

/** A finished render: mono samples at the preset's rate, and how it was made. */
export const TakeResultSchema = z.strictObject({
  jobId: z.string().max(100),
  sampleRate: z.number().int().positive(),
  samples: float32ArraySchema(),
  preset: PresetSchema,
  metrics: TakeMetricsSchema,
  warnings: z.array(z.string().max(500)).max(40),
  /** The take's loudness, measured by the engine as the render ends. */
  loudness: LoudnessSchema.optional(),
});
export type TakeResult = z.infer<typeof TakeResultSchema>;

/**
 * A stretch of a streaming take that has become final (engine/render/stream.ts): the engine
 * emits it as the segment finishes, main passes it straight on to the page, which plays it
 * while the next segment renders.
 */
export const TakeChunkSchema = z.strictObject({
  jobId: z.string().max(100),
  /** Where `samples` start in the take, samples at `sampleRate`. */
  at: z.number().int().nonnegative(),
  /** Mono, before the level is set: multiply by `gain`. */
  samples: float32ArraySchema(),
  /** Linear gain setting the level of everything final so far (the finished take's at the last chunk). */
  gain: finite().positive(),
  /** The take's length when finished, samples. */
  total: z.number().int().positive(),
  sampleRate: z.number().int().positive(),
  /** The chunk's segment, from 0, of how many. */
  segment: z.strictObject({ index: z.number().int().nonnegative(), count: z.number().int().positive() }),
});
export type TakeChunk = z.infer<typeof TakeChunkSchema>;

/** Stem export formats: 16- or 24-bit PCM, or 32-bit float. */
export const ExportFormatSchema = z.strictObject({
  encoding: z.enum(['pcm16', 'pcm24', 'float32']),
  /** 'engine' keeps the render rate; otherwise resample to this rate in Hz (e.g. 44100, 48000, the content's). */
  sampleRate: z.union([z.literal('engine'), z.number().int().min(MIN_SAMPLE_RATE).max(MAX_SAMPLE_RATE)]),
  /** 1 = mono, 2 = dual-mono stereo. */
  channels: z.union([z.literal(1), z.literal(2)]),
});
export type ExportFormat = z.infer<typeof ExportFormatSchema>;
