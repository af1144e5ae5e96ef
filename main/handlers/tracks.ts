/**
 * Handlers for the renderer API's tracks (`common/api/tracks.ts`): files are decoded by the
 * engine and held in the track store; main itself does no DSP.
 */
import path from 'node:path';
import type { MethodHandlers } from '../../common/rpc';
import type { trackMethods } from '../../common/api/tracks';
import type { Lane, Track } from '../../common/contract';
import { MAX_AUDIO_BYTES, type AudioFile } from '../../common/engine-api';
import { AUDIO_INPUT } from '../../common/file-types';
import { GramophoneError } from '../../common/errors';
import type { EngineCalls } from '../engine-host';
import type { Dialogs } from '../dialogs';
import type { FileAccess } from '../file-access';
import { toTrack, type TrackStore } from '../track-store';
import { trackAudio, trackNotes } from '../track-notes';

export interface TrackDeps {
  engine: EngineCalls;
  tracks: TrackStore;
  dialogs: Dialogs;
  files: FileAccess;
  /** Folder holding the demo pair `content.wav` and `style.wav`. */
  demoDir: string;
  /** Settles when the session saved last time has been restored into `tracks`. */
  restored?: Promise<unknown>;
  /** The tracks' transcribed notes, shared with the MIDI export (default: a cache of its own). */
  notes?: ReturnType<typeof trackNotes>;
}

/** Decode a file in the engine and put it on a lane; the new track. */
export async function loadInput(engine: EngineCalls, tracks: TrackStore, lane: Lane, file: AudioFile): Promise<Track> {
  const decoded = await engine.call('decode', file);
  return toTrack(tracks.addInput(lane, decoded.info, file, decoded.channels));
}

export function trackHandlers({ engine, tracks, dialogs, files, demoDir, restored, notes = trackNotes(engine, tracks) }: TrackDeps): MethodHandlers<typeof trackMethods> {
  const load = (lane: Lane, name: string, bytes: Uint8Array) => loadInput(engine, tracks, lane, { name, bytes });
  const playable = (trackId: string) => trackAudio(tracks.get(trackId));

  return {
    async loadDemo() {
      const read = (f: string) => files.read(path.join(demoDir, f), MAX_AUDIO_BYTES);
      const [c, s] = await Promise.all([read('content.wav'), read('style.wav')]);
      return { content: await load('content', 'Demo content.wav', c), style: await load('style', 'Demo style.wav', s) };
    },
    async openAudio({ lane }) {
      const file = await dialogs.openFile({ title: `Open an audio file for the ${lane} lane`, type: AUDIO_INPUT });
      if (!file) return null;
      return load(lane, path.basename(file).slice(0, 255), await files.read(file, MAX_AUDIO_BYTES));
    },
    getAudio: ({ trackId }) => playable(trackId),
    getSpectrogram({ trackId, nFft, hop, maxFrames, range }, { signal }) {
      const { sampleRate, channels } = playable(trackId);
      // A zoomed-in view asks for its stretch only: cut here (views of the same samples,
      // no copy), so the engine analyses just what is shown at the detail it is shown at.
      const cut = range ? channels.map((c) => c.subarray(Math.min(c.length, Math.floor(range.start * sampleRate)), Math.min(c.length, Math.ceil(range.end * sampleRate)))) : channels;
      if (!cut[0]?.length) throw new GramophoneError('INVALID_INPUT', 'That stretch is past the end of the track.');
      return engine.call('spectrogram', { sampleRate, channels: cut, nFft, hop, maxFrames }, { signal });
    },
    getNotes: async ({ trackId }, { signal }) => ({ notes: await notes(trackId, signal) }),
    async listTracks() {
      await restored;
      return { tracks: tracks.list().map(toTrack) };
    },
    removeTrack: ({ trackId }) => ({ removed: tracks.remove(trackId) }),
    restoreTrack: ({ trackId }) => toTrack(tracks.restore(trackId)),
    renameTrack: ({ trackId, name }) => toTrack(tracks.rename(trackId, name)),
  };
}
