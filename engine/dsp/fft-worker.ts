/**
 * Worker-thread entry (bundled to dist/engine/fft-worker.js): runs STFT kernels over the
 * ranges the pool (fft-pool.ts) sends, on arrays shared with the calling thread.
 */
import { parentPort } from 'node:worker_threads';
import { runKernel } from './stft-kernels';
import type { WorkerReply, WorkerRequest } from './fft-pool';

const port = parentPort;
if (!port) throw new Error('fft-worker must run as a worker thread');

port.on('message', (m: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    runKernel(m.task, m.a, m.b);
    reply = { id: m.id, ok: true };
  } catch (e) {
    reply = { id: m.id, ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(reply);
});
// The FFT module has loaded (top-level await in fft.ts) by the time this line runs.
port.postMessage({ ready: true } satisfies WorkerReply);
