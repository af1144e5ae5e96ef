/**
 * Presets: the versioned JSON document that says exactly how a take is made. A preset plus
 * the two input files reproduces a render bit for bit on the same machine (the network
 * weights and the noise come from `network.seed`).
 *
 * Version 2 describes the objective as its four stages (docs/ARCHITECTURE.md, "The objective"): a front end (what X
 * is), a feature network (an ordered list of layers), the statistics each loss term
 * compares, and the weights of the terms. Version 1 documents (one conv1d layer on a
 * linear STFT) are migrated on load and render the same samples.
 */
import { z } from 'zod';
import { LOSS_TERMS, LOSS_TERM_TABLE, termNeeds, type LossTermName } from './loss-terms';

/** Current preset document version. Bump it and add a step to `migratePreset`. */
export const PRESET_VERSION = 2;

const finite = () => z.number().refine(Number.isFinite, 'must be a finite number');
const weight = () => finite().min(0).max(1e6);
const int = (min: number, max: number) => z.number().int().min(min).max(max);
const isPow2 = (n: number) => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;

/** Limits shared by the schema, the CLI and the Advanced section. */
export const LIMITS = {
  sampleRate: [8000, 96000],
  nFft: [128, 8192],
  hop: [16, 8192],
  window: [16, 8192],
  layers: [1, 16],
  filters: [1, 8192],
  kernel: [1, 64],
  channels: [1, 512],
  kernel2d: [1, 15],
  pool: [1, 8],
  bands: [8, 512],
  binsPerOctave: [6, 96],
  iterations: [1, 10000],
  glIterations: [0, 5000],
} as const satisfies Record<string, readonly [number, number]>;
const lim = (k: keyof typeof LIMITS) => int(LIMITS[k][0], LIMITS[k][1]);

export const ACTIVATIONS = ['relu', 'selu', 'tanh', 'leakyRelu', 'none'] as const;
export const OPTIMIZERS = ['lbfgs', 'adam'] as const;
export const INITS = ['content', 'noise', 'matchEq', 'notes'] as const;
export const RESTS = ['silent', 'free'] as const;
export const BACKENDS = ['auto', 'onnx', 'tfjs'] as const;
export const FRONT_ENDS = ['linear', 'mel', 'mfcc', 'logfreq'] as const;
export const LAYER_KINDS = ['conv1d', 'conv2d', 'activation', 'pool'] as const;
export const POOL_MODES = ['max', 'avg'] as const;
export const PADDINGS = ['valid', 'same'] as const;
/** Where the energy envelope's target comes from. */
export const ENERGY_TARGETS = ['style', 'content'] as const;
/**
 * Where a network's weights come from: seeded random, or a trained network shipped in
 * assets/networks/ (`TRAINED_NETWORKS` says which stack each was trained as).
 */
export const NETWORK_WEIGHTS = ['random', 'instrument-cnn-v1'] as const;

export type Activation = (typeof ACTIVATIONS)[number];
/** Which objective implementation to use; `auto` takes onnx where it loads, else tfjs. */
export type BackendChoice = (typeof BACKENDS)[number];
export type NetworkWeights = (typeof NETWORK_WEIGHTS)[number];
export type TrainedNetworkName = Exclude<NetworkWeights, 'random'>;

/** Loss weights, one per term of `LOSS_TERM_TABLE` (α content, β style, γ energy, δ timbre, …); 0 = off. */
export const WeightsSchema = z.strictObject(Object.fromEntries(LOSS_TERMS.map((t) => [t, weight().default(0)])) as Record<LossTermName, z.ZodDefault<ReturnType<typeof weight>>>);

/** A mel filterbank's lowest and highest band edges in Hz (fMax ≤ sampleRate / 2; 0 = Nyquist), for the mel and mfcc front ends. */
const melEdges = () => ({ fMin: finite().min(0).max(48000), fMax: finite().min(0).max(48000) });

/**
 * What X is: the representation the optimiser changes (frames × bins, row-major).
 * linear: log(1 + |STFT|), nFft/2 + 1 bins. mel: log(1 + mel filterbank · |STFT|).
 * mfcc: the DCT-II of log(1 + mel · |STFT|), first `coefficients`. logfreq: log(1 + B·|STFT|)
 * with triangular bands spaced `binsPerOctave` per octave from `fMin` (constant-Q-like).
 */
