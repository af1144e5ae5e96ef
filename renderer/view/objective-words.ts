/**
 * What the Advanced section says about the objective's settings, in a musician's words: a
 * label and a tooltip for every choice and field, and the layer stacks offered as starting
 * points. Plain data, so tests can check every field has its words.
 */
import type { Activation, FrontEnd, Layer, Preset } from '../../common/preset';
import { FRONT_ENDS, VERMA_LAYERS } from '../../common/preset';

/** Menu names and tooltips of the front ends. */
export const FRONT_END_WORDS: Record<(typeof FRONT_ENDS)[number], { label: string; hint: string }> = {
  linear: { label: 'Linear spectrogram', hint: 'Every FFT bin, equally spaced in Hz: the most detail, and the method of Ulyanov & Lebedev' },
  mel: { label: 'Mel bands', hint: 'Bands spaced like pitch perception (narrow low, wide high): less fine detail up top; Jain & Raj found it best' },
  mfcc: { label: 'MFCC', hint: 'A smoothed outline of each moment’s spectrum (cepstrum of mel bands): keeps the colour, loses pitch detail' },
  logfreq: { label: 'Log-frequency (constant-Q)', hint: 'Bins a fixed fraction of an octave apart, so a melody is a shift: lets a 2-D network move the style’s timbre to the content’s notes' },
};

/** Field tooltips, by the preset path they edit (numbers in paths stand for any layer). */
export const FIELD_HINTS: Record<string, string> = {
  'analysis.sampleRate': 'The rate the engine works at: higher keeps more treble, costs more time',
  'analysis.nFft': 'FFT size: larger resolves pitch more finely but smears fast attacks',
  'analysis.hop': 'Step between frames: smaller follows fast changes better, costs more time',
  'analysis.window': 'Window length (at most the FFT size): Verma & Smith use 30 ms inside a 512-point FFT',
  'frontEnd.bands': 'How many bands cover the range: more keeps more detail',
  'frontEnd.fMin': 'Lowest frequency the bands cover',
  'frontEnd.fMax': 'Highest frequency the bands cover (0 = half the sample rate)',
  'frontEnd.coefficients': 'How much detail of each moment’s outline is kept: fewer = smoother, less pitch',
  'frontEnd.binsPerOctave': 'Bins per octave: 12 is one per semitone; more separates close partials',
  'network.seed': 'Picks the random network and noise: another seed gives another take of the same settings',
  'network.weights': 'Random patterns drawn from the seed, or patterns a network learnt by telling instruments apart (it sets the stack it was trained as)',
  'layer.conv1d.filters': 'How many patterns the layer looks for: more captures more texture, costs more time',
  'layer.conv1d.kernel': 'How many frames each pattern spans: wider hears longer gestures',
  'layer.conv2d.channels': 'How many time-frequency patterns the layer looks for',
  'layer.conv2d.kernelTime': 'Pattern height in frames (time)',
  'layer.conv2d.kernelFreq': 'Pattern width in bins (frequency)',
  'layer.conv2d.padding': '"same" keeps the map’s size; "valid" shrinks it by the pattern size',
  'layer.activation.fn': 'How the layer responds: ReLU keeps only positive matches; tanh saturates; none is linear',
  'layer.pool.mode': 'Max keeps the strongest match in each block; average blurs them',
  'layer.pool.time': 'Frames merged per block: coarser time from here on',
  'layer.pool.freq': 'Bins (or channels) merged per block: coarser frequency from here on',
  'statistics.content.layers': 'Which layers the content term compares: deeper layers keep the shape of what is played, not its exact colour',
  'statistics.style.layers': 'Which layers the style term takes textures from: several layers capture fine and coarse texture',
  'statistics.energy.target': 'Whose loudness curve the energy term follows: the content’s keeps its rhythm; the style’s is stretched over the take',
  'statistics.texture.bands': 'Auditory (ERB) bands the texture statistics measure',
  'statistics.texture.modulationBands': 'Octave bands of loudness fluctuation measured from 0.5 Hz (tremolo, flutter, rhythm)',
  'statistics.texture.compression': 'How much band loudness is compressed before measuring, as the ear does (0.3)',
  'statistics.envelope.coefficients': 'Detail of the spectral envelope given to every moment: fewer = broad resonances only',
  rests: 'Keep the content’s rests silent, or let the style fill them',
  'optimizer.kind': 'How the spectrogram is pushed towards the targets: L-BFGS (the papers’ choice) settles in fewer steps; Adam moves more gently and can be steadier with odd settings',
  'optimizer.iterations': 'How many steps the optimiser takes: more moves the take further from the content towards the style, and takes longer',
  'optimizer.learningRate': 'Step size for Adam (L-BFGS finds its own): too large makes the take noisy, too small changes little',
  init: 'Where the take starts: from the content it keeps its shape and timing; from noise the style can take over more; an EQ’d content starts with the style’s colour already',
  backend: 'Which engine computes the objective: the same sound either way; ONNX Runtime is usually faster',
  'griffinLim.iterations': 'How long the phase is reconstructed: more gives a cleaner, less phasey sound, and takes longer',
  'griffinLim.momentum': 'Speeds up the phase reconstruction (0.99 is fast Griffin-Lim); 0 is the classic, slower method',
  'output.normalize': 'Raise or lower the take so its loudest peak sits at the level below',
  'output.peakDb': 'The loudest peak of a normalised take, in dB below full scale',
};

