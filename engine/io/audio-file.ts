/**
 * Reading an input file: by path (the command line's arguments, a file main keeps) with its
 * size checked by a stat before a byte is read, or inline bytes as a request carried them.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { MAX_AUDIO_BYTES, type AudioFile } from '../../common/engine-api';
import { GramophoneError } from '../../common/errors';
import { convertWithFfmpeg } from '../audio/ffmpeg';
import { checkFileSize, refuse } from '../audio/refuse';
import { sniffFormat } from '../audio/sniff';

const errnoOf = (e: unknown) => (e as NodeJS.ErrnoException).code;

/**
 * Read an input file, refusing a missing file, a folder, or one over `maxBytes` with the
 * engine's own message before reading any of it.
 * @param role "content" or "style", for the messages
 * @param name the name shown in messages (default: the file's own)
 */
export async function readInput(file: string, role: string, maxBytes = MAX_AUDIO_BYTES, name = path.basename(file)): Promise<{ name: string; bytes: Uint8Array }> {
  const fail = (e: unknown): never => {
    const reason = errnoOf(e) === 'ENOENT' ? 'no such file' : errnoOf(e) === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new GramophoneError('IO_ERROR', `Cannot read the ${role} file "${file}": ${reason}`);
  };
  const info = await stat(file).catch(fail);
  if (info.isDirectory()) throw new GramophoneError('INVALID_INPUT', `The ${role} file "${file}" is a folder, not an audio file`);
  checkFileSize(info.size, name, maxBytes);
  const bytes = await readFile(file).catch(fail);
  return { name, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

/**
 * The bytes of a file a request names: as carried, or read from its path.
 * @param role what the file is ("content", "style", "audio"), for the messages
 */
export async function audioFileBytes(file: AudioFile, role: string): Promise<Uint8Array> {
  return 'bytes' in file ? file.bytes : (await readInput(file.path, role, MAX_AUDIO_BYTES, file.name)).bytes;
}

/**
 * `readInput` for the command line and batch: a file the engine does not decode itself
 * (M4A/AAC/ALAC) comes back as the float WAV a system ffmpeg converts it to.
 * @returns the bytes to decode; `converted` is true when they are ffmpeg's WAV
 * @throws GramophoneError UNSUPPORTED_AUDIO for such a file when there is no ffmpeg on the
 *   PATH (the engine's refusal, and how to have it converted); as `readInput` and
 *   `convertWithFfmpeg` otherwise
 */
export async function readConvertibleInput(file: string, role: string): Promise<{ name: string; bytes: Uint8Array; converted: boolean }> {
  const input = await readInput(file, role);
  const sniffed = sniffFormat(input.bytes);
  if (!('convertible' in sniffed) || !sniffed.convertible) return { ...input, converted: false };
  const wav = await convertWithFfmpeg(file, input.name);
  if (!wav) refuse('UNSUPPORTED_AUDIO', input.name, `${sniffed.unsupported} (or install ffmpeg: the command line converts such files with it when it is on the PATH)`);
  return { name: input.name, bytes: wav, converted: true };
}
