/**
 * Real FFT plans. PFFFT compiled to wasm with SIMD (@echogarden/pffft-wasm) is the fast
 * path: measured about 8× faster than fft.js for 2048-point real transforms on these
 * machines (2.2 µs vs 20 µs). Sizes PFFFT cannot do (not 32·2^a·3^b·5^c) fall back to a
 * direct DFT, which only makes sense for the small sizes tests use.
 *
 * The module is loaded once per thread with top-level await, so `stft`/`istft` can stay
 * synchronous. Every thread runs the same code on the same data, so results are
 * bit-identical whichever thread computes a frame.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { PffftModule, PffftModuleFactory } from '@echogarden/pffft-wasm';
import { GramophoneError } from '../../common/errors';
import { GL_KERNELS_WASM_BASE64 } from './wasm/gl-kernels';

/** The SIMD Griffin-Lim loops of wasm/gl-kernels.wat, working on PFFFT's heap. */
export interface GlKernels {
  /** dst[i] = src[i]·win[i], i < n (multiple of 4); byte offsets. */
  mulInto(src: number, win: number, dst: number, n: number): void;
  /** Fast Griffin-Lim update of bins 1 … half−1 in packed layout (see gl-kernels.wat). */
  glBins(reb: number, tp: number, mag: number, spec: number, half: number, coef: number): void;
}

// The project's Node typings omit WebAssembly; this is the little of it used here.
type WasmModule = object;
type WasmInstance = { exports: Record<string, unknown> };
const wasm = (
  globalThis as unknown as {
    WebAssembly: {
      Module: new (bytes: Uint8Array) => WasmModule;
      Instance: new (module: WasmModule, imports: object) => WasmInstance;
      Memory: abstract new (...args: never[]) => object;
    };
  }
).WebAssembly;

interface Loaded {
  mod: PffftModule;
  name: string;
  kernels: GlKernels | null;
}

/**
 * PFFFT with its wasm memory in hand: we instantiate its module ourselves (Emscripten's
 * documented `instantiateWasm` hook) so our SIMD kernels can import the same memory.
 */
async function loadWithKernels(factory: PffftModuleFactory, specifier: string): Promise<Loaded & { kernels: GlKernels }> {
  const wasmPath = path.join(path.dirname(createRequire(import.meta.url).resolve(specifier)), 'pffft.wasm');
  let memory: unknown;
  const mod = await factory({
    instantiateWasm(imports: object, receive: (i: WasmInstance, m: WasmModule) => void) {
      const module = new wasm.Module(readFileSync(wasmPath));
      const instance = new wasm.Instance(module, imports);
      memory = Object.values(instance.exports).find((e) => e instanceof wasm.Memory);
      receive(instance, module);
      return instance.exports;
    },
  });
  if (!memory) throw new Error('PFFFT exports no memory');
  const kernelModule = new wasm.Module(Buffer.from(GL_KERNELS_WASM_BASE64, 'base64'));
  const kernels = new wasm.Instance(kernelModule, { env: { memory } }).exports as unknown as GlKernels;
  return { mod, name: 'pffft-wasm-simd', kernels };
}

async function loadPffft(): Promise<Loaded> {
  const simd = (await import('@echogarden/pffft-wasm/simd')).default;
  try {
    return await loadWithKernels(simd, '@echogarden/pffft-wasm/simd');
  } catch {
    // Bundled somewhere the .wasm cannot be found by path: PFFFT alone, kernels in JS.
  }
  try {
    return { mod: await simd(), name: 'pffft-wasm-simd', kernels: null };
  } catch {
    // A runtime without wasm SIMD still gets PFFFT's scalar build.
    const scalar = (await import('@echogarden/pffft-wasm')).default;
    return { mod: await scalar(), name: 'pffft-wasm', kernels: null };
  }
}

const loaded = await loadPffft();
const pffft = loaded.mod;

/** SIMD kernels sharing PFFFT's heap, or null when they could not be loaded in this thread. */
export const glKernels: GlKernels | null = loaded.kernels;

/** The wasm heap as floats (re-read it after creating plans or allocating: it may move). */
export function heapF32(): Float32Array {
  return pffft.HEAPF32;
}

/** `count` floats of 16-byte-aligned wasm heap, for as long as the thread lives; byte offset. */
export function allocHeapFloats(count: number): number {
  return pffft._pffft_aligned_malloc(count * 4);
}

/** Name of the FFT implementation in use in this thread, for logs and benchmarks. */
export const fftImplementation: string = loaded.name;

/** Largest size the direct-DFT fallback accepts (it is O(n²)). */
const MAX_DIRECT_SIZE = 1024;

