/**
 * The kinds of file a person opens, drops or saves, declared once: the main-process dialog
 * filters and the page's file-picker `accept` lists both derive from these.
 */

/** A kind of file: what a dialog calls it, its extensions (no dot) and MIME types. */
export interface FileType {
  label: string;
  extensions: readonly string[];
  mimeTypes: readonly string[];
}

/** Audio the engine decodes (content and style inputs). */
export const AUDIO_INPUT: FileType = { label: 'WAV audio', extensions: ['wav', 'wave'], mimeTypes: ['audio/wav', 'audio/x-wav'] };
/** The stems the app writes. */
export const WAV_STEM: FileType = { label: 'WAV audio', extensions: ['wav'], mimeTypes: ['audio/wav'] };
/** Preset documents, imported and exported. */
export const PRESET_FILE: FileType = { label: 'Gramophone presets (JSON)', extensions: ['json'], mimeTypes: ['application/json'] };

/** The `accept` attribute of a file input for `type`: ".wav,.wave,audio/wav,…". */
export const acceptList = (type: FileType): string => [...type.extensions.map((e) => `.${e}`), ...type.mimeTypes].join(',');
