/**
 * How much memory one render (engine/render/render.ts) takes at its peak, estimated from the preset
 * and the lengths of its inputs before it starts, so a job can be cut into segments that fit
 * the budget (chunked.ts) or refused with a length that would fit.
 *
 * The estimate is a sum of the buffers the job holds at once, in bytes (4 per float32):
 *
 *   base                      the engine process before the job (runtime, libraries)
 * + files + 32·Nc + 8·Ns      the input files, the decoded mono inputs, the take (decoded,
 *                             Griffin-Lim's padded signal and overlap gain, the output and
 *                             its normalised copy): Nc content, Ns style samples
 * + W                         every layer's weights (a conv1d of K > 1 is held in its
 *                             spectral form, L/K times W; onnx/spectral-conv.ts)
 * + G                         style Gram matrices: per style layer of N channels, GRAM_COPIES
 *                             of N × N, or of r × (r + rs) when the "frames" form is cheaper
 *                             (r, rs the take's and the style's positions; onnx/style-gram.ts)
 * + T · 4 · ( ROWS · Fx       per content frame: X-sized rows (Fx front-end bins each) — the
 *             + OPT · Fx      render's own copies, the graph's temporaries on X — the
 *             + 2 · Fs        optimiser's vectors (L-BFGS: 9 + 2·history; Adam: 7), the
 *             + ACT · A       content's STFT (Fs = nFft/2 + 1 bins), and the network's outputs
 *             + SPECTRAL · S )  with their gradients (A values per frame over all layers; S of
 *                             them from conv1d layers of K > 1, which also hold their blocks)
 * + 4 · QUAD · (T² + Ts²)     the texture statistic's modulation DFT (two T/2 × T matrices,
 *                             built whenever the front end serves it, whatever its weight;
 *                             the style's for its target)
 * + Ts · 4 · 3·Fx             the style's analysis (its STFT and X), held for the whole job.
 *
 * ROWS, ACT, SPECTRAL, QUAD and FIXED (with GRAM_COPIES set at 4: the target, the take's
 * matrix, the residual and its gradient) are the graph's and the allocator's share,
 * measured: the peak RSS of 38 renders — every built-in preset at 10, 30 and 60 s and
 * single-layer variants (conv1d of 64–4096 filters, widths 1–11, FFT 512–4096; conv2d of 16
 * and 16+32 channels; Adam) at 20 and 40 s — in a child process
 * (test/fixtures/render/render-peak-rss.ts), fitted by least squares on the relative error:
 * 7.4 % RMS, 22 % at worst (a two-layer conv2d, under; every built-in within 18 %).
 * memory.test.ts holds built-ins to ±30 %. The quadratic term and the weight-0 terms it
 * comes from are the objective's (engine/objective/statistics/texture.ts): segments of a
 * long file keep T, and so T², bounded.
 */
import type { Preset } from '../../common/preset';
import { createFrontEnd } from '../objective/front-ends';
import { networkLayouts, minimumFrames } from '../objective/network';
import { valuesPerFrame, type Layout } from '../objective/layout';
import { layerModule } from '../objective/layers';
import { STATISTICS, type StatisticModule } from '../objective/statistics';
import { termNeeds } from '../../common/loss-terms';
import { gramMode } from '../objective/onnx/style-gram';

/** The measured constants of the model (see the file comment). */
export const MEMORY_MODEL = {
  /** X-sized rows per content frame besides the optimiser's. */
  rows: 8.3,
  /** Multiples of the network's output values per frame (every layer's output, its gradient, the graph's temporaries). */
  act: 4.6,
  /** More multiples of a conv1d's output values when it runs in blocks in the frequency domain (K > 1). */
  spectral: 13.4,
  /** Copies of the texture statistic's two T/2 × T DFT matrices. */
  quad: 1.7,
  /** N × N (or r × (r + rs)) matrices per style layer. */
  gramCopies: 4,
  /** Fixed bytes of every job beyond weights and Grams (graphs, sessions, arenas). */
  fixed: 68 * 2 ** 20,
};
export type MemoryModel = typeof MEMORY_MODEL;

/** What a render is given: lengths of its inputs at the preset's rate, and its files' sizes. */
export interface RenderInputs {
  /** Content samples at the analysis rate (after any region crop). */
  contentSamples: number;
  /** Style samples at the analysis rate. */
  styleSamples: number;
  /** Bytes of the content and style files the job holds (0 when they are read and dropped). */
  fileBytes?: number;
}

