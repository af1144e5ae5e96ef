/**
 * Presets: the versioned JSON document that says exactly how a take is made. A preset plus
 * the two input files reproduces a render bit for bit on the same machine (the network
 * weights and the noise come from `network.seed`).
 */
import { z } from 'zod';

/** Current preset document version. Bump it and add a step to `migratePreset`. */
export const PRESET_VERSION = 1;

const finite = () => z.number().refine(Number.isFinite, 'must be a finite number');
const weight = () => finite().min(0).max(1e6);
const isPow2 = (n: number) => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;

export const ACTIVATIONS = ['relu', 'selu', 'tanh'] as const;
export const OPTIMIZERS = ['lbfgs', 'adam'] as const;
export const INITS = ['content', 'noise'] as const;
export const BACKENDS = ['auto', 'onnx', 'tfjs'] as const;

export type Activation = (typeof ACTIVATIONS)[number];
export type OptimizerKind = (typeof OPTIMIZERS)[number];
export type InitKind = (typeof INITS)[number];
/** Which objective implementation to use; `auto` takes onnx where it loads, else tfjs. */
export type BackendChoice = (typeof BACKENDS)[number];

/** Loss weights α (content), β (style), γ (energy envelope), δ (timbral envelope); 0 = off. */
export const WeightsSchema = z.strictObject({
  content: weight(),
  style: weight(),
  energy: weight(),
  timbre: weight(),
});
export type LossWeights = z.infer<typeof WeightsSchema>;

export const PresetSchema = z
  .strictObject({
    version: z.literal(PRESET_VERSION),
    name: z.string().trim().min(1).max(80),
    /** Where the settings come from (a paper, a repository), shown next to built-ins. */
    source: z.string().max(300).optional(),
    weights: WeightsSchema,
    analysis: z.strictObject({
      /** Engine sample rate in Hz; inputs are resampled to it. */
      sampleRate: z.number().int().min(8000).max(96000),
      /** FFT size in samples, a power of two. */
      nFft: z.number().int().min(128).max(8192).refine(isPow2, 'must be a power of two'),
      /** Hop in samples. */
      hop: z.number().int().min(16).max(8192),
    }),
    network: z.strictObject({
      filters: z.number().int().min(1).max(8192),
      kernel: z.number().int().min(1).max(64),
      activation: z.enum(ACTIVATIONS),
      /** Seeds the conv weights and any noise (initialisation, Griffin-Lim phase). */
      seed: z.number().int().min(0).max(0xffffffff),
    }),
    optimizer: z.strictObject({
      kind: z.enum(OPTIMIZERS),
      iterations: z.number().int().min(1).max(10000),
      learningRate: finite().gt(0).max(100),
    }),
    init: z.enum(INITS),
    griffinLim: z.strictObject({
      iterations: z.number().int().min(0).max(5000),
      /** 0 = classic Griffin-Lim; 0.99 = fast Griffin-Lim (Perraudin et al.). */
      momentum: finite().min(0).max(1.5),
    }),
    output: z.strictObject({
      normalize: z.boolean(),
      /** Peak level in dBFS when normalising. */
      peakDb: finite().min(-60).max(0),
    }),
    backend: z.enum(BACKENDS),
  })
  .refine((p) => p.analysis.hop <= p.analysis.nFft, { message: 'hop must not exceed nFft', path: ['analysis', 'hop'] });

export type Preset = z.infer<typeof PresetSchema>;