/**
 * A real FFT of one size with its own input and output buffers.
 *
 * Spectrum layout ("packed", n floats): `[re0, reNyquist, re1, im1, re2, im2, …]`, i.e. bin
 * 0 and bin n/2 (both real) first, then bins 1 … n/2 − 1 interleaved. Forward uses
 * e^(−2πi·kt/n) without scaling; inverse is unnormalised (a round trip multiplies by n).
 *
 * `input()`/`output()` return views that stay valid until the next plan is created in this
 * thread (a wasm heap can move when it grows); fetch them once per batch of frames.
 */
export interface RealFft {
  readonly size: number;
  /** Time signal (forward) or packed spectrum (inverse) to transform, length `size`. */
  input(): Float32Array;
  /** Result of the last transform, length `size`. */
  output(): Float32Array;
  /** input (time) → output (packed spectrum). */
  forward(): void;
  /** input (packed spectrum) → output (time, scaled by `size`). */
  inverse(): void;
}

/** A PFFFT plan; its buffers sit in the wasm heap at byte offsets `inPtr` and `outPtr`. */
export class PffftPlan implements RealFft {
  readonly inPtr: number;
  readonly outPtr: number;
  private readonly workPtr: number;
  constructor(
    readonly size: number,
    private readonly setup: number,
  ) {
    this.inPtr = pffft._pffft_aligned_malloc(size * 4);
    this.outPtr = pffft._pffft_aligned_malloc(size * 4);
    this.workPtr = pffft._pffft_aligned_malloc(size * 4);
  }
  input(): Float32Array {
    return pffft.HEAPF32.subarray(this.inPtr >> 2, (this.inPtr >> 2) + this.size);
  }
  output(): Float32Array {
    return pffft.HEAPF32.subarray(this.outPtr >> 2, (this.outPtr >> 2) + this.size);
  }
  forward(): void {
    pffft._pffft_transform_ordered(this.setup, this.inPtr, this.outPtr, this.workPtr, 0);
  }
  inverse(): void {
    pffft._pffft_transform_ordered(this.setup, this.inPtr, this.outPtr, this.workPtr, 1);
  }
}

/** O(n²) DFT in the same packed layout, for sizes PFFFT does not support. */
class DirectPlan implements RealFft {
  private readonly in: Float32Array;
  private readonly out: Float32Array;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  constructor(readonly size: number) {
    this.in = new Float32Array(size);
    this.out = new Float32Array(size);
    this.cos = new Float64Array(size);
    this.sin = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      this.cos[i] = Math.cos((2 * Math.PI * i) / size);
      this.sin[i] = Math.sin((2 * Math.PI * i) / size);
    }
  }
  input(): Float32Array {
    return this.in;
  }
  output(): Float32Array {
    return this.out;
  }
  forward(): void {
    const n = this.size;
    const half = n >> 1;
    for (let k = 0; k <= half; k++) {
      let re = 0;
      let im = 0;
      for (let t = 0, idx = 0; t < n; t++, idx = (idx + k) % n) {
        re += this.in[t] * this.cos[idx];
        im -= this.in[t] * this.sin[idx];
      }
      if (k === 0) this.out[0] = re;
      else if (k === half) this.out[1] = re;
      else {
        this.out[2 * k] = re;
        this.out[2 * k + 1] = im;
      }
    }
  }
  inverse(): void {
    const n = this.size;
    const half = n >> 1;
    for (let t = 0; t < n; t++) {
      // Hermitian symmetry: bins above n/2 mirror those below, so each interior bin counts twice.
      let acc = this.in[0] + (t % 2 === 0 ? this.in[1] : -this.in[1]);
      for (let k = 1, idx = t; k < half; k++, idx = (idx + t) % n) {
        acc += 2 * (this.in[2 * k] * this.cos[idx] - this.in[2 * k + 1] * this.sin[idx]);
      }
      this.out[t] = acc;
    }
  }
}

const plans = new Map<number, RealFft>();

/**
 * The real FFT plan for `size` points in this thread (created once, then cached).
 * @param size even number of samples ≥ 2; any multiple of 32 whose other factors are 2, 3
 *   or 5 uses PFFFT, other sizes up to 1024 a direct DFT.
 */
export function realFft(size: number): RealFft {
  const cached = plans.get(size);
  if (cached) return cached;
  if (!Number.isInteger(size) || size < 2 || size % 2 !== 0) {
    throw new GramophoneError('INVALID_INPUT', `The FFT size must be an even whole number of samples, not ${size}.`);
  }
  const setup = size % 32 === 0 ? pffft._pffft_new_setup(size, 0) : 0;
  let plan: RealFft;
  if (setup !== 0) plan = new PffftPlan(size, setup);
  else if (size <= MAX_DIRECT_SIZE) plan = new DirectPlan(size);
  else {
    throw new GramophoneError('INVALID_INPUT', `An FFT size of ${size} samples is not supported; use a power of two such as 1024, 2048 or 4096.`);
  }
  plans.set(size, plan);
  return plan;
}
