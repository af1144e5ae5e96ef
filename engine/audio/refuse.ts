/**
 * How every decoder refuses a file: one sentence that names the file and the reason.
 */
import { GramophoneError, type ErrorCode } from '../../common/errors';

/** The error `Cannot open "name": reason.` with the given code. */
export function refusal(code: ErrorCode, name: string, reason: string): GramophoneError {
  return new GramophoneError(code, `Cannot open "${name}": ${reason}.`);
}

/** Throw `Cannot open "name": reason.` with the given code. */
export function refuse(code: ErrorCode, name: string, reason: string): never {
  throw refusal(code, name, reason);
}

/** A byte count for a person: "812 bytes", "3.4 KB", "12.0 MB", "1.5 GB". */
function formatBytes(n: number): string {
  if (n >= 1024 * 1024 * 1024) return `${(n / (1024 * 1024 * 1024)).toFixed(1)} GB`;
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}

/** Refuse an empty file or one over `maxBytes` before looking inside it. */
export function checkFileSize(size: number, name: string, maxBytes: number): void {
  if (size > maxBytes) refuse('INVALID_INPUT', name, `it is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit`);
  if (size === 0) refuse('INVALID_INPUT', name, 'the file is empty');
}
