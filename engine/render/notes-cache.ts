/**
 * Transcriptions kept for the engine process's next renders: a streaming render transcribes
 * its style once rather than once per segment, and a looped region re-rendered with new
 * weights (the live loop) transcribes neither input again. Keyed by the samples themselves
 * (a hash of their bits, their length and rate), so a changed input is never served stale.
 */
import { GramophoneError, isCancel } from '../../common/errors';
import type { NoteEvent } from '../../common/notes';
import { transcribe } from '../analysis/transcribe';
import { MODEL_SAMPLE_RATE, MODEL_WINDOW } from '../analysis/transcriber-model';
import type { hearBoth } from '../objective/notes/heard-notes';
import { samplesKey } from '../dsp/samples-key';

/** Transcriptions kept: a content segment or region and a style, for a few renders back. */
const KEEP = 8;

/** Transcriptions kept for the next renders (see the file comment). */
export interface NotesCache {
  /**
   * A `hearBoth` that remembers: the same contract (notes of both inputs, or none with a
   * warning when the transcriber cannot run), each input transcribed at most once while it
   * is among the last KEEP kept.
   */
  hear: typeof hearBoth;
  /**
   * One input's notes, transcribed now or found kept: how a render is readied before it is
   * asked for (./warm.ts).
   * @throws GramophoneError as `transcribe`
   */
  notesOf: (x: Float32Array, rate: number, signal?: AbortSignal, onProgress?: (f: number) => void) => Promise<NoteEvent[]>;
}

export function createNotesCache(): NotesCache {
  const kept = new Map<string, Promise<NoteEvent[]>>();
  const notesOf = (x: Float32Array, rate: number, signal?: AbortSignal, onProgress?: (f: number) => void): Promise<NoteEvent[]> => {
    const key = samplesKey(x, rate);
    const hit = kept.get(key);
    if (hit) {
      // Most recently used last.
      kept.delete(key);
      kept.set(key, hit);
      return hit;
    }
    const job = transcribe(x, rate, { signal, onProgress }).then((t) => t.notes);
    kept.set(key, job);
    // A failed or cancelled transcription is not kept: the next render tries again.
    job.catch(() => kept.delete(key));
    while (kept.size > KEEP) kept.delete(kept.keys().next().value as string);
    return job;
  };
  const hear: typeof hearBoth = async (content, style, sampleRate, warnings, onProgress, isCancelled) => {
    const controller = new AbortController();
    const total = content.length + style.length;
    const progress = (base: number, length: number) => (f: number) => {
      if (isCancelled?.()) controller.abort();
      onProgress?.((base + f * length) / total);
    };
    const mine = async (x: Float32Array, onProgress: (f: number) => void) => {
      try {
        return await notesOf(x, sampleRate, controller.signal, onProgress);
      } catch (e) {
        // The same input's transcription started by another render that was then cancelled
        // (a live loop's stale draft): this render was not, so it transcribes the input itself.
        if (isCancel(e) && !controller.signal.aborted) return notesOf(x, sampleRate, controller.signal, onProgress);
        throw e;
      }
    };
    try {
      const s = await mine(style, progress(0, style.length));
      const c = await mine(content, progress(style.length, content.length));
      return { content: c, style: s };
    } catch (e) {
      if (e instanceof GramophoneError && e.code !== 'CANCELLED') {
        warnings.push(`Notes were tracked one at a time: ${e.message}`);
        return {};
      }
      throw e;
    }
  };
  return { hear, notesOf };
}

/**
 * Load the transcriber and run one window of silence through it, so the first render's
 * first segment does not pay for loading the model and compiling its kernels (about 2 CPU s).
 * A transcriber that cannot load is said by the render that needs it, not here.
 */
export async function warmTranscriber(): Promise<void> {
  try {
    await transcribe(new Float32Array(MODEL_WINDOW), MODEL_SAMPLE_RATE);
  } catch {
    // The render that needs notes reports it in words.
  }
}
