/**
 * Loads TensorFlow.js once per process on the best backend that works here:
 * `@tensorflow/tfjs-node` (native libtensorflow) where it installed, else the wasm backend,
 * else the plain-JS cpu backend. `GRAMOPHONE_TFJS_BACKEND=tensorflow|wasm|cpu` forces one
 * (tests use it); a forced backend that does not load is an error, not a silent fallback.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { GramophoneError } from '../../../common/errors';

/** The tfjs-core namespace (ops, tidy, grad, memory…). */
export type Tf = typeof import('@tensorflow/tfjs-core');

/** tfjs's own name for the backend in use: native libtensorflow, WebAssembly, or plain JS. */
export type TfBackendName = 'tensorflow' | 'wasm' | 'cpu';

/** TensorFlow.js ready to use, and which backend it runs on. */
export interface LoadedTf {
  tf: Tf;
  backend: TfBackendName;
  /** One line for logs and the UI, e.g. "wasm (SIMD, 1 thread)". */
  detail: string;
}

const BACKEND_NAMES: readonly TfBackendName[] = ['tensorflow', 'wasm', 'cpu'];

let loading: Promise<LoadedTf> | null = null;

/**
 * TensorFlow.js with a backend set, the same object for the whole process (tfjs keeps its
 * engine in a global, so there is only ever one backend at a time anyway).
 */
export function loadTf(): Promise<LoadedTf> {
  if (!loading) {
    loading = load();
    // A failed load may be retried later (e.g. after a different env var in a test).
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0];

async function load(): Promise<LoadedTf> {
  const forced = process.env.GRAMOPHONE_TFJS_BACKEND?.trim();
  if (forced && !(BACKEND_NAMES as readonly string[]).includes(forced)) {
    throw new GramophoneError('INVALID_INPUT', `GRAMOPHONE_TFJS_BACKEND is "${forced}"; it must be one of ${BACKEND_NAMES.join(', ')}`);
  }
  const tf = (await import('@tensorflow/tfjs-core')) as Tf;
  // tfjs-core's Node bundle carries no gradient definitions; the union package's bundle
  // registers all of them in tfjs's global registry, which tf.grad reads.
  await import('@tensorflow/tfjs');

  const order = forced ? [forced as TfBackendName] : BACKEND_NAMES;
  const failures: string[] = [];
  for (const name of order) {
    try {
      const detail = await activate(tf, name);
      // PROD turns off per-op NaN checks and the cpu backend's "install tfjs-node" banner.
      tf.env().set('PROD', true);
      return { tf, backend: name, detail };
    } catch (e) {
      failures.push(`${name}: ${errorText(e)}`);
    }
  }
  throw new GramophoneError('INTERNAL', `TensorFlow.js has no working backend here (${failures.join('; ')})`);
}

async function activate(tf: Tf, name: TfBackendName): Promise<string> {
  if (name === 'tensorflow') {
    // Optional dependency: its native library is downloaded at install time, which fails
    // offline; then requiring it throws, which is the expected path here.
    const specifier = '@tensorflow/tfjs-node';
    await import(specifier);
    await setBackend(tf, 'tensorflow');
    return 'tensorflow (libtensorflow, native)';
  }
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // In Node the emscripten loader reads the .wasm with fs from a directory prefix.
    const require = createRequire(import.meta.url);
    const dir = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
    wasm.setWasmPaths(dir + path.sep);
    await withoutEmscriptenHandlers(() => setBackend(tf, 'wasm'));
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    return `wasm (${simd ? 'SIMD' : 'no SIMD'}, ${threads ? 'multithreaded' : '1 thread'})`;
  }
  await import('@tensorflow/tfjs-backend-cpu');
  await setBackend(tf, 'cpu');
  return 'cpu (plain JavaScript, slow)';
}

async function setBackend(tf: Tf, name: string): Promise<void> {
  // setBackend resolves false (and only warns) when the backend fails to initialise.
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name) throw new Error(`backend "${name}" failed to initialise`);
}

/**
 * The emscripten runtime inside the wasm backend installs process-wide
 * `uncaughtException` / `unhandledRejection` listeners that rethrow, which would override
 * the engine process's own crash reporting (and print the whole minified module source).
 * Remove exactly the listeners it added.
 */
async function withoutEmscriptenHandlers(run: () => Promise<void>): Promise<void> {
  const before = [new Set<unknown>(process.listeners('uncaughtException')), new Set<unknown>(process.listeners('unhandledRejection'))];
  try {
    await run();
  } finally {
    for (const l of process.listeners('uncaughtException')) if (!before[0].has(l)) process.removeListener('uncaughtException', l);
    for (const l of process.listeners('unhandledRejection')) if (!before[1].has(l)) process.removeListener('unhandledRejection', l);
  }
}