export const FrontEndSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('linear') }),
  z.strictObject({ kind: z.literal('mel'), bands: lim('bands'), ...melEdges() }),
  z.strictObject({ kind: z.literal('mfcc'), bands: lim('bands'), coefficients: lim('bands'), ...melEdges() }),
  z.strictObject({
    kind: z.literal('logfreq'),
    binsPerOctave: lim('binsPerOctave'),
    /** Centre of the lowest band in Hz; bands go up to the Nyquist frequency. */
    fMin: finite().min(10).max(4000),
  }),
]);
export type FrontEnd = z.infer<typeof FrontEndSchema>;

/** One layer of the feature network; shapes are in engine/objective/layers/. */
export const LayerSchema = z.discriminatedUnion('kind', [
  /** Along time, the bins (or channels × bins) as input channels, `filters` outputs of width `kernel` frames, valid, no bias. */
  z.strictObject({ kind: z.literal('conv1d'), filters: lim('filters'), kernel: lim('kernel') }),
  /** Over time × frequency, `channels` outputs of kernelTime × kernelFreq, no bias. */
  z.strictObject({
    kind: z.literal('conv2d'),
    channels: lim('channels'),
    kernelTime: lim('kernel2d'),
    kernelFreq: lim('kernel2d'),
    padding: z.enum(PADDINGS),
  }),
  z.strictObject({ kind: z.literal('activation'), fn: z.enum(ACTIVATIONS), slope: finite().min(0).max(1).optional() }),
  /** Non-overlapping max or average pooling of `time` frames × `freq` bins. */
  z.strictObject({ kind: z.literal('pool'), mode: z.enum(POOL_MODES), time: lim('pool'), freq: lim('pool') }),
]);
export type Layer = z.infer<typeof LayerSchema>;

/**
 * Verma & Smith's feature network shape: six 3×3 conv layers (16, 16, 32, 32, 64, 64
 * channels, same padding, ReLU), 2×2 max pooling after the 2nd and 4th (14 layers).
 */
export const VERMA_LAYERS: readonly Layer[] = Object.freeze(
  [16, 16, 32, 32, 64, 64].flatMap((c, i): Layer[] => [
    { kind: 'conv2d', channels: c, kernelTime: 3, kernelFreq: 3, padding: 'same' },
    { kind: 'activation', fn: 'relu' },
    ...(i === 1 || i === 3 ? [{ kind: 'pool', mode: 'max', time: 2, freq: 2 } as const] : []),
  ]),
);

/**
 * The trained networks the app ships: the stack each was trained as (the k-th layer with
 * weights takes the file's k-th tensor) and how the UI names it. The weights are
 * assets/networks/<name>.json; how they were made is the provenance file beside them.
 * instrument-cnn-v1 was trained on Verma & Smith's analysis (16 kHz, a 480-sample window
 * in a 512-point FFT, hop 160, linear front end): other analyses run, out of its training.
 */
export const TRAINED_NETWORKS: Record<TrainedNetworkName, { label: string; hint: string; layers: readonly Layer[] }> = {
  'instrument-cnn-v1': {
    label: 'trained instrument net',
    hint: 'Patterns learnt by telling the 16 General MIDI instrument families apart (FluidR3 notes, log-spectrogram at 16 kHz): Verma & Smith’s six-layer stack',
    layers: VERMA_LAYERS,
  },
};

/** Which layer outputs a statistic reads: 0 is X itself, i is the output of layer i (1-based); omitted = the last layer. */
const layerList = z.array(int(0, LIMITS.layers[1])).min(1).max(LIMITS.layers[1]);

export const StatisticsSchema = z.strictObject({
  content: z.strictObject({ layers: layerList.optional() }).default({}),
  style: z
    .strictObject({
      layers: layerList.optional(),
      /** One weight per entry of `layers` (default all 1). */
      layerWeights: z.array(finite().min(0).max(1e6)).max(LIMITS.layers[1]).optional(),
    })
    .default({}),
  energy: z.strictObject({ target: z.enum(ENERGY_TARGETS) }).default({ target: 'style' }),
  texture: z
    .strictObject({
      /** ERB-spaced bands between 20 Hz and Nyquist. */
      bands: int(4, 64),
      /** Octave-spaced modulation bands from 0.5 Hz. */
      modulationBands: int(1, 12),
      /** Envelope compression exponent (McDermott & Simoncelli: 0.3). */
      compression: finite().gt(0).max(1),
    })
    .default({ bands: 24, modulationBands: 6, compression: 0.3 }),
  envelope: z
    .strictObject({
      /** Cepstral coefficients kept by the smoothing (lower = smoother envelope). */
      coefficients: int(2, 200),
    })
    .default({ coefficients: 30 }),
});

