/**
 * The UI's side of the tracks API (`common/api/tracks.ts`): loads inputs onto the lanes, shows
 * what a session holds, keeps audio and spectrograms in caches (not in state) for playback
 * and drawing, and tells main about take edits made in the state (rename, remove, and their
 * undo), so an undo is one pure action here and one call there.
 */
import type { Lane, Track } from '../../common/contract';
import type { Spectrogram } from '../../common/audio';
import type { NoteEvent } from '../../common/notes';
import type { GramophoneBridge } from '../../common/contract';
import type { Playback } from '../audio/playback';
import type { Store } from '../state/store';
import * as A from '../state/actions';
import { messageOf } from './errors';
import { uploadAudio, type PageFile } from './upload';

/** Cap on spectrogram frames fetched per track: 10 minutes stays a bounded bitmap. */
const DISPLAY_MAX_FRAMES = 8192;
/** Whole-track spectrograms hop a quarter of the FFT size (before the cap widens it). */
const hopOf = (nFft: number) => nFft / 4;

export interface AudioData {
  sampleRate: number;
  channels: Float32Array[];
}

export class TracksClient {
  private readonly audioCache = new Map<string, Promise<AudioData>>();
  private readonly specCache = new Map<string, Promise<Spectrogram>>();
  private readonly notesCache = new Map<string, Promise<NoteEvent[]>>();
  /** Take names as main has them, by id: what the state is compared with after each change. */
  private readonly known = new Map<string, string>();
  /** Takes this page removed (main keeps them aside, so an undo can bring them back). */
  private readonly removed = new Set<string>();
  private readonly off: () => void;

  constructor(
    private readonly api: GramophoneBridge,
    private readonly store: Store,
    private readonly playback: Playback,
    private readonly notify: (text: string) => void = (text) => store.dispatch(A.pushNotice, { kind: 'error', text }),
  ) {
    this.off = store.subscribe(() => this.reconcile());
  }

  dispose(): void {
    this.off();
  }

  private get state() {
    return this.store.getState();
  }

  /**
   * Show a session's tracks (content, style, takes with their preset and metrics), audio
   * fetched first so each lane is playable when it appears. Returns false when there is no
   * input to show, so the caller loads the demo.
   */
  async show(tracks: Track[]): Promise<boolean> {
    if (!tracks.some((t) => t.kind === 'content' || t.kind === 'style')) {
      if (!tracks.length) return false;
      // Takes but no inputs (the demo failed to load last time): the demo, then the takes.
      await this.loadDemo();
    }
    for (const t of tracks) if (t.kind !== 'take') this.store.dispatch(A.laneLoading, t.kind);
    const fetched = await Promise.all(
      tracks.map((t) =>
        this.audio(t.id).then(
          () => null,
          (e: unknown) => messageOf(e),
        ),
      ),
    );
    for (const [i, t] of tracks.entries()) {
      const failed = fetched[i];
      if (failed !== null) {
        if (t.kind === 'take') this.notify(`Could not restore "${t.info.name}": ${failed}`);
        else this.store.dispatch(A.laneFailed, { lane: t.kind, message: `Could not restore "${t.info.name}": ${failed}` });
        continue;
      }
      await this.add(t);
    }
    return true;
  }

  /** Add any take main holds that this page has not shown yet. */
  async syncTakes(): Promise<void> {
    let tracks: Track[];
    try {
      ({ tracks } = await this.api.listTracks({}));
    } catch {
      return;
    }
    for (const t of tracks) {
      if (t.kind !== 'take' || this.state.tracks[t.id] || this.removed.has(t.id)) continue;
      try {
        await this.add(t);
      } catch (e) {
        this.notify(`Could not show "${t.info.name}": ${messageOf(e)}`);
      }
    }
  }

  async loadDemo(): Promise<void> {
    this.store.dispatch(A.laneLoading, 'content');
    this.store.dispatch(A.laneLoading, 'style');
    try {
      const { content, style } = await this.api.loadDemo({});
      await this.add(content);
      await this.add(style);
    } catch (e) {
      this.store.dispatch(A.laneFailed, { lane: 'content', message: `Could not load the demo: ${messageOf(e)}` });
      this.store.dispatch(A.laneFailed, { lane: 'style', message: 'Drop an audio file here or use Open…' });
    }
  }

  /** Load a dropped or picked file onto an input lane; errors stay on that lane. */
  async importFile(lane: Lane, file: PageFile): Promise<void> {
    this.store.dispatch(A.laneLoading, lane);
    try {
      const track = await uploadAudio(this.api, lane, file);
      await this.add(track);
    } catch (e) {
      this.store.dispatch(A.laneFailed, { lane, message: messageOf(e) });
    }
  }

  /**
   * The shell's Open dialog. Returns false when the shell has no dialog (web mode), so the
   * caller can offer its file picker instead.
   */
  async openAudio(lane: Lane): Promise<boolean> {
    if (this.state.shell === 'web') return false;
    this.store.dispatch(A.laneLoading, lane);
    try {
      const track = await this.api.openAudio({ lane });
      if (track) await this.add(track);
      else this.store.dispatch(A.clearLaneError, lane);
      return true;
    } catch (e) {
      this.store.dispatch(A.laneFailed, { lane, message: messageOf(e) });
      return false;
    }
  }