/** Short names of preset fields, by path (numbers in paths stand for any layer): Advanced labels, diffs, problems. */
export const FIELD_LABELS: Record<string, string> = {
  'analysis.sampleRate': 'Sample rate',
  'analysis.nFft': 'FFT size',
  'analysis.hop': 'Hop',
  'analysis.window': 'Window',
  'frontEnd.kind': 'Front end',
  'frontEnd.bands': 'Bands',
  'frontEnd.fMin': 'Lowest frequency',
  'frontEnd.fMax': 'Highest frequency',
  'frontEnd.coefficients': 'Coefficients',
  'frontEnd.binsPerOctave': 'Bins per octave',
  'network.layers': 'Layers',
  'network.seed': 'Seed',
  'layer.conv1d.filters': 'Filters',
  'layer.conv1d.kernel': 'Width',
  'layer.conv2d.channels': 'Channels',
  'layer.conv2d.kernelTime': 'Pattern frames',
  'layer.conv2d.kernelFreq': 'Pattern bins',
  'layer.conv2d.padding': 'Padding',
  'layer.activation.fn': 'Activation',
  'layer.pool.mode': 'Pooling',
  'layer.pool.time': 'Pool frames',
  'layer.pool.freq': 'Pool bins',
  'statistics.content.layers': 'Content layers',
  'statistics.style.layers': 'Style layers',
  'statistics.style.layerWeights': 'Style layer weights',
  'statistics.energy.target': 'Loudness curve from',
  'statistics.texture.bands': 'Texture bands',
  'statistics.texture.modulationBands': 'Modulation bands',
  'statistics.texture.compression': 'Compression',
  'statistics.envelope.coefficients': 'Envelope detail',
  rests: 'Rests',
  'optimizer.kind': 'Method',
  'optimizer.iterations': 'Iterations',
  'optimizer.learningRate': 'Learning rate',
  init: 'Start from',
  backend: 'Backend',
  'griffinLim.iterations': 'Griffin-Lim iterations',
  'griffinLim.momentum': 'Griffin-Lim momentum',
  'output.normalize': 'Normalise',
  'output.peakDb': 'Peak',
  name: 'Name',
  version: 'Version',
};

export const ACTIVATION_NAMES: Record<Activation, string> = { relu: 'ReLU', selu: 'SELU', tanh: 'tanh', leakyRelu: 'leaky ReLU', none: 'none (linear)' };
export const LAYER_NAMES: Record<Layer['kind'], string> = { conv1d: 'Conv 1-D (over time)', conv2d: 'Conv 2-D (time × frequency)', activation: 'Activation', pool: 'Pooling' };

/** A new layer of each kind, with sensible settings. */
export const NEW_LAYER: Record<Layer['kind'], Layer> = {
  conv1d: { kind: 'conv1d', filters: 512, kernel: 11 },
  conv2d: { kind: 'conv2d', channels: 32, kernelTime: 3, kernelFreq: 3, padding: 'same' },
  activation: { kind: 'activation', fn: 'relu' },
  pool: { kind: 'pool', mode: 'max', time: 2, freq: 2 },
};

/** Whole stacks to start from, after the seeds' papers. */
export const LAYER_STACKS: { label: string; hint: string; layers: Layer[] }[] = [
  {
    label: 'One wide conv 1-D (Ulyanov & Lebedev)',
    hint: 'One layer of random patterns over time: the classic texture network',
    layers: [
      { kind: 'conv1d', filters: 4096, kernel: 11 },
      { kind: 'activation', fn: 'relu' },
    ],
  },
  { label: 'One conv 2-D with tanh (Jain & Raj)', hint: 'Small time-frequency patterns with a soft response', layers: [NEW_LAYER.conv2d, { kind: 'activation', fn: 'tanh' }] },
  {
    label: 'Six 3×3 conv 2-D with pooling (Verma & Smith)',
    hint: 'A deep stack that hears coarser and coarser shapes',
    layers: [...VERMA_LAYERS],
  },
];

/** "Layer 3: Conv 2-D (time × frequency)", as the statistics' layer pickers name layers. */
export const layerName = (layers: readonly Layer[], index: number): string => (index === 0 ? 'the spectrogram itself' : `${index} · ${LAYER_NAMES[layers[index - 1].kind]}`);

/** Default settings when switching front end (the preset keeps what it can). */
export function frontEndOf(kind: FrontEnd['kind'], preset: Preset): FrontEnd {
  const cur = preset.frontEnd;
  const bands = 'bands' in cur ? cur.bands : 128;
  switch (kind) {
    case 'linear':
      return { kind };
    case 'mel':
      return { kind, bands, fMin: 0, fMax: 0 };
    case 'mfcc':
      return { kind, bands, coefficients: Math.min(bands, 40), fMin: 0, fMax: 0 };
    case 'logfreq':
      return { kind, binsPerOctave: 24, fMin: 55 };
  }
}
