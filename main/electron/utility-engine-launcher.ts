/**
 * Starts the engine in an Electron `utilityProcess` (a Node-capable child managed by
 * Chromium's service model). The engine entry reads `process.parentPort`; messages are
 * structured clones, so typed arrays arrive as typed arrays.
 */
import { app, utilityProcess } from 'electron';
import type { EngineChild, EngineLauncher } from '../engine-host';

/** A launcher that forks `entry` (dist/engine/engine-process.js) once per call. */
export function utilityEngineLauncher(entry: string): EngineLauncher {
  return (): EngineChild => {
    const child = utilityProcess.fork(entry, [], { serviceName: 'Gramophone engine', stdio: 'inherit' });
    // Messages sent before the process is up are held here rather than trusted to a queue.
    let spawned = false;
    const early: unknown[] = [];
    child.once('spawn', () => {
      spawned = true;
      for (const m of early.splice(0)) child.postMessage(m);
    });
    let exited = false;
    const exitListeners: ((code: number | null) => void)[] = [];
    child.once('exit', (code) => {
      exited = true;
      for (const l of exitListeners) l(code);
    });
    return {
      port: {
        postMessage: (m) => {
          if (exited) throw new Error('engine process has exited');
          if (spawned) child.postMessage(m);
          else early.push(m);
        },
        onMessage: (l) => {
          const h = (m: unknown) => l(m);
          child.on('message', h);
          return () => child.off('message', h);
        },
      },
      kill: () => {
        if (exited) return;
        // kill() sends SIGTERM; a job stuck in native code must not be able to ignore it.
        if (child.pid !== undefined) {
          try {
            process.kill(child.pid, 'SIGKILL');
            return;
          } catch {
            /* fall through */
          }
        }
        child.kill();
      },
      onExit: (l) => {
        if (exited) queueMicrotask(() => l(null));
        else exitListeners.push(l);
      },
      // Chromium's own process metrics (working set, in KiB); Electron's exit event carries no signal.
      residentBytes: () => {
        const kib = app.getAppMetrics().find((m) => m.pid === child.pid)?.memory.workingSetSize;
        return kib === undefined ? null : kib * 1024;
      },
    };
  };
}
