/**
 * onnxruntime-node as the engine uses it: loaded on first use, one session setting for
 * every graph (the objective's, the spectral weights', the optimiser's history kernels),
 * and a self-test.
 */
import os from 'node:os';
import type * as Ort from 'onnxruntime-node';
import { deviceLabel, openSessionOnDevice, type DeviceSession } from '../../device';
import { GraphBuilder } from './graph';

/** The onnxruntime-node module, as loaded. */
export type OrtModule = typeof Ort;

let ortPromise: Promise<OrtModule> | null = null;

/**
 * onnxruntime-node, loaded on first use. Its native binding is loaded at import, so a
 * machine where it cannot load fails here (and the caller falls back to tfjs) rather than
 * when the engine starts.
 */
export function loadOrt(): Promise<OrtModule> {
  ortPromise ??= import('onnxruntime-node').then((m) => ((m as { default?: OrtModule }).default ?? m) as OrtModule);
  return ortPromise;
}

/** Threads for the intra-op pool: every core (the render loop itself is idle while a run is under way). */
export const onnxThreads = (): number => Math.max(1, os.availableParallelism?.() ?? os.cpus().length);

/** Whether onnxruntime-node loads and runs here, and a one-line description or the reason it does not. */
export async function probeOnnx(): Promise<{ available: boolean; detail: string }> {
  try {
    const ort = await loadOrt();
    // Loading the module is not enough on a broken install: run a one-node graph.
    const g = new GraphBuilder('probe');
    g.output(g.op('Mul', [g.input('x', [1]), g.input('w', [1])]), 'y', [1]);
    const s = await createSession(ort, g.encode(), 1);
    const out = await s.run({ x: new ort.Tensor('float32', Float32Array.of(2), [1]), w: new ort.Tensor('float32', Float32Array.of(3), [1]) });
    const ok = (out.y.data as Float32Array)[0] === 6;
    await s.release();
    if (!ok) return { available: false, detail: 'onnxruntime-node gave a wrong answer on a self-test' };
    return { available: true, detail: `onnxruntime-node ${ort.env.versions.common} ${await deviceLabel(ort)}, ${onnxThreads()} threads` };
  } catch (e) {
    return { available: false, detail: `onnxruntime-node does not load: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** An inference session for `model` with the engine's settings (every graph uses these). */
export function createSession(ort: OrtModule, model: Uint8Array, threads: number): Promise<DeviceSession> {
  return openSessionOnDevice(ort, (executionProviders) =>
    ort.InferenceSession.create(model, {
      executionProviders,
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      // The arena keeps the intermediates (the largest are the per-bin products) for the
      // next call instead of returning them to the OS each time.
      enableCpuMemArena: true,
      enableMemPattern: true,
      // Warnings about constants the optimiser folded away are noise for a musician's log.
      logSeverityLevel: 3,
      // Pool threads sleep between ops instead of spinning: these cores are shared (with the
      // UI, the FFT workers, other programs), and a spinning waiter steals the time slice the
      // thread it waits for needs. Measured no slower on an idle machine, faster on a busy one.
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    }),
  );
}
