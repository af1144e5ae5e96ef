// Types for the Emscripten build of PFFFT shipped by @echogarden/pffft-wasm (which has none).
// Only the functions Gramophone calls are declared.

declare module '@echogarden/pffft-wasm/simd' {
  import type { PffftModuleFactory } from '@echogarden/pffft-wasm';
  const factory: PffftModuleFactory;
  export default factory;
}

declare module '@echogarden/pffft-wasm' {
  export interface PffftModule {
    /** View of the whole wasm heap; replaced by Emscripten when the heap grows. */
    HEAPF32: Float32Array;
    /** kind: 0 = real, 1 = complex. Returns 0 when the size is not supported. */
    _pffft_new_setup(n: number, kind: number): number;
    _pffft_destroy_setup(setup: number): void;
    /** 16-byte aligned allocation of `bytes` bytes in the wasm heap. */
    _pffft_aligned_malloc(bytes: number): number;
    _pffft_aligned_free(ptr: number): void;
    /** direction: 0 = forward, 1 = backward (unnormalised). Pointers are byte offsets. */
    _pffft_transform_ordered(setup: number, input: number, output: number, work: number, direction: number): void;
    _pffft_simd_size(): number;
  }
  export type PffftModuleFactory = (moduleArg?: object) => Promise<PffftModule>;
  const factory: PffftModuleFactory;
  export default factory;
}
