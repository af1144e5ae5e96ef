/**
 * The audio file formats Gramophone reads, declared once. The engine's decoders, the open
 * dialog's filters and the renderer's `accept` list (both through `file-types.ts`), and the
 * messages that name the formats are all derived from this table.
 */

/** The lowest sample rate the engine reads or writes, in Hz. */
export const MIN_SAMPLE_RATE = 8000;
/** The highest sample rate the engine reads or writes, in Hz. */
export const MAX_SAMPLE_RATE = 192000;

/** One readable file format. */
export interface AudioFormat {
  /** Stable id used by the engine's decoder registry. */
  id: string;
  /** Name shown to a person, e.g. in a dialog filter or an error message. */
  label: string;
  /** File name extensions without the dot, lower case; the first is the usual one. */
  extensions: readonly string[];
  /** MIME types a browser may report for a dropped file of this format. */
  mimeTypes: readonly string[];
}

/** Every format the engine decodes. Files are recognised by their content, not their name. */
export const AUDIO_FORMATS = [
  { id: 'wav', label: 'WAV', extensions: ['wav', 'wave'], mimeTypes: ['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave'] },
  { id: 'aiff', label: 'AIFF', extensions: ['aif', 'aiff', 'aifc'], mimeTypes: ['audio/aiff', 'audio/x-aiff'] },
  { id: 'flac', label: 'FLAC', extensions: ['flac'], mimeTypes: ['audio/flac', 'audio/x-flac'] },
  { id: 'mp3', label: 'MP3', extensions: ['mp3'], mimeTypes: ['audio/mpeg', 'audio/mp3'] },
  { id: 'vorbis', label: 'Ogg Vorbis', extensions: ['ogg', 'oga'], mimeTypes: ['audio/ogg', 'audio/vorbis'] },
  { id: 'opus', label: 'Ogg Opus', extensions: ['opus', 'ogg'], mimeTypes: ['audio/ogg', 'audio/opus'] },
] as const satisfies readonly AudioFormat[];

export type AudioFormatId = (typeof AUDIO_FORMATS)[number]['id'];

/**
 * Formats the engine does not decode itself (no decoder it may ship reads them), accepted
 * through a converter: the workstation's page decodes them with its own browser's decoder
 * (Chromium's, in Electron and in the browser) and sends the engine PCM as a WAV; the
 * command line and batch convert them with a system `ffmpeg` when one is on the PATH.
 */
export const CONVERTED_FORMATS = [
  { id: 'mp4', label: 'M4A (AAC or ALAC)', extensions: ['m4a', 'mp4', 'm4b'], mimeTypes: ['audio/mp4', 'audio/x-m4a', 'audio/m4a'] },
  { id: 'adts', label: 'AAC', extensions: ['aac'], mimeTypes: ['audio/aac', 'audio/aacp'] },
] as const satisfies readonly AudioFormat[];

export type ConvertedFormatId = (typeof CONVERTED_FORMATS)[number]['id'];

/** Every format a person may open: the engine's own, then the converted ones. */
const OPENABLE_FORMATS: readonly AudioFormat[] = [...AUDIO_FORMATS, ...CONVERTED_FORMATS];

const unique = <T>(xs: T[]): T[] => [...new Set(xs)];

/** Every accepted extension (no dot, lower case), each once, converted formats included. */
export const AUDIO_EXTENSIONS: readonly string[] = unique(OPENABLE_FORMATS.flatMap((f) => [...f.extensions]));

/** Every accepted MIME type, each once, converted formats included. */
export const AUDIO_MIME_TYPES: readonly string[] = unique(OPENABLE_FORMATS.flatMap((f) => [...f.mimeTypes]));

/** The kinds a dialog offers, one per openable format. */
export const OPENABLE_KINDS: readonly AudioFormat[] = OPENABLE_FORMATS;

/** The engine's own formats in words for messages: "WAV, AIFF, FLAC, MP3, Ogg Vorbis or Ogg Opus". */
export const AUDIO_FORMAT_NAMES: string = (() => {
  const labels = AUDIO_FORMATS.map((f) => f.label);
  return `${labels.slice(0, -1).join(', ')} or ${labels[labels.length - 1]}`;
})();

/**
 * Whether a dropped file looks like audio we read, by its name or MIME type. Only a first
 * filter for the UI: the engine recognises formats by content and says why it refuses one.
 */
export function isAcceptedAudioFile(name: string, mimeType = ''): boolean {
  const dot = name.lastIndexOf('.');
  const ext = dot >= 0 ? name.slice(dot + 1).toLowerCase() : '';
  return AUDIO_EXTENSIONS.includes(ext) || AUDIO_MIME_TYPES.includes(mimeType.toLowerCase());
}
