/**
 * Polyphonic note transcription of any mono signal: the signal is resampled to the
 * network's 22050 Hz, cut into overlapping 2 s windows, run through Basic Pitch
 * (transcriber-model.ts) window by window in this process, and the posteriorgrams, joined
 * on one uniform frame grid, are turned into note events (posteriorgram-notes.ts).
 */
import { GramophoneError, cancelled } from '../../common/errors';
import type { NoteEvent } from '../../common/notes';
import { resample } from '../dsp/resample';
import { posteriorgramNotes, type FrameNote } from './posteriorgram-notes';
import { MODEL_CONTOUR_BINS, MODEL_FRAMES, MODEL_HOP, MODEL_PITCHES, MODEL_SAMPLE_RATE, MODEL_WINDOW, loadTranscriberModel } from './transcriber-model';

/**
 * Frames dropped at each side of a window's output: the network's view there reaches past
 * the window, so its edges are unreliable. The windows advance by exactly the frames kept
 * (MODEL_FRAMES − 2·EDGE_FRAMES), so the kept frames of all windows make one uniform grid:
 * frame k lies at k · MODEL_HOP / MODEL_SAMPLE_RATE seconds.
 */
const EDGE_FRAMES = 15;
const KEPT_FRAMES = MODEL_FRAMES - 2 * EDGE_FRAMES;
const WINDOW_STEP = KEPT_FRAMES * MODEL_HOP;
/** Silence before the signal so its first kept frame sits at time 0. */
const LEAD_IN = EDGE_FRAMES * MODEL_HOP;

/** How a transcription reports and stops. */
export interface TranscribeOptions {
  /** Called after each window with the fraction done, 0–1. */
  onProgress?: (fraction: number) => void;
  /** Stops between windows with GramophoneError CANCELLED. */
  signal?: AbortSignal;
  /** The model's folder (default: the installed package's). */
  modelDir?: string;
}

/** The notes of a signal, and the raw frame-grid notes for callers working on frames. */
export interface Transcription {
  notes: NoteEvent[];
  /** Seconds per grid frame (MODEL_HOP / MODEL_SAMPLE_RATE). */
  frameS: number;
}

/**
 * Transcribe a mono signal.
 * @param samples mono samples at `sampleRate` (any length; empty gives no notes)
 * @param sampleRate Hz, 8000–192000
 * @returns notes sorted by onset then pitch; onsets and offsets in seconds from the signal's start
 * @throws GramophoneError CANCELLED on abort; INTERNAL / INVALID_INPUT when the model is missing or damaged
 */
export async function transcribe(samples: Float32Array, sampleRate: number, options: TranscribeOptions = {}): Promise<Transcription> {
  const frameS = MODEL_HOP / MODEL_SAMPLE_RATE;
  if (!(sampleRate >= 8000 && sampleRate <= 192000)) throw new GramophoneError('INVALID_INPUT', `Cannot transcribe audio at ${sampleRate} Hz: the rate must be 8–192 kHz`);
  const model = await loadTranscriberModel(options.modelDir);
  if (options.signal?.aborted) throw cancelled('Transcription');
  const x = sampleRate === MODEL_SAMPLE_RATE ? samples : resample(samples, sampleRate, MODEL_SAMPLE_RATE);
  const frames = Math.floor(x.length / MODEL_HOP);
  if (frames === 0) return { notes: [], frameS };
  const count = Math.ceil(frames / KEPT_FRAMES);
  const note = new Float32Array(count * KEPT_FRAMES * MODEL_PITCHES);
  const onset = new Float32Array(note.length);
  const contour = new Float32Array(count * KEPT_FRAMES * MODEL_CONTOUR_BINS);
  const window = new Float32Array(MODEL_WINDOW);
  for (let w = 0; w < count; w++) {
    window.fill(0);
    const from = w * WINDOW_STEP - LEAD_IN;
    for (let i = Math.max(0, -from); i < MODEL_WINDOW && from + i < x.length; i++) window[i] = x[from + i];
    const out = await model.run(window, 1);
    if (options.signal?.aborted) throw cancelled('Transcription');
    const keep = (src: Float32Array, width: number, dst: Float32Array) => dst.set(src.subarray(EDGE_FRAMES * width, (EDGE_FRAMES + KEPT_FRAMES) * width), w * KEPT_FRAMES * width);
    keep(out.note, MODEL_PITCHES, note);
    keep(out.onset, MODEL_PITCHES, onset);
    keep(out.contour, MODEL_CONTOUR_BINS, contour);
    options.onProgress?.((w + 1) / count);
    // Let a cancel message or other requests in between windows.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const grid = posteriorgramNotes({
    frames,
    note: note.subarray(0, frames * MODEL_PITCHES),
    onset: onset.subarray(0, frames * MODEL_PITCHES),
    contour: contour.subarray(0, frames * MODEL_CONTOUR_BINS),
  });
  return { notes: grid.map((n) => toEvent(n, frameS)), frameS };
}

const toEvent = (n: FrameNote, frameS: number): NoteEvent => ({
  onsetS: n.start * frameS,
  offsetS: n.end * frameS,
  midi: n.midi,
  amplitude: n.amplitude,
  bend: Array.from(n.bend, (b) => Math.round(b * 1000) / 1000),
});