export const PresetSchema = z
  .strictObject({
    version: z.literal(PRESET_VERSION),
    name: z.string().trim().min(1).max(80),
    /** Where the settings come from (a paper, a repository), shown next to built-ins. */
    source: z.string().max(300).optional(),
    weights: WeightsSchema,
    analysis: z.strictObject({
      /** Engine sample rate in Hz; inputs are resampled to it. */
      sampleRate: lim('sampleRate'),
      /** FFT size in samples, a power of two. */
      nFft: lim('nFft').refine(isPow2, 'must be a power of two'),
      /** Hop in samples. */
      hop: lim('hop'),
      /** Hann window length in samples (≤ nFft; the frame is zero-padded to nFft). */
      window: lim('window'),
    }),
    frontEnd: FrontEndSchema,
    network: z.strictObject({
      layers: z.array(LayerSchema).min(LIMITS.layers[0]).max(LIMITS.layers[1]),
      /** Seeds random weights and any noise (initialisation, Griffin-Lim phase). */
      seed: int(0, 0xffffffff),
      weights: z.enum(NETWORK_WEIGHTS),
    }),
    statistics: StatisticsSchema,
    optimizer: z.strictObject({
      kind: z.enum(OPTIMIZERS),
      /** The most iterations run. */
      iterations: lim('iterations'),
      learningRate: finite().gt(0).max(100),
      /**
       * Stop before `iterations` once the loss has fallen by at most `tolerance` (a fraction
       * of itself) over the last `window` iterations. Omitted: run every iteration.
       */
      plateau: z.strictObject({ window: int(1, 100), tolerance: finite().min(0).max(0.5) }).optional(),
      /**
       * L-BFGS's first step: 'unit' (omitted) at most 1 long in the 1-norm of the gradient;
       * 'loss-floor' the step that takes the loss to zero along its slope, which the line
       * search usually takes at once instead of spending about ten evaluations growing 'unit'.
       */
      firstStep: z.enum(['unit', 'loss-floor']).optional(),
    }),
    /**
     * Where X starts: the content, small seeded noise, the content through a match EQ
     * towards the style, or the note templates (the style's notes at the content's pitches).
     */
    init: z.enum(INITS),
    /**
     * "silent": the content's rests (frames 60 dB below its loudest) stay silent in the take —
     * X is held at 0 there, so no term can fill them. "free": every frame is optimised
     * (version 1's behaviour, kept for presets saved by it).
     */
    rests: z.enum(RESTS),
    griffinLim: z.strictObject({
      iterations: lim('glIterations'),
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
  .superRefine((p, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const { hop, nFft, window, sampleRate } = p.analysis;
    if (hop > nFft) issue(['analysis', 'hop'], 'hop must not exceed nFft');
    if (window > nFft) issue(['analysis', 'window'], 'the window must not be longer than nFft');
    const fe = p.frontEnd;
    if (fe.kind === 'mel' || fe.kind === 'mfcc') {
      const top = fe.fMax || sampleRate / 2;
      if (top > sampleRate / 2) issue(['frontEnd', 'fMax'], `must not exceed half the sample rate (${sampleRate / 2} Hz)`);
      if (fe.fMin >= top) issue(['frontEnd', 'fMin'], 'must be below fMax');
      if (fe.bands > nFft / 2) issue(['frontEnd', 'bands'], `at most nFft / 2 = ${nFft / 2} bands`);
      if (fe.kind === 'mfcc' && fe.coefficients > fe.bands) issue(['frontEnd', 'coefficients'], 'at most one coefficient per band');
    }
    if (fe.kind === 'logfreq' && fe.fMin * 2 > sampleRate / 2) issue(['frontEnd', 'fMin'], 'must be at least an octave below half the sample rate');
    const n = p.network.layers.length;
    for (const [term, s] of [
      ['content', p.statistics.content],
      ['style', p.statistics.style],
    ] as const) {
      for (const l of s.layers ?? []) if (l > n) issue(['statistics', term, 'layers'], `layer ${l} does not exist (the network has ${n})`);
    }
    const { layers, layerWeights } = p.statistics.style;
    if (layerWeights && layerWeights.length !== (layers ?? [n]).length) {
      issue(['statistics', 'style', 'layerWeights'], 'needs one weight per style layer');
    }
    const spectral = LOSS_TERM_TABLE.filter((t) => termNeeds(t.name) === 'frequencies' && p.weights[t.name] > 0);
    if (fe.kind === 'mfcc' && spectral.length) {
      issue(['frontEnd', 'kind'], `${spectral.map((t) => t.label.toLowerCase()).join(' and ')} need${spectral.length === 1 ? 's' : ''} a spectral front end (linear, mel or logfreq), not MFCC`);
    }
  });

export type Preset = z.infer<typeof PresetSchema>;
/** A preset document as written by hand: fields with defaults may be left out. */
export type PresetInput = z.input<typeof PresetSchema>;

/** A person-readable list of what is wrong with a candidate preset, or null if it is valid. */
export function presetProblems(candidate: unknown): string | null {
  const r = PresetSchema.safeParse(candidate);
  if (r.success) return null;
  return r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Version 1 → 2: the network {filters, kernel, activation, seed} becomes the layer list
 * [conv1d, activation], the front end is the linear STFT, the window is the FFT size, the
 * statistics are v1's (every term on the last layer, energy from the style) and every frame
 * is optimised, rests included: a v1 preset renders the same samples. Anything malformed
 * is left for the schema to report.
 */
function v1ToV2(d: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...d, version: 2, frontEnd: { kind: 'linear' }, statistics: {}, rests: 'free' };
  if (isObject(d.analysis)) out.analysis = { ...d.analysis, window: d.analysis.window ?? d.analysis.nFft };
  if (isObject(d.network)) {
    const { filters, kernel, activation, seed } = d.network;
    out.network = {
      layers: [
        { kind: 'conv1d', filters, kernel },
        { kind: 'activation', fn: activation },
      ],
      seed,
      weights: 'random',
    };
  }
  return out;
}

/**
 * Bring an older preset document up to the current version. Unknown versions (newer than
 * this build, or garbage) are refused rather than guessed at.
 * @throws Error with a readable reason.
 */
export function migratePreset(doc: unknown): Preset {
  if (!isObject(doc)) throw new Error('a preset must be a JSON object');
  let d: Record<string, unknown> = { ...doc };
  // Version 0 (unversioned drafts) had no output.peakDb and no backend.
  if (d.version === undefined || d.version === 0) {
    d.version = 1;
    if (isObject(d.output)) d.output = { peakDb: -1, ...d.output };
    if (d.backend === undefined) d.backend = 'auto';
  }
  if (d.version === 1) d = v1ToV2(d);
  if (d.version !== PRESET_VERSION) throw new Error(`unsupported preset version ${String(d.version)}`);
  const r = PresetSchema.safeParse(d);
  if (!r.success) throw new Error(presetProblems(d) ?? 'invalid preset');
  return r.data;
}

const STFT_22K = { sampleRate: 22050, nFft: 2048, hop: 512, window: 2048 } as const;
const base = {
  version: PRESET_VERSION,
  analysis: STFT_22K,
  frontEnd: { kind: 'linear' },
  statistics: {},
  rests: 'silent',
  output: { normalize: true, peakDb: -1 },
  backend: 'auto',
} as const;

/**
 * The papers' presets stop once their loss has fallen by less than 0.4 % over 10 iterations
 * instead of spending the rest of their budget on it: on the demo pair that ends them within
 * about 1 % of the loss their full budget reaches, in a quarter to a half of the iterations
 * (`npm run bench -- PACE`, bench/results/pace/).
 */
const PAPER_STOP = { window: 10, tolerance: 0.004 } as const;
/** Ulyanov's texture from noise falls by 1 % per 10 iterations within 1 % of where the 0.4 % stop ends it. */
const ULYANOV_STOP = { window: 10, tolerance: 0.01 } as const;
/** Verma & Smith's random stack still gains 0.4 % per 10 iterations 2 % above where it ends: a tighter stop. */
const VERMA_STOP = { window: 10, tolerance: 0.0025 } as const;

/**
 * The papers' presets' Griffin-Lim: 100 fast iterations from a phase that fits the magnitude
 * (the content's, or phase-gradient heap integration from noise) reach the spectral
 * convergence their 300–500 iterations from a random phase did.
 */
const PAPER_GL = { iterations: 100, momentum: 0.99 } as const;

/** Ulyanov & Lebedev's network: one wide conv1d over the bins, then an activation. */
const conv1d = (filters: number, kernel: number, fn: Activation, seed = 0): Preset['network'] => ({
  layers: [
    { kind: 'conv1d', filters, kernel },
    { kind: 'activation', fn },
  ],
  seed,
  weights: 'random',
});

/** Verma & Smith's preset, with random or trained weights. */
const vermaAndSmith = (name: string, weights: NetworkWeights, source: string, plateau: { window: number; tolerance: number }): PresetInput => ({
  ...base,
  name,
  source,
  weights: { content: 1, style: 1, energy: 1, timbre: 1 },
  analysis: { sampleRate: 16000, nFft: 512, hop: 160, window: 480 },
  network: { layers: [...VERMA_LAYERS], seed: 0, weights },
  // Layers: conv 1, relu 2, conv 3, relu 4, pool 5, conv 6, relu 7, conv 8, relu 9,
  // pool 10, conv 11, relu 12, conv 13, relu 14: style from every block, content from the top.
  statistics: { content: { layers: [14] }, style: { layers: [2, 4, 7, 9, 12, 14] } },
  optimizer: { kind: 'lbfgs', iterations: 200, learningRate: 1, plateau },
  init: 'noise',
  griffinLim: PAPER_GL,
});

/** The optimiser most of the papers use: L-BFGS, 200 iterations at learning rate 1. */
const PAPER_LBFGS = { kind: 'lbfgs', iterations: 200, learningRate: 1 } as const;

/**
 * A paper's method as a preset: its terms, network, start and optimiser (PAPER_LBFGS unless
 * `p` says otherwise), its budget a ceiling (PAPER_STOP unless `p` sets its own) and its
 * Griffin-Lim PAPER_GL (unless `p` sets its own).
 */
const paperPreset = (
  name: string,
  source: string,
  p: Pick<PresetInput, 'weights' | 'network' | 'init'> &
    Partial<Pick<PresetInput, 'frontEnd' | 'griffinLim'>> & { optimizer?: Omit<Preset['optimizer'], 'plateau'> & Partial<Pick<Preset['optimizer'], 'plateau'>> },
): PresetInput => ({ ...base, name, source, ...p, optimizer: { ...(p.optimizer ?? PAPER_LBFGS), plateau: p.optimizer?.plateau ?? PAPER_STOP }, griffinLim: p.griffinLim ?? PAPER_GL });

/**
 * Read-only presets: Gramophone's default, then the reference methods, each saying which
 * source it follows. The papers' methods keep their networks, terms and starting points;
 * their iteration budgets are ceilings (PAPER_STOP) and their Griffin-Lim is PAPER_GL.
 */
export const BUILTIN_PRESETS: readonly Preset[] = Object.freeze(
  (
    [
      {
        ...base,
        name: 'Timbre transfer',
        source:
          'Gramophone: the style instrument’s own notes moved to the content’s pitches and note times (note templates, ν), a light content term to keep the melody, reconstructed from the content’s phase',
        weights: { notes: 1, content: 0.02 },
        analysis: { sampleRate: 22050, nFft: 1024, hop: 256, window: 1024 },
        network: conv1d(256, 11, 'relu', 1),
        optimizer: { kind: 'lbfgs', iterations: 30, learningRate: 1 },
        init: 'notes',
        griffinLim: { iterations: 100, momentum: 0.99 },
      },
      {
        ...base,
        name: 'Quick preview',
        source:
          'Gramophone: the content through a match EQ towards the style, then five steps of a small network’s style term and 16 Griffin-Lim steps from the content’s phase: the melody stays, a rough timbre in a few seconds',
        weights: { content: 0.2, style: 1, energy: 0.1, timbre: 0.1 },
        analysis: { sampleRate: 22050, nFft: 1024, hop: 256, window: 1024 },
        network: conv1d(256, 11, 'relu', 1),
        optimizer: { kind: 'lbfgs', iterations: 5, learningRate: 1 },
        init: 'matchEq',
        griffinLim: { iterations: 16, momentum: 0.99 },
      },
      paperPreset(
        'Ulyanov texture',
        'Ulyanov & Lebedev 2016, "Audio texture synthesis and style transfer": 4096 random filters of width 11, L-BFGS from noise, Griffin-Lim (160 steps from a phase-gradient start here, for their 500 from a random one)',
        {
          weights: { content: 0.01, style: 1, energy: 0, timbre: 0 },
          network: conv1d(4096, 11, 'relu'),
          optimizer: { kind: 'lbfgs', iterations: 300, learningRate: 1, plateau: ULYANOV_STOP, firstStep: 'loss-floor' },
          init: 'noise',
          // 60 more than PAPER_GL (0.5 s of CPU): the earlier stop leaves a magnitude that 100
          // steps fit 0.5 dB worse than the first measured take's; 160 keep it within that.
          griffinLim: { ...PAPER_GL, iterations: 160 },
        },
      ),
      paperPreset('Grinstein content-init', 'Grinstein, Duong, Ozerov & Pérez, ICASSP 2018: a shallow random network, style loss only, optimisation started from the content', {
        weights: { content: 0, style: 1, energy: 0, timbre: 0 },
        network: conv1d(4096, 11, 'relu'),
        // PAPER_LBFGS, not 'loss-floor': its 9 evaluations saved leave the loss 2.4 % above at 200 iterations.
        init: 'content',
      }),
      paperPreset(
        'Verma timbre',
        'Verma & Smith 2018, "Neural style transfer for audio spectrograms": content, style, temporal energy and timbral envelope terms, from noise (on a conv1d network; see "Verma & Smith" for their own network)',
        {
          weights: { content: 1, style: 1, energy: 1, timbre: 1 },
          network: conv1d(2048, 11, 'relu'),
          init: 'noise',
        },
      ),
      paperPreset('IITB tanh', 'IIT Bombay audio style transfer notebooks: tanh features, content + style, from noise (on a linear STFT; see "IITB mel tanh" for their best front end)', {
        weights: { content: 1, style: 1, energy: 0, timbre: 0 },
        network: conv1d(4096, 11, 'tanh'),
        init: 'noise',
      }),
      paperPreset(
        'alishdipani conv1d',
        'alishdipani/Neural-Style-Transfer-Audio: conv1d of width 3 with no activation, Adam from the content, style loss only (their learning rate 0.03 for 300 steps; 0.05 for 200 here reaches a lower loss)',
        {
          weights: { content: 0, style: 1, energy: 0, timbre: 0 },
          network: conv1d(4096, 3, 'none'),
          // Not L-BFGS: its 30 steps reach half this loss, but so far from the content that
          // Griffin-Lim's spectral convergence falls by 3 dB; Adam's small steps keep it.
          optimizer: { kind: 'adam', iterations: 200, learningRate: 0.05 },
          init: 'content',
        },
      ),
      vermaAndSmith(
        'Verma & Smith',
        'random',
        'Verma & Smith 2018: 16 kHz, 30 ms window, 10 ms hop, FFT 512; six 3×3 conv layers with 2×2 max pooling (random weights here); content, style, energy and timbre terms; from noise',
        VERMA_STOP,
      ),
      vermaAndSmith(
        'Verma & Smith (trained)',
        'instrument-cnn-v1',
        'Verma & Smith 2018 with their kind of network: the same six-layer stack trained to tell instrument families apart (assets/networks/instrument-cnn-v1, FluidR3 notes); content, style, energy and timbre terms; from noise',
        PAPER_STOP,
      ),
      paperPreset('IITB mel tanh', 'Jain & Raj (IIT Bombay) 2019: 128-band log-mel front end, one Conv2D layer with tanh, content + style, from noise, Griffin-Lim', {
        weights: { content: 1, style: 1, energy: 0, timbre: 0 },
        frontEnd: { kind: 'mel', bands: 128, fMin: 0, fMax: 0 },
        network: {
          layers: [
            { kind: 'conv2d', channels: 64, kernelTime: 3, kernelFreq: 3, padding: 'same' },
            { kind: 'activation', fn: 'tanh' },
          ],
          seed: 0,
          weights: 'random',
        },
        init: 'noise',
      }),
      paperPreset(
        'McDermott texture (Grinstein)',
        'Grinstein et al. 2018 with McDermott & Simoncelli 2011 texture statistics (ERB band envelopes, moments, correlations, modulation power): style only, from the content',
        {
          weights: { content: 0, style: 0, energy: 0, timbre: 0, texture: 1 },
          network: conv1d(64, 1, 'relu'),
          init: 'content',
        },
      ),
    ] satisfies PresetInput[]
  ).map((p) => Object.freeze(PresetSchema.parse(p))),
) as readonly Preset[];

/** The preset a fresh workstation starts with. */
export const DEFAULT_PRESET_NAME = 'Timbre transfer';

/** Whether `preset` plays a note template (its `notes` term's target, or its start): then a render transcribes both inputs. */
export const usesNoteTemplate = (preset: Preset): boolean => preset.weights.notes > 0 || preset.init === 'notes';

/** Look up a built-in by name (case-insensitive); undefined if none. */
export const builtinPreset = (name: string): Preset | undefined => BUILTIN_PRESETS.find((p) => p.name.toLowerCase() === name.trim().toLowerCase());
