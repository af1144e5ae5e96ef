/**
 * The polyphonic note transcriber's trained network: Spotify's Basic Pitch (Bittner et al.,
 * ICASSP 2022) as the TensorFlow.js graph model shipped in the `@spotify/basic-pitch` npm
 * package (Apache-2.0; provenance in basic-pitch.provenance.md beside this file). It is read
 * from the package's own files and handed to tfjs from memory: no network, no fetch.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { GramophoneError } from '../../common/errors';
import { loadTf, type Tf } from '../objective/tfjs/load-tf';

/** The graph model's files and their SHA-256 as published in @spotify/basic-pitch 1.0.1. */
export const BASIC_PITCH_FILES = {
  'model.json': '1ed1aaee3409ec1dc098c8b01f430c0911f6fe9412e7af8086750f9e8f302f68',
  'group1-shard1of1.bin': 'b142a95737a52e1e412d5f92e73d8bb80dfe8d04941acc0702f11f4524fb377c',
} as const;

/** What the network is fed and what it gives back (the package's constants). */
export const MODEL_SAMPLE_RATE = 22050;
/** Samples per network frame (its CQT hop): 86.13 frames per second. */
export const MODEL_HOP = 256;
/** Samples in one window the network reads: 2 s less one hop. */
export const MODEL_WINDOW = 2 * MODEL_SAMPLE_RATE - MODEL_HOP;
/** Frames out per window; pitch rows (MIDI 21–108) in the note and onset outputs; contour bins (3 per semitone). */
export const MODEL_FRAMES = 172;
export const MODEL_PITCHES = 88;
export const MODEL_CONTOUR_BINS = 264;
/** Output names of the note (frame activation), onset and contour posteriorgrams. */
const OUTPUTS = { note: 'Identity_1', onset: 'Identity_2', contour: 'Identity' } as const;

/** A loaded transcription network: one window batch in, three posteriorgrams out. */
export interface TranscriberModel {
  tf: Tf;
  /**
   * Run windows of MODEL_WINDOW samples (`windows` × MODEL_WINDOW, row-major) through the network.
   * @returns per window, MODEL_FRAMES rows each of note and onset (× MODEL_PITCHES) and contour (× MODEL_CONTOUR_BINS) posteriors in [0, 1]
   */
  run(windows: Float32Array, count: number): Promise<{ note: Float32Array; onset: Float32Array; contour: Float32Array }>;
}

/** The folder of the shipped model inside the installed package. */
export function basicPitchModelDir(): string {
  try {
    const require = createRequire(import.meta.url);
    return path.join(path.dirname(require.resolve('@spotify/basic-pitch/package.json')), 'model');
  } catch {
    throw new GramophoneError('INTERNAL', 'The note transcriber is missing: the @spotify/basic-pitch package (its model) is not installed with the program');
  }
}

const damaged = (dir: string, why: string) => new GramophoneError('INVALID_INPUT', `The note transcriber's model in ${dir} is damaged: ${why}`);

function readModelFile(dir: string, name: keyof typeof BASIC_PITCH_FILES): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path.join(dir, name));
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : `cannot be read (${(e as Error).message})`;
    throw new GramophoneError('INTERNAL', `The note transcriber's model file ${name} in ${dir} ${why}; reinstall the program`);
  }
  const sha = createHash('sha256').update(bytes).digest('hex');
  // The hash catches truncation and bit rot that tfjs would load silently as wrong weights.
  if (sha !== BASIC_PITCH_FILES[name]) throw damaged(dir, `${name} (${bytes.length} bytes) is not the published file (its SHA-256 differs)`);
  return bytes;
}

const cache = new Map<string, Promise<TranscriberModel>>();

/**
 * The transcription network from `dir` (default: the installed package's), loaded once per
 * process and folder on the project's tfjs backend.
 * @throws GramophoneError INTERNAL when a file is missing, INVALID_INPUT when one is damaged
 */
export function loadTranscriberModel(dir = basicPitchModelDir()): Promise<TranscriberModel> {
  let model = cache.get(dir);
  if (!model) {
    model = loadModel(dir);
    cache.set(dir, model);
    model.catch(() => cache.delete(dir));
  }
  return model;
}

async function loadModel(dir: string): Promise<TranscriberModel> {
  const json = readModelFile(dir, 'model.json');
  const weights = readModelFile(dir, 'group1-shard1of1.bin');
  let artifacts: { modelTopology: object; weightsManifest: { weights: unknown[] }[] };
  try {
    artifacts = JSON.parse(json.toString('utf8'));
  } catch {
    throw damaged(dir, 'model.json is not JSON');
  }
  const { tf } = await loadTf();
  // The union package re-exports the converter's loader (and is the dependency we list).
  const { loadGraphModel } = await import('@tensorflow/tfjs');
  const handler = tf.io.fromMemory({
    modelTopology: artifacts.modelTopology,
    weightSpecs: artifacts.weightsManifest.flatMap((g) => g.weights) as never,
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
  });
  let graph: Awaited<ReturnType<typeof loadGraphModel>>;
  try {
    graph = await loadGraphModel(handler);
  } catch (e) {
    throw damaged(dir, `tfjs could not build the graph (${(e as Error).message.split('\n')[0]})`);
  }
  return {
    tf,
    async run(windows, count) {
      const outs = tf.tidy(() => {
        const input = tf.tensor3d(windows, [count, MODEL_WINDOW, 1]);
        return graph.execute(input, [OUTPUTS.note, OUTPUTS.onset, OUTPUTS.contour]) as import('@tensorflow/tfjs-core').Tensor[];
      });
      try {
        const [note, onset, contour] = await Promise.all(outs.map((t) => t.data() as Promise<Float32Array>));
        return { note, onset, contour };
      } finally {
        for (const t of outs) t.dispose();
      }
    },
  };
}
