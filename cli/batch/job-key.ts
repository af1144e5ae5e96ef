/**
 * Content hashes: a job's identity is the hash of everything that decides its take (the full
 * preset, each input's name and bytes, the output format), so a batch can tell a finished
 * take from a stale one, and a queue can store an input once however many jobs use it.
 */
import { createHash } from 'node:crypto';
import type { ExportFormat } from '../../common/audio';

/** SHA-256 of bytes or UTF-8 text, lower-case hex. */
export const sha256Hex = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

/** JSON with object keys sorted at every level, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** What decides a take. */
export interface TakeRecipe {
  preset: unknown;
  content: { name: string; sha256: string };
  style: { name: string; sha256: string };
  format: ExportFormat;
}

/** The take's identity: SHA-256 of the recipe's canonical JSON. */
export const jobKey = (r: TakeRecipe): string => sha256Hex(canonicalJson({ take: 'gramophone', preset: r.preset, content: r.content, style: r.style, format: r.format }));
