/**
 * How much memory this process may really use: the machine's, or its container's when a
 * cgroup (v2, or v1) limits it to less. Inside a container `os.freemem()` tells the machine's
 * memory, not what the container has left, so a budget taken from it overshoots and an
 * out-of-memory kill is not recognised as one.
 */
import fs from 'node:fs';
import os from 'node:os';

/** Where the cgroup files are; tests point it at a folder of their own. */
export interface CgroupFiles {
  /** The limit, in bytes or "max": cgroup v2 `memory.max`, v1 `memory.limit_in_bytes`. */
  limit: string[];
  /** Memory in use, in bytes: v2 `memory.current`, v1 `memory.usage_in_bytes`. */
  usage: string[];
}

const SYSTEM: CgroupFiles = {
  limit: ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes'],
  usage: ['/sys/fs/cgroup/memory.current', '/sys/fs/cgroup/memory/memory.usage_in_bytes'],
};

/** The first file of `files` that holds a whole number of bytes, or null ("max", absent, unreadable). */
function readBytes(files: string[]): number | null {
  for (const f of files) {
    try {
      const text = fs.readFileSync(f, 'utf8').trim();
      if (/^\d+$/.test(text)) return Number(text);
      if (text === 'max') return null;
    } catch {
      /* not this cgroup version */
    }
  }
  return null;
}

/**
 * Memory this process may use in all and has left now, in bytes: the machine's total and
 * available memory, each lowered to the container's limit and what is left under it when a
 * limit below the machine's applies.
 */
export function memoryLimits(files: CgroupFiles = SYSTEM, machine = { total: os.totalmem(), available: os.freemem() }): { total: number; available: number; limitedBy: 'machine' | 'container' } {
  const limit = readBytes(files.limit);
  // v1 reports "no limit" as a huge number; anything at or over the machine's memory is no limit.
  if (limit === null || limit >= machine.total) return { ...machine, limitedBy: 'machine' };
  const used = readBytes(files.usage) ?? 0;
  return { total: limit, available: Math.max(0, Math.min(machine.available, limit - used)), limitedBy: 'container' };
}