  /** Show a track on its lane (a new input replaces the lane's old one; a take is appended). */
  async add(t: Track): Promise<void> {
    const prev = t.kind === 'content' ? this.state.contentId : t.kind === 'style' ? this.state.styleId : null;
    // Fetch audio before showing the lane so playback is ready when the lane appears.
    const audio = await this.audio(t.id);
    this.playback.setSource(t.id, { ...audio, offset: t.take?.region?.start ?? 0 });
    if (prev && prev !== t.id) this.forget(prev, true);
    if (t.kind === 'take') this.known.set(t.id, t.info.name);
    this.store.dispatch(A.addTrack, t);
  }

  /** Drop a track's audio here (and, with `inMain`, in main too). */
  private forget(id: string, inMain: boolean): void {
    this.playback.removeSource(id);
    this.audioCache.delete(id);
    for (const k of [...this.specCache.keys()]) if (k.startsWith(`${id}:`)) this.specCache.delete(k);
    if (inMain) void this.api.removeTrack({ trackId: id }).catch(() => undefined);
  }

  /** Forget every track (another session replaces this one; main has already dropped them). */
  forgetAll(): void {
    for (const id of Object.keys(this.state.tracks)) this.forget(id, false);
    this.known.clear();
    this.removed.clear();
  }

  /** Remove a take (undoable). */
  removeTake(id: string): void {
    this.store.dispatch(A.removeTake, { id, at: Date.now() });
  }

  /** Rename a take (undoable). */
  renameTake(id: string, name: string): void {
    this.store.dispatch(A.renameTake, { id, name, at: Date.now() });
  }

  /** After every state change: tell main about takes removed, put back or renamed here. */
  private reconcile(): void {
    const s = this.state;
    for (const id of [...this.known.keys()]) {
      if (s.takeIds.includes(id)) continue;
      this.known.delete(id);
      this.removed.add(id);
      this.forget(id, true);
    }
    for (const id of s.takeIds) {
      const name = s.tracks[id].info.name;
      if (this.removed.has(id)) {
        this.removed.delete(id);
        this.known.set(id, name);
        void this.bringBack(id, name);
      } else if (this.known.has(id) && this.known.get(id) !== name) {
        this.known.set(id, name);
        this.api.renameTrack({ trackId: id, name }).catch((e: unknown) => this.notify(`Could not rename the take: ${messageOf(e)}`));
      }
    }
  }

  /** A take put back by undo: main puts it back too, and its audio returns to the transport. */
  private async bringBack(id: string, name: string): Promise<void> {
    try {
      const t = await this.api.restoreTrack({ trackId: id });
      if (t.info.name !== name) await this.api.renameTrack({ trackId: id, name });
      const audio = await this.audio(id);
      if (this.state.takeIds.includes(id)) this.playback.setSource(id, { ...audio, offset: t.take?.region?.start ?? 0 });
    } catch (e) {
      this.notify(`Could not bring the take back: ${messageOf(e)}`);
    }
  }

  /** The audio of a track this page already holds (a streamed take's samples): never fetched again. */
  provideAudio(trackId: string, audio: AudioData): void {
    this.audioCache.set(trackId, Promise.resolve(audio));
  }

  /** Audio of a track (cached; a failed fetch is not cached). */
  audio(trackId: string): Promise<AudioData> {
    let p = this.audioCache.get(trackId);
    if (!p) {
      p = this.api.getAudio({ trackId });
      this.audioCache.set(trackId, p);
      p.catch(() => this.audioCache.delete(trackId));
    }
    return p;
  }

  /** The notes the engine's transcriber hears in a track (cached; main keeps them too). */
  notes(trackId: string): Promise<NoteEvent[]> {
    let p = this.notesCache.get(trackId);
    if (!p) {
      p = this.api.getNotes({ trackId }).then((r) => r.notes);
      this.notesCache.set(trackId, p);
      p.catch(() => this.notesCache.delete(trackId));
    }
    return p;
  }

  /** Display spectrogram of a whole track from the engine's STFT, at FFT size `nFft` (cached). */
  spectrogram(trackId: string, nFft: number): Promise<Spectrogram> {
    const key = `${trackId}:${nFft}`;
    let p = this.specCache.get(key);
    if (!p) {
      p = this.api.getSpectrogram({ trackId, nFft, hop: hopOf(nFft), maxFrames: DISPLAY_MAX_FRAMES });
      this.specCache.set(key, p);
      p.catch(() => this.specCache.delete(key));
    }
    return p;
  }

  /**
   * A spectrogram of a stretch of a track with about `frames` frames (a zoomed-in view drawn
   * at its own detail), not cached; aborting `signal` cancels it.
   */
  detail(trackId: string, nFft: number, range: { start: number; end: number }, sampleRate: number, frames: number, signal: AbortSignal): Promise<Spectrogram> {
    const hop = Math.max(1, Math.min(8192, Math.floor(((range.end - range.start) * sampleRate) / Math.max(16, frames))));
    return this.api.getSpectrogram({ trackId, nFft, hop, maxFrames: Math.max(16, frames + 2), range }, { signal });
  }
}
