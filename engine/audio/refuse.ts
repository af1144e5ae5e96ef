/**
 * How every decoder refuses a file: one sentence that names the file and the reason.
 */
import { GramophoneError, type ErrorCode } from '../../common/errors';
import { formatBytes, formatBytesOver } from '../../common/units';

/** The error `Cannot open "name": reason.` with the given code. */
export function refusal(code: ErrorCode, name: string, reason: string): GramophoneError {
  return new GramophoneError(code, `Cannot open "${name}": ${reason}.`);
}

/** Throw `Cannot open "name": reason.` with the given code. */
export function refuse(code: ErrorCode, name: string, reason: string): never {
  throw refusal(code, name, reason);
}

/** Refuse an empty file or one over `maxBytes` before looking inside it. */
export function checkFileSize(size: number, name: string, maxBytes: number): void {
  if (size > maxBytes) refuse('INVALID_INPUT', name, `it is ${formatBytesOver(size, maxBytes)}, over the ${formatBytes(maxBytes)} limit`);
  if (size === 0) refuse('INVALID_INPUT', name, 'the file is empty');
}
