/**
 * Starts the engine as a Node child process (the local web server, tests, machines without
 * Electron). `serialization: 'advanced'` uses the structured clone algorithm, so typed
 * arrays cross the pipe as typed arrays, as they do over Electron's utilityProcess port.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import type { EngineChild, EngineLauncher } from './engine-host';
import { childProcessPort } from '../engine/io/child-port';

/** Resident memory of process `pid` in bytes from /proc (Linux); null where there is none. */
export function residentBytesOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export interface NodeEngineOptions {
  /** Path of the engine entry (e.g. dist/engine/engine-process.js). */
  entry: string;
  /** Extra Node flags for the child (tests use `--import tsx` to run a TypeScript fake). */
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
  /** Where the child's stdout/stderr go; 'inherit' shows engine logs in the server's console. */
  stdio?: 'inherit' | 'ignore';
}

/** A launcher that forks `entry` once per call. */
export function nodeEngineLauncher(opts: NodeEngineOptions): EngineLauncher {
  return (): EngineChild => {
    const io = opts.stdio ?? 'inherit';
    const child = fork(opts.entry, [], {
      serialization: 'advanced',
      stdio: [io, io, io, 'ipc'],
      execArgv: opts.execArgv ?? [],
      env: opts.env ?? process.env,
    });
    const exitListeners: ((code: number | null, signal: string | null) => void)[] = [];
    let exited = false;
    const fire = (code: number | null, signal: string | null = null) => {
      if (exited) return;
      exited = true;
      for (const l of exitListeners) l(code, signal);
    };
    child.on('exit', (code, signal) => fire(code, signal));
    // A failed spawn emits 'error' and may never emit 'exit'.
    child.on('error', () => {
      if (child.exitCode === null && child.pid === undefined) fire(null);
    });
    return {
      port: childProcessPort(child),
      kill: () => {
        if (!exited) child.kill('SIGKILL');
      },
      onExit: (l) => {
        if (exited) queueMicrotask(() => l(child.exitCode, child.signalCode));
        else exitListeners.push(l);
      },
      residentBytes: () => (exited ? null : residentBytesOf(child.pid)),
      get pid() {
        return child.pid;
      },
    } as EngineChild & { pid?: number };
  };
}