/** An estimate, in bytes, with its parts (for messages and the bench). */
export interface MemoryEstimate {
  total: number;
  base: number;
  /** Files, decoded inputs and the take. */
  samples: number;
  weights: number;
  grams: number;
  /** Per-frame buffers (linear in the content's length). */
  frames: number;
  /** The texture statistic's DFT (quadratic in the content's length). */
  quadratic: number;
  style: number;
  fixed: number;
}

/** The engine process's own memory before a job: the runtime and the backends' libraries. */
export const ENGINE_BASE_BYTES = 240 * 2 ** 20;

/** Frames of a centred STFT of `samples` at `hop` (engine/dsp/stft.ts's count). */
const framesOf = (samples: number, hop: number) => Math.floor(samples / hop) + 1;

/** The network's per-frame output values, its weights in bytes, and its style layers' channels and positions. */
function networkCosts(preset: Preset, bins: number, frames: number, styleFrames: number) {
  const net = preset.network;
  const fit = Math.max(frames, minimumFrames(net));
  const layouts = networkLayouts(net, fit, bins);
  const styleLayouts = networkLayouts(net, Math.max(styleFrames, minimumFrames(net)), bins);
  let act = 0;
  let spectral = 0;
  let weights = 0;
  net.layers.forEach((layer, i) => {
    const input = layouts[i];
    const output = layouts[i + 1];
    // Values per input frame, so pooling along time counts what it keeps.
    const perFrame = (l: Layout) => (valuesPerFrame(l) * l.frames) / fit;
    const cost = layerModule(layer).memory(layer, input);
    weights += cost.weightBytes;
    act += perFrame(output);
    if (cost.spectralOutput) spectral += perFrame(output);
  });
  // Gram statistics are computed (for the take's report) whatever their weight.
  const gramLayers = Object.values(STATISTICS).flatMap((m) => (m.gram ? m.reads(preset, net.layers.length).map((r) => r.layer) : []));
  const styleLayers = gramLayers.map((l) => {
    const take = layouts[l];
    const style = styleLayouts[l];
    const positions = (x: Layout) => (x.kind === 'seq' ? x.frames : x.frames * x.bins);
    return { channels: take.channels, rows: positions(take), styleRows: positions(style) };
  });
  return { act, spectral, weights, styleLayers };
}

/**
 * The peak memory of one render of these inputs with `preset`, in bytes.
 * @param base the engine's own memory before the job (default ENGINE_BASE_BYTES; the engine
 *   passes its current resident size)
 */
export function renderMemory(preset: Preset, inputs: RenderInputs, base = ENGINE_BASE_BYTES, model: MemoryModel = MEMORY_MODEL): MemoryEstimate {
  const { nFft, hop } = preset.analysis;
  const frontEnd = createFrontEnd(preset);
  const fx = frontEnd.bins;
  const fs = nFft / 2 + 1;
  const T = framesOf(inputs.contentSamples, hop);
  const Ts = framesOf(inputs.styleSamples, hop);
  const net = networkCosts(preset, fx, T, Ts);
  const optimiserRows = preset.optimizer.kind === 'adam' ? 7 : 9 + 2 * 10;
  const frames = 4 * T * ((model.rows + optimiserRows) * fx + 2 * fs + model.act * net.act + model.spectral * net.spectral);
  let grams = 0;
  for (const l of net.styleLayers) {
    const mode = gramMode(l.rows, l.styleRows, l.channels);
    grams += 4 * model.gramCopies * (mode === 'frames' ? l.rows * (l.rows + l.styleRows) : l.channels * l.channels);
  }
  // Statistics of frames × frames values are computed when they are weighted and the front
  // end serves them: for the take, and once for the style's target.
  const servable = (m: StatisticModule) => preset.weights[m.term] > 0 && (termNeeds(m.term) !== 'frequencies' || frontEnd.binHz !== null);
  const quadratic = Object.values(STATISTICS).some((m) => m.framesSquared && servable(m)) ? 4 * model.quad * (T * T + Ts * Ts) : 0;
  const samples = (inputs.fileBytes ?? 0) + 32 * inputs.contentSamples + 8 * inputs.styleSamples;
  const style = 4 * Ts * (2 * fs + fx);
  const total = base + samples + net.weights + grams + frames + quadratic + style + model.fixed;
  return { total, base, samples, weights: net.weights, grams, frames, quadratic, style, fixed: model.fixed };
}
