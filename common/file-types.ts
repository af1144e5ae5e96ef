/**
 * The kinds of file a person opens, drops or saves, declared once: the main-process dialog
 * filters and the page's file-picker `accept` lists both derive from these.
 */
import { AUDIO_EXTENSIONS, AUDIO_MIME_TYPES, OPENABLE_KINDS } from './audio-formats';

/** A kind of file: what a dialog calls it, its extensions (no dot) and MIME types. */
export interface FileType {
  label: string;
  extensions: readonly string[];
  mimeTypes: readonly string[];
  /** Narrower choices a dialog offers after the whole type (one per format). */
  kinds?: readonly FileType[];
}

/** Audio a person opens as content or style: the engine's formats and the converted ones. */
export const AUDIO_INPUT: FileType = {
  label: 'Audio files',
  extensions: AUDIO_EXTENSIONS,
  mimeTypes: AUDIO_MIME_TYPES,
  kinds: OPENABLE_KINDS.map((f) => ({ label: `${f.label} audio`, extensions: f.extensions, mimeTypes: f.mimeTypes })),
};
/** The stems the app writes. */
export const WAV_STEM: FileType = { label: 'WAV audio', extensions: ['wav'], mimeTypes: ['audio/wav'] };
/** Notes exported as a Standard MIDI File. */
export const MIDI_FILE: FileType = { label: 'MIDI files', extensions: ['mid'], mimeTypes: ['audio/midi'] };
/** Preset documents, imported and exported. */
export const PRESET_FILE: FileType = { label: 'Gramophone presets (JSON)', extensions: ['json'], mimeTypes: ['application/json'] };

/** The `accept` attribute of a file input for `type`: ".wav,.wave,audio/wav,…". */
export const acceptList = (type: FileType): string => [...type.extensions.map((e) => `.${e}`), ...type.mimeTypes].join(',');

/** A native dialog's filters for `type`: the whole type first (the default), then its kinds. */
export const dialogFilters = (type: FileType): { name: string; extensions: string[] }[] => [type, ...(type.kinds ?? [])].map((t) => ({ name: t.label, extensions: [...t.extensions] }));
/** A saved session: one file holding the session and the audio it references (a ZIP archive). */
export const SESSION_FILE: FileType = { label: 'Gramophone sessions', extensions: ['gramophone'], mimeTypes: ['application/zip'] };
