/**
 * Worker-thread entry (bundled to dist/engine/kernel-worker.js): claims pieces of kernel
 * work from the shared counter the pool (kernel-pool.ts) sends, on arrays shared with the
 * calling thread, and replies when no pieces are left.
 */
import { parentPort } from 'node:worker_threads';
import { drainChunks } from './kernel-tasks';
import type { WorkerReply, WorkerRequest } from './kernel-pool';

const port = parentPort;
if (!port) throw new Error('kernel-worker must run as a worker thread');

port.on('message', (m: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    drainChunks(m.task, m.ctrl, m.total, m.chunks);
    reply = { id: m.id, ok: true };
  } catch (e) {
    // Stop the other threads from claiming more of a job that has failed.
    Atomics.store(m.ctrl, 0, m.chunks);
    reply = { id: m.id, ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(reply);
});
// The FFT module has loaded (top-level await in fft.ts) by the time this line runs.
port.postMessage({ ready: true } satisfies WorkerReply);
