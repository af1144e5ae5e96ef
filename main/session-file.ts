/**
 * The session document and the `.gramophone` file, without touching the disk. A session is
 * `session.json` plus the audio it references under `audio/`: each input's original file
 * (named by its content hash, so it is written once) and each take as a 32-bit float WAV
 * carrying its preset. The app's own copy is those files in a folder; a saved session is the
 * same files in one ZIP archive (stored, not compressed: audio hardly compresses, and any
 * unzip tool gets the WAVs out). Reading one back is `session-unzip.ts`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import type { AudioFile } from '../common/engine-api';
import { jsonShapeProblem } from '../common/json-guard';
import { SessionDocSchema, type SessionDoc, type TakeDoc } from '../common/session-doc';
import type { InputEntry, TakeEntry, TrackStore } from './track-store';

/** The document's name inside a session folder or file. */
export const SESSION_JSON = 'session.json';
/** Largest session.json read, in bytes (presets and metrics of up to 1000 takes, and the view). */
export const MAX_SESSION_JSON_BYTES = 16 * 1024 * 1024;

const hashes = new WeakMap<Uint8Array, string>();
const fileHashes = new Map<string, string>();

/** First 16 hex digits of the SHA-256 of a file kept on disk, read a MiB at a time. */
function hashFile(file: string): string {
  const hash = crypto.createHash('sha256');
  const buf = Buffer.alloc(1 << 20);
  const fd = fs.openSync(file, 'r');
  try {
    for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0;) hash.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex').slice(0, 16);
}

/** First 16 hex digits of the SHA-256 of an input's file (remembered: inputs are hashed once). */
function shortHash(file: AudioFile): string {
  if ('path' in file) {
    let h = fileHashes.get(file.path);
    if (!h) fileHashes.set(file.path, (h = hashFile(file.path)));
    return h;
  }
  let h = hashes.get(file.bytes);
  if (!h) {
    h = crypto.createHash('sha256').update(file.bytes).digest('hex').slice(0, 16);
    hashes.set(file.bytes, h);
  }
  return h;
}

/** Where an input's original file sits: `audio/content-<hash>.<ext>`. */
export const inputFile = (t: InputEntry): string => inputFileName(t.kind, t.info.name, shortHash(t.file));

/** `audio/<lane>-<first 16 hex digits of the SHA-256>.<the name's extension>`. */
export function inputFileName(lane: string, name: string, sha256: string): string {
  const ext = path.extname(name).slice(1).toLowerCase();
  return `audio/${lane}-${sha256.slice(0, 16)}.${/^[a-z0-9]{1,5}$/.test(ext) ? ext : 'bin'}`;
}

/** Note a file's SHA-256 (hex) already computed while it was written, so it is not read again. */
export function rememberHash(file: string, sha256: string): void {
  fileHashes.set(file, sha256.slice(0, 16));
}

/** Where a take's WAV sits: `audio/<take id>.wav`. */
export const takeFile = (t: TakeEntry): string => `audio/${t.id}.wav`;

/** The document for the tracks a store holds and the page's part. */
export function sessionDoc(tracks: TrackStore, ui: SessionDoc['ui']): SessionDoc {
  const inputs: SessionDoc['inputs'] = [];
  const takes: TakeDoc[] = [];
  for (const t of tracks.list()) {
    if (t.kind !== 'take') inputs.push({ id: t.id, lane: t.kind, name: t.info.name, file: inputFile(t) });
    else {
      takes.push({
        id: t.id,
        name: t.info.name,
        file: takeFile(t),
        jobId: t.result.jobId,
        preset: t.result.preset,
        metrics: t.result.metrics,
        ...(t.region ? { region: t.region } : {}),
        warnings: t.result.warnings,
        contentName: t.contentName,
        styleName: t.styleName,
        contentId: t.contentId,
        exported: t.exported,
      });
    }
  }
  return { format: 'gramophone-session', version: 1, inputs, takes, ui };
}

/**
 * Check a session.json's bytes without trusting them.
 * @returns the document, or the reason it cannot be used in words
 */
export function readSessionDoc(bytes: Uint8Array): { ok: true; doc: SessionDoc } | { ok: false; reason: string } {
  if (bytes.byteLength === 0) return { ok: false, reason: 'the file is empty' };
  if (bytes.byteLength > MAX_SESSION_JSON_BYTES) return { ok: false, reason: 'the file is too large' };
  let json: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    // Checked before parsing: a document nested 100,000 deep parses, but overflows the stack
    // of whatever walks it next.
    const shape = jsonShapeProblem(text, MAX_SESSION_JSON_BYTES);
    if (shape) return { ok: false, reason: shape };
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: bytes.includes(0) ? 'the file contains binary garbage' : 'the file is not valid JSON (it may be truncated)' };
  }
  const r = SessionDocSchema.safeParse(json);
  if (r.success) return { ok: true, doc: r.data };
  const where = r.error.issues[0]?.path.join('.') || 'the document';
  return { ok: false, reason: `it is not a session this version can read (${where}: ${r.error.issues[0]?.message ?? 'invalid'})` };
}

/** The bytes of a session document. */
export const docBytes = (doc: SessionDoc): Uint8Array => new TextEncoder().encode(JSON.stringify(doc, null, 1));

/** One `.gramophone` file from the session's files (path → bytes). */
export function packSession(files: Record<string, Uint8Array>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, [bytes, { level: 0 }]])), { mtime: new Date() });
}
