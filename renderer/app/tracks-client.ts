/**
 * The UI's side of the tracks API (`common/api/tracks.ts`): loads inputs onto the lanes,
 * restores what main holds after a reload, and keeps audio and spectrograms in caches (not
 * in state) for playback and drawing.
 */
import type { Lane, Track } from '../../common/contract';
import type { Spectrogram } from '../../common/audio';
import type { GramophoneBridge } from '../../common/contract';
import type { Playback } from '../audio/playback';
import type { Store } from '../state/store';
import * as A from '../state/actions';
import { messageOf } from './errors';
import { uploadAudio, type PageFile } from './upload';

/** Display STFT used for every lane (independent of the render preset). */
const DISPLAY_NFFT = 2048;
const DISPLAY_HOP = 256;
/** Cap on spectrogram frames fetched per track: 10 minutes stays a bounded bitmap. */
const DISPLAY_MAX_FRAMES = 8192;

export interface AudioData {
  sampleRate: number;
  channels: Float32Array[];
}

export class TracksClient {
  private readonly audioCache = new Map<string, Promise<AudioData>>();
  private readonly specCache = new Map<string, Promise<Spectrogram>>();

  constructor(
    private readonly api: GramophoneBridge,
    private readonly store: Store,
    private readonly playback: Playback,
  ) {}

  private get state() {
    return this.store.getState();
  }

  /**
   * Put back every track main holds (content, style, takes with their preset and metrics):
   * main keeps them across a page reload or a renderer crash. Returns false when there is
   * no input to restore, so the caller loads the demo.
   */
  async restore(): Promise<boolean> {
    let tracks: Track[];
    try {
      ({ tracks } = await this.api.listTracks({}));
    } catch (e) {
      this.store.dispatch(A.pushNotice, { kind: 'error', text: `Could not restore the session's tracks: ${messageOf(e)}` });
      return false;
    }
    if (!tracks.some((t) => t.kind === 'content' || t.kind === 'style')) {
      if (!tracks.length) return false;
      // Takes but no inputs (the demo failed to load last time): the demo, then the takes.
      await this.loadDemo();
    }
    for (const t of tracks) if (t.kind !== 'take') this.store.dispatch(A.laneLoading, t.kind);
    // Fetch all audio at once; lanes then appear in order without waiting on each other.
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
        if (t.kind === 'take') this.store.dispatch(A.pushNotice, { kind: 'error', text: `Could not restore "${t.info.name}": ${failed}` });
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
      if (t.kind !== 'take' || this.state.tracks[t.id]) continue;
      try {
        await this.add(t);
      } catch (e) {
        this.store.dispatch(A.pushNotice, { kind: 'error', text: `Could not show "${t.info.name}": ${messageOf(e)}` });
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
      this.store.dispatch(A.laneFailed, { lane: 'style', message: 'Drop a WAV here or use Open…' });
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
    if (prev && prev !== t.id) this.forget(prev);
    this.store.dispatch(A.addTrack, t);
  }

  private forget(id: string): void {
    this.playback.removeSource(id);
    this.audioCache.delete(id);
    this.specCache.delete(id);
    void this.api.removeTrack({ trackId: id }).catch(() => undefined);
  }

  removeTake(id: string): void {
    this.forget(id);
    this.store.dispatch(A.removeTake, id);
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

  /** Display spectrogram of a track from the engine's STFT (cached). */
  spectrogram(trackId: string): Promise<Spectrogram> {
    let p = this.specCache.get(trackId);
    if (!p) {
      p = this.api.getSpectrogram({ trackId, nFft: DISPLAY_NFFT, hop: DISPLAY_HOP, maxFrames: DISPLAY_MAX_FRAMES });
      this.specCache.set(trackId, p);
      p.catch(() => this.specCache.delete(trackId));
    }
    return p;
  }
}
