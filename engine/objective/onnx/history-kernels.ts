/**
 * The L-BFGS history's products (optim/history.ts) on onnxruntime's multi-threaded matrix
 * kernels: H·v as one MatMul of [rows × n] by [n × 1], and scale·base + coefᵀ·H as one
 * MatMul of [1 × rows] by [rows × n] plus a scaled vector. On a spectrogram's history (20
 * rows of ~0.4 M floats) each takes about 1 ms on these 2 cores, where the two-loop
 * recursion's 2·m passes in JS took 11–26 ms per iteration. Sums are float32 (MLAS's);
 * the optimiser only needs a descent direction, which its line search checks.
 */
import type * as Ort from 'onnxruntime-node';
import type { HistoryKernels } from '../../optim/history';
import type { DeviceSession } from '../../device';
import { GraphBuilder } from './graph';
import { createSession, onnxThreads, type OrtModule } from './runtime';

/** The kernels with their two sessions; `release` frees them (the objective's dispose does). */
export interface OnnxHistoryKernels extends HistoryKernels {
  release(): Promise<void>;
}

/** Open the two graphs (symbolic rows and n, so any history and problem size). */
export async function onnxHistoryKernels(ort: OrtModule, threads = onnxThreads()): Promise<OnnxHistoryKernels> {
  const pg = new GraphBuilder('history-products');
  pg.output(pg.op('MatMul', [pg.input('h', ['rows', 'n']), pg.input('v', ['n', 1])]), 'p', ['rows', 1]);
  const cg = new GraphBuilder('history-combine');
  const mixed = cg.op('MatMul', [cg.input('coef', [1, 'rows']), cg.input('h', ['rows', 'n'])]);
  cg.output(cg.op('Add', [mixed, cg.op('Mul', [cg.input('base', [1, 'n']), cg.input('scale', [1])])]), 'out', [1, 'n']);
  const products: DeviceSession = await createSession(ort, pg.encode(), threads);
  const combine: DeviceSession = await createSession(ort, cg.encode(), threads);
  const f32 = (data: Float32Array, dims: number[]): Ort.Tensor => new ort.Tensor('float32', data, dims);
  return {
    async products(h, rows, v, n) {
      if (rows === 0) return new Float64Array(0);
      const out = new Float32Array(rows);
      await products.run({ h: f32(h.subarray(0, rows * n), [rows, n]), v: f32(v.subarray(0, n), [n, 1]) }, { p: f32(out, [rows, 1]) });
      return Float64Array.from(out);
    },
    async combine(h, coef, base, scale, out, n) {
      const rows = coef.length;
      if (rows === 0) {
        for (let i = 0; i < n; i++) out[i] = scale * base[i];
        return;
      }
      await combine.run(
        { coef: f32(Float32Array.from(coef), [1, rows]), h: f32(h.subarray(0, rows * n), [rows, n]), base: f32(base.subarray(0, n), [1, n]), scale: f32(Float32Array.of(scale), [1]) },
        { out: f32(out.subarray(0, n), [1, n]) },
      );
    },
    async release() {
      await Promise.all([products.release(), combine.release()]);
    },
  };
}
