/**
 * The command line's output check, made before a render starts so a mistake costs nothing
 * (inputs are sized with a stat before a byte is read: io/audio-file.ts): the output must be
 * a .wav in an existing, writable folder and must not be one of the inputs (through
 * symlinks and hard links too).
 */
import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { GramophoneError } from '../common/errors';

/** Extension a take is written with: takes are WAV stems. */
const OUTPUT_EXTENSION = '.wav';

const errnoOf = (e: unknown) => (e as NodeJS.ErrnoException).code;

const TAKE_OUTPUT = { flag: '--out', extensions: [OUTPUT_EXTENSION], what: 'takes are written as WAV' };
/** What --notes-out may name: a Standard MIDI File. */
export const NOTES_OUTPUT = { flag: '--notes-out', extensions: ['.mid', '.midi'], what: 'notes are written as a Standard MIDI File' };

/**
 * Check that `out` can take the render: a .wav name (or `kind`'s), in a folder that exists and can be
 * written, not an existing folder, and not the same file as any input.
 * @param inputs the input paths as given (they exist: they were read)
 * @param kind which option names it and the extensions it may have (default: --out, .wav)
 * @throws GramophoneError INVALID_INPUT for a wrong name or an input as output; IO_ERROR
 *   for a missing or read-only folder
 */
export async function checkOutput(out: string, inputs: string[], kind: { flag: string; extensions: readonly string[]; what: string } = TAKE_OUTPUT): Promise<void> {
  if (!kind.extensions.includes(path.extname(out).toLowerCase())) {
    throw new GramophoneError('INVALID_INPUT', `${kind.flag} must name a ${kind.extensions.join(' or ')} file (${kind.what}), got "${out}"`);
  }
  const folder = path.dirname(path.resolve(out));
  const folderInfo = await stat(folder).catch((e: unknown) => {
    const reason = errnoOf(e) === 'ENOENT' ? 'does not exist' : errnoOf(e) === 'ENOTDIR' ? 'is not a folder' : (e as Error).message;
    throw new GramophoneError('IO_ERROR', `Cannot write "${out}": the folder "${folder}" ${reason}`);
  });
  if (!folderInfo.isDirectory()) throw new GramophoneError('IO_ERROR', `Cannot write "${out}": "${folder}" is not a folder`);
  try {
    await access(folder, constants.W_OK);
  } catch (e) {
    const reason = errnoOf(e) === 'EROFS' ? 'is on a read-only disk' : 'is not writable';
    throw new GramophoneError('IO_ERROR', `Cannot write "${out}": the folder "${folder}" ${reason}`);
  }

  const outInfo = await stat(out).catch(() => null);
  if (outInfo?.isDirectory()) throw new GramophoneError('INVALID_INPUT', `--out "${out}" is a folder; give a file name ending in ${OUTPUT_EXTENSION}`);
  const input = await inputAt(out, inputs);
  if (input !== null) throw new GramophoneError('INVALID_INPUT', `--out "${out}" is the input "${input}"; writing the take there would destroy it. Choose another file name`);
}

/**
 * The one rule for every command that writes takes (`render`'s --out, each row of a batch):
 * the input among `inputs` that `out` would overwrite, or null. The same file is the same
 * real path (symlinks resolved) or the same identity (hard links).
 */
export async function inputAt(out: string, inputs: string[]): Promise<string | null> {
  const outInfo = await stat(out).catch(() => null);
  const folder = path.dirname(path.resolve(out));
  const realOut = outInfo ? await realpath(out) : path.join(await realpath(folder).catch(() => folder), path.basename(out));
  for (const input of inputs) {
    const inputInfo = await stat(input).catch(() => null);
    const sameFile = outInfo && inputInfo && outInfo.dev === inputInfo.dev && outInfo.ino === inputInfo.ino;
    const realInput = await realpath(input).catch(() => path.resolve(input));
    if (sameFile || realInput === realOut) return input;
  }
  return null;
}