/** A person-readable list of what is wrong with a candidate preset, or null if it is valid. */
export function presetProblems(candidate: unknown): string | null {
  const r = PresetSchema.safeParse(candidate);
  if (r.success) return null;
  return r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/**
 * Bring an older preset document up to the current version. Unknown versions (newer than
 * this build, or garbage) are refused rather than guessed at.
 * @throws Error with a readable reason.
 */
export function migratePreset(doc: unknown): Preset {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('a preset must be a JSON object');
  const d = { ...(doc as Record<string, unknown>) };
  // Version 0 (unversioned drafts) had no output.peakDb and no backend.
  if (d.version === undefined || d.version === 0) {
    d.version = 1;
    if (d.output && typeof d.output === 'object') d.output = { peakDb: -1, ...(d.output as object) };
    if (d.backend === undefined) d.backend = 'auto';
  }
  if (d.version !== PRESET_VERSION) throw new Error(`unsupported preset version ${String(d.version)}`);
  const r = PresetSchema.safeParse(d);
  if (!r.success) throw new Error(presetProblems(d) ?? 'invalid preset');
  return r.data;
}

const base = {
  version: PRESET_VERSION,
  analysis: { sampleRate: 22050, nFft: 2048, hop: 512 },
  output: { normalize: true, peakDb: -1 },
  backend: 'auto',
} as const;

/**
 * Read-only presets that follow the reference methods. Each says which source it follows.
 */
export const BUILTIN_PRESETS: readonly Preset[] = Object.freeze([
  {
    ...base,
    name: 'Quick preview',
    source: 'Gramophone: a small network and few iterations for auditioning in seconds',
    weights: { content: 0.2, style: 1, energy: 0.1, timbre: 0.1 },
    analysis: { sampleRate: 22050, nFft: 1024, hop: 256 },
    network: { filters: 256, kernel: 11, activation: 'relu', seed: 1 },
    optimizer: { kind: 'lbfgs', iterations: 40, learningRate: 1 },
    init: 'content',
    griffinLim: { iterations: 32, momentum: 0.99 },
  },
  {
    ...base,
    name: 'Ulyanov texture',
    source: 'Ulyanov & Lebedev 2016, "Audio texture synthesis and style transfer": 4096 random filters of width 11, L-BFGS from noise, 500 Griffin-Lim iterations',
    weights: { content: 0.01, style: 1, energy: 0, timbre: 0 },
    network: { filters: 4096, kernel: 11, activation: 'relu', seed: 0 },
    optimizer: { kind: 'lbfgs', iterations: 300, learningRate: 1 },
    init: 'noise',
    griffinLim: { iterations: 500, momentum: 0.99 },
  },
  {
    ...base,
    name: 'Grinstein content-init',
    source: 'Grinstein, Duong, Ozerov & Pérez, ICASSP 2018: a shallow random network, style loss only, optimisation started from the content',
    weights: { content: 0, style: 1, energy: 0, timbre: 0 },
    network: { filters: 4096, kernel: 11, activation: 'relu', seed: 0 },
    optimizer: { kind: 'lbfgs', iterations: 200, learningRate: 1 },
    init: 'content',
    griffinLim: { iterations: 300, momentum: 0.99 },
  },
  {
    ...base,
    name: 'Verma timbre',
    source: 'Verma & Smith 2018, "Neural style transfer for audio spectrograms": content, style, temporal energy and timbral envelope terms, from noise',
    weights: { content: 1, style: 1, energy: 1, timbre: 1 },
    network: { filters: 2048, kernel: 11, activation: 'relu', seed: 0 },
    optimizer: { kind: 'lbfgs', iterations: 200, learningRate: 1 },
    init: 'noise',
    griffinLim: { iterations: 300, momentum: 0.99 },
  },
  {
    ...base,
    name: 'alishdipani conv1d',
    source: 'alishdipani/Neural-Style-Transfer-Audio: conv1d of width 3, Adam at learning rate 0.03 from the content, style loss only',
    weights: { content: 0, style: 1, energy: 0, timbre: 0 },
    network: { filters: 4096, kernel: 3, activation: 'relu', seed: 0 },
    optimizer: { kind: 'adam', iterations: 300, learningRate: 0.03 },
    init: 'content',
    griffinLim: { iterations: 300, momentum: 0.99 },
  },
  {
    ...base,
    name: 'IITB tanh',
    source: 'IIT Bombay audio style transfer notebooks: tanh features, content + style, from noise',
    weights: { content: 1, style: 1, energy: 0, timbre: 0 },
    network: { filters: 4096, kernel: 11, activation: 'tanh', seed: 0 },
    optimizer: { kind: 'lbfgs', iterations: 200, learningRate: 1 },
    init: 'noise',
    griffinLim: { iterations: 300, momentum: 0.99 },
  },
] satisfies Preset[]).map((p) => Object.freeze(PresetSchema.parse(p))) as readonly Preset[];

/** The preset a fresh workstation starts with. */
export const DEFAULT_PRESET_NAME = 'Quick preview';

/** Look up a built-in by name (case-insensitive); undefined if none. */
export const builtinPreset = (name: string): Preset | undefined =>
  BUILTIN_PRESETS.find((p) => p.name.toLowerCase() === name.trim().toLowerCase());
