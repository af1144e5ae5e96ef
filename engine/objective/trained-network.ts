/**
 * Trained feature networks shipped with the app (assets/networks/, `TRAINED_NETWORKS` in
 * common/preset.ts): reading and checking their weight files.
 *
 * The file format (assets/networks/README.md): one JSON object
 *   { format: 'gramophone-network', version: 1, name, input: {…analysis…}, layers: [...],
 *     tensors: [{ shape: number[], data: base64 of little-endian float32, row-major }, …] }
 * with one tensor per layer that has weights, in layer order, in the engine's layouts
 * (conv2d: out channels × in channels × kernelTime × kernelFreq, as PyTorch and ONNX store it).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GramophoneError } from '../../common/errors';
import type { TrainedNetworkName } from '../../common/preset';

/** One tensor of a trained network: row-major float32 data of `shape`. */
export interface TrainedTensor {
  shape: number[];
  data: Float32Array;
}

const FORMAT = 'gramophone-network';
const VERSION = 1;

/**
 * The folder holding the networks, in the source layout (engine/objective/ → ../../assets)
 * and in every built one (dist/engine/, dist/bench/ → ../../assets; a packaged app unpacks
 * assets/networks beside dist/engine).
 */
export function networksDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const up of ['..', '../..', '../../..']) {
    const dir = path.resolve(here, up, 'assets/networks');
    if (existsSync(dir)) return dir;
  }
  throw new GramophoneError('IO_ERROR', 'The trained networks (assets/networks/) were not found next to the program');
}

const cache = new Map<string, TrainedTensor[]>();

const bad = (file: string, why: string) => new GramophoneError('INVALID_INPUT', `The trained network file ${file} is damaged: ${why}`);
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Parse and check a weight file's text: the format and version, and every tensor's shape
 * (positive whole numbers) against the byte length of its data.
 * @throws GramophoneError INVALID_INPUT naming the file and what is wrong
 */
export function parseTrainedNetwork(text: string, file: string): TrainedTensor[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw bad(file, 'it is not JSON');
  }
  if (!isObject(doc) || doc.format !== FORMAT) throw bad(file, `it is not a "${FORMAT}" file`);
  if (doc.version !== VERSION) throw bad(file, `version ${String(doc.version)} is not the version this build reads (${VERSION})`);
  if (!Array.isArray(doc.tensors) || doc.tensors.length === 0) throw bad(file, 'it holds no tensors');
  return doc.tensors.map((t: unknown, k: number) => {
    const where = `tensor ${k + 1}`;
    if (!isObject(t) || !Array.isArray(t.shape) || typeof t.data !== 'string') throw bad(file, `${where} needs a shape and base64 data`);
    const shape = t.shape as unknown[];
    if (shape.length === 0 || !shape.every((d): d is number => Number.isInteger(d) && (d as number) > 0)) throw bad(file, `${where} has the shape ${JSON.stringify(shape)}`);
    const size = shape.reduce((a, b) => a * b, 1);
    const bytes = Buffer.from(t.data, 'base64');
    if (bytes.length !== size * 4) throw bad(file, `${where} of shape [${shape.join(', ')}] needs ${size * 4} bytes of float32 data, it has ${bytes.length}`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const data = Float32Array.from({ length: size }, (_v, i) => view.getFloat32(4 * i, true));
    if (!data.every(Number.isFinite)) throw bad(file, `${where} holds values that are not finite numbers`);
    return { shape, data };
  });
}

/**
 * The tensors of a shipped trained network, read once per process.
 * @throws GramophoneError IO_ERROR when the file cannot be read, INVALID_INPUT when it is damaged
 */
export function trainedTensors(name: TrainedNetworkName): TrainedTensor[] {
  let tensors = cache.get(name);
  if (!tensors) {
    const file = path.join(networksDir(), `${name}.json`);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new GramophoneError('IO_ERROR', `The trained network "${name}" could not be read (${file}): ${e instanceof Error ? e.message : String(e)}`);
    }
    tensors = parseTrainedNetwork(text, `${name}.json`);
    cache.set(name, tensors);
  }
  return tensors;
}
