/**
 * The engine process entry: a thin adapter that serves the engine API on whatever port the
 * host gave it. In Electron it is a `utilityProcess` (`process.parentPort`); under plain Node
 * it is a child process forked with `serialization: 'advanced'` (so typed arrays travel
 * intact) or a worker thread. The same code runs in all three.
 */
import os from 'node:os';
import { parentPort as workerPort } from 'node:worker_threads';
import type { PortLike } from '../common/rpc';
import { serve } from '../common/rpc';
import { engineApi } from '../common/engine-api';
import { createEngineHandlers } from './engine-handlers';
import { onDeviceNotice } from './device';

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  off?(event: 'message', listener: (e: { data: unknown }) => void): void;
}

function hostPort(): PortLike {
  const electronPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (electronPort) {
    return {
      postMessage: (m) => electronPort.postMessage(m),
      onMessage: (l) => {
        const h = (e: { data: unknown }) => l(e.data);
        electronPort.on('message', h);
        return () => electronPort.off?.('message', h);
      },
    };
  }
  if (typeof process.send === 'function') {
    return {
      postMessage: (m) => process.send!(m),
      onMessage: (l) => {
        process.on('message', l);
        return () => process.off('message', l);
      },
    };
  }
  if (workerPort) {
    const wp = workerPort;
    return {
      postMessage: (m) => wp.postMessage(m),
      onMessage: (l) => {
        wp.on('message', l);
        return () => wp.off('message', l);
      },
    };
  }
  throw new Error('engine-process must be started by a host (utilityProcess, fork or worker)');
}

const port = hostPort();
// A render is background work: the page's frames, its audio and the shell must never wait
// behind it for a core (docs/ARCHITECTURE.md, "The data route of a render"). So an engine in its
// own process runs below normal priority (nice 10 on Linux and macOS); the threads it starts
// later (the FFT's workers, onnxruntime's pool) inherit it. A worker thread leaves its host's
// priority alone. Where the system refuses, the engine runs at normal priority and says so.
if (!workerPort) {
  try {
    os.setPriority(os.constants.priority.PRIORITY_BELOW_NORMAL);
  } catch (e) {
    console.warn(`engine: could not lower its priority (${(e as Error).message}); renders compete with the page for the CPU`);
  }
}
const server = serve(
  port,
  engineApi,
  createEngineHandlers((event, data) => server.emit(event, data), { warmTranscriber: true }),
);
// The device comes from GRAMOPHONE_DEVICE; a GPU that cannot be used is said once, as a warning.
onDeviceNotice((message) => server.emit('log', { level: 'warn', message }));
// A child process whose parent died must not linger.
process.on('disconnect', () => process.exit(0));
