/**
 * The notes the engine's transcriber hears in a track, asked for once per track and kept
 * while the track lives (a track's audio never changes). The overlay and "Export notes as
 * MIDI" share them.
 */
import type { NoteEvent } from '../common/notes';
import type { EngineCalls } from './engine-host';
import type { TrackEntry, TrackStore } from './track-store';

/** A track's mono-mixable channels and rate, input or take. */
export const trackAudio = (t: TrackEntry): { sampleRate: number; channels: Float32Array[] } =>
  t.kind === 'take' ? { sampleRate: t.result.sampleRate, channels: [t.result.samples] } : { sampleRate: t.info.sampleRate, channels: t.channels };

/** Notes per track, computed on first request by the engine's `transcribe`. */
export function trackNotes(engine: EngineCalls, tracks: TrackStore): (trackId: string, signal?: AbortSignal) => Promise<NoteEvent[]> {
  const cache = new WeakMap<TrackEntry, Promise<NoteEvent[]>>();
  return (trackId, signal) => {
    const t = tracks.get(trackId);
    let notes = cache.get(t);
    if (!notes) {
      notes = engine.call('transcribe', trackAudio(t), { signal }).then((r) => r.notes);
      cache.set(t, notes);
      // A failed or cancelled transcription is asked again next time.
      notes.catch(() => cache.delete(t));
    }
    return notes;
  };
}
