/**
 * The workstation's behaviour outside React: calls the shell API, dispatches pure actions,
 * runs the render queue, keeps audio and spectrogram data in caches (not in state), and
 * keeps the transport in step with the store. Components call its methods; tests drive it
 * with a fake API and a clock playback.
 */
import type { Track } from '../../common/contract';
import type { Spectrogram } from '../../common/audio';
import { migratePreset, type Preset } from '../../common/preset';
import { GramophoneError } from '../../common/errors';
import type { UiBridge } from './bridge';
import type { Playback } from '../audio/playback';
import type { Store } from '../state/store';
import type { LaneKey } from '../state/app-state';
import * as A from '../state/actions';
import { presetModified } from '../state/preset-edit';

/** Display STFT used for every lane (independent of the render preset). */
export const DISPLAY_NFFT = 2048;
export const DISPLAY_HOP = 256;
/** Cap on spectrogram frames fetched per track: 10 minutes stays a bounded bitmap. */
export const DISPLAY_MAX_FRAMES = 8192;

export interface AudioData {
  sampleRate: number;
  channels: Float32Array[];
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const isCancel = (e: unknown) => e instanceof GramophoneError && e.code === 'CANCELLED';

export class Controller {
  private readonly audioCache = new Map<string, Promise<AudioData>>();
  private readonly specCache = new Map<string, Promise<Spectrogram>>();
  private readonly offs: (() => void)[] = [];
  private running: string | null = null;
  private jobSeq = 0;
  private lastAudible = '';
  private lastLoop = '';

  constructor(
    readonly api: UiBridge,
    readonly store: Store,
    readonly playback: Playback,
  ) {
    this.offs.push(
      api.on('engineStatus', (s) => {
        const was = store.getState().engine.state;
        store.dispatch(A.setEngine, s);
        // A render this page did not wait for (it was reloaded mid-render, or another
        // window started it) has just finished: pick up its take.
        if (s.state === 'ready' && was === 'busy' && !this.running) void this.syncTakes();
      }),
      api.on('renderProgress', (p) => store.dispatch(A.jobProgress, p)),
      store.subscribe(() => this.syncTransport()),
    );
  }

  get state() {
    return this.store.getState();
  }

  /**
   * Start-up: engine info, presets, then the lanes. Main keeps every track across a page
   * reload or a renderer crash, so whatever it holds is restored; the demo pair is loaded
   * only when main has neither a content nor a style track yet.
   */
  async init(): Promise<void> {
    try {
      this.store.dispatch(A.setAppInfo, await this.api.getAppInfo({}));
    } catch (e) {
      this.store.dispatch(A.setEngine, { state: 'failed', message: messageOf(e) });
    }
    await this.refreshPresets();
    if (!(await this.restoreTracks())) await this.loadDemo();
  }

  /**
   * Put back every track main holds (content, style, takes with their preset and metrics).
   * Returns false when there is no input to restore, so the caller loads the demo.
   */
  async restoreTracks(): Promise<boolean> {
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
    const fetched = await Promise.all(tracks.map((t) => this.audio(t.id).then(() => null, (e: unknown) => messageOf(e))));
    for (const [i, t] of tracks.entries()) {
      const failed = fetched[i];
      if (failed !== null) {
        if (t.kind === 'take') this.store.dispatch(A.pushNotice, { kind: 'error', text: `Could not restore "${t.info.name}": ${failed}` });
        else this.store.dispatch(A.laneFailed, { lane: t.kind, message: `Could not restore "${t.info.name}": ${failed}` });
        continue;
      }
      await this.addTrack(t);
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
        await this.addTrack(t);
      } catch (e) {
        this.store.dispatch(A.pushNotice, { kind: 'error', text: `Could not show "${t.info.name}": ${messageOf(e)}` });
      }
    }
  }

  dispose(): void {
    this.offs.splice(0).forEach((f) => f());
  }

  async loadDemo(): Promise<void> {
    this.store.dispatch(A.laneLoading, 'content');
    this.store.dispatch(A.laneLoading, 'style');
    try {
      const { content, style } = await this.api.loadDemo({});
      await this.addTrack(content);
      await this.addTrack(style);
    } catch (e) {
      this.store.dispatch(A.laneFailed, { lane: 'content', message: `Could not load the demo: ${messageOf(e)}` });
      this.store.dispatch(A.laneFailed, { lane: 'style', message: 'Drop a WAV here or use Open…' });
    }
  }

  /** Load a dropped or picked file onto an input lane; errors stay on that lane. */
  async importFile(lane: 'content' | 'style', file: { name: string; arrayBuffer(): Promise<ArrayBuffer> }): Promise<void> {
    this.store.dispatch(A.laneLoading, lane);
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const track = await this.api.importAudio({ lane, name: file.name.slice(0, 255) || 'untitled.wav', bytes });
      await this.addTrack(track);
    } catch (e) {
      this.store.dispatch(A.laneFailed, { lane, message: messageOf(e) });
    }
  }

  /**
   * The shell's Open dialog. Returns false when the shell has no dialog (web mode), so the
   * caller can offer its file picker instead.
   */
  async openAudio(lane: 'content' | 'style'): Promise<boolean> {
    if (this.state.shell === 'web') return false;
    this.store.dispatch(A.laneLoading, lane);
    try {
      const track = await this.api.openAudio({ lane });
      if (track) await this.addTrack(track);
      else this.store.dispatch(A.clearLaneError, lane);
      return true;
    } catch (e) {
      this.store.dispatch(A.laneFailed, { lane, message: messageOf(e) });
      return false;
    }
  }

  private async addTrack(t: Track): Promise<void> {
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

  // ---- transport -------------------------------------------------------------------

  /** Push gains and loop points to the transport when the relevant state changes. */
  private syncTransport(): void {
    const s = this.state;
    const audible = A.audibleTracks(s);
    const key = JSON.stringify(audible);
    if (key !== this.lastAudible) {
      this.lastAudible = key;
      this.playback.setAudible(audible);
    }
    const loop = s.transport.loop && s.region ? s.region : null;
    const lk = JSON.stringify(loop);
    if (lk !== this.lastLoop) {
      this.lastLoop = lk;
      this.playback.setLoop(loop);
    }
  }

  async togglePlay(): Promise<void> {
    if (this.playback.isPlaying()) {
      this.playback.pause();
      this.store.dispatch(A.setPlaying, false);
    } else {
      await this.playback.play();
      this.store.dispatch(A.setPlaying, true);
    }
  }

  stop(): void {
    this.playback.stop();
    this.store.dispatch(A.setPlaying, false);
  }

  /** A/B: audition lane `index` (0 content, 1 style, 2… takes) from the same position. */
  audition(index: number): void {
    this.store.dispatch(A.selectSourceIndex, index);
  }

  toggleLoop(): void {
    const s = this.state;
    if (!s.region) {
      this.store.dispatch(A.pushNotice, { kind: 'info', text: 'Drag across the top strip of the content lane to set a region to loop.' });
      return;
    }
    this.store.dispatch(A.setLoop, !s.transport.loop);
    if (!s.transport.loop) this.playback.seek(s.region.start);
  }

  // ---- renders ---------------------------------------------------------------------

  /** Queue a render of the current controls; starts it if nothing is running. */
  render(): string | null {
    const s = this.state;
    if (!s.contentId || !s.styleId) {
      this.store.dispatch(A.pushNotice, { kind: 'error', text: 'Load a content and a style track before rendering.' });
      return null;
    }
    const jobId = `job-${Date.now().toString(36)}-${++this.jobSeq}`;
    this.store.dispatch(A.enqueueRender, { jobId });
    void this.pump();
    return jobId;
  }

  async cancel(jobId: string): Promise<void> {
    const job = this.state.renders.find((j) => j.jobId === jobId);
    if (!job) return;
    if (job.status === 'queued') {
      this.store.dispatch(A.dequeue, jobId);
      return;
    }
    if (job.status === 'running') {
      try {
        await this.api.cancelRender({ jobId });
      } catch (e) {
        this.store.dispatch(A.pushNotice, { kind: 'error', text: `Could not cancel: ${messageOf(e)}` });
      }
    }
  }

  /** Run queued jobs one at a time. */
  private async pump(): Promise<void> {
    if (this.running) return;
    const job = A.nextJob(this.state);
    if (!job) return;
    this.running = job.jobId;
    this.store.dispatch(A.jobStarted, job.jobId);
    try {
      const take = await this.api.render({ jobId: job.jobId, contentId: job.contentId, styleId: job.styleId, preset: job.preset, region: job.region });
      await this.addTrack(take);
      this.store.dispatch(A.jobDone, { jobId: job.jobId, take });
    } catch (e) {
      this.store.dispatch(A.jobFailed, { jobId: job.jobId, message: messageOf(e), cancelled: isCancel(e) });
    } finally {
      this.running = null;
    }
    await this.pump();
  }

  // ---- presets ---------------------------------------------------------------------

  async refreshPresets(): Promise<void> {
    try {
      const r = await this.api.listPresets({});
      this.store.dispatch(A.setPresetLists, r);
    } catch (e) {
      this.store.dispatch(A.pushNotice, { kind: 'error', text: `Could not read presets: ${messageOf(e)}` });
    }
  }

  loadPreset(name: string): void {
    const s = this.state;
    const b = s.builtinPresets.find((p) => p.name === name);
    const u = s.userPresets.find((p) => p.name === name);
    const preset = u ?? b;
    if (preset) this.store.dispatch(A.loadPreset, { preset, builtin: !u && !!b });
  }

  isModified(): boolean {
    return presetModified(this.state.preset, this.state.loaded.preset);
  }

  private async guard<T>(what: string, f: () => Promise<T>): Promise<T | undefined> {
    try {
      return await f();
    } catch (e) {
      this.store.dispatch(A.pushNotice, { kind: 'error', text: `${what}: ${messageOf(e)}` });
      return undefined;
    }
  }

  /** Save the controls over the loaded user preset. Built-ins cannot be overwritten. */
  async savePreset(): Promise<boolean> {
    const s = this.state;
    if (s.loaded.builtin) return false;
    return this.saveAs(s.loaded.name, true);
  }

  async saveAs(name: string, overwrite = false): Promise<boolean> {
    const trimmed = name.trim();
    if (!trimmed) return false;
    const { source: _source, ...rest } = this.state.preset;
    const preset: Preset = { ...rest, name: trimmed };
    const r = await this.guard(`Could not save "${trimmed}"`, () => this.api.savePreset({ preset, overwrite }));
    if (!r) return false;
    this.store.dispatch(A.presetSaved, { user: r.user, name: trimmed });
    this.store.dispatch(A.pushNotice, { kind: 'info', text: `Saved preset "${trimmed}".` });
    return true;
  }

  async renamePreset(from: string, to: string): Promise<boolean> {
    const r = await this.guard(`Could not rename "${from}"`, () => this.api.renamePreset({ from, to: to.trim() }));
    if (!r) return false;
    this.store.dispatch(A.presetRenamed, { user: r.user, from, to: to.trim() });
    return true;
  }

  /** Delete a user preset, offering Undo (which saves it back). */
  async deletePreset(name: string): Promise<boolean> {
    const r = await this.guard(`Could not delete "${name}"`, () => this.api.deletePreset({ name }));
    if (!r) return false;
    this.store.dispatch(A.setPresetLists, { user: r.user });
    this.store.dispatch(A.pushNotice, { kind: 'info', text: `Deleted preset "${name}".`, undo: { label: 'Undo', preset: r.deleted } });
    return true;
  }

  async undoDelete(noticeId: number, preset: Preset): Promise<void> {
    this.store.dispatch(A.dismissNotice, noticeId);
    const r = await this.guard(`Could not restore "${preset.name}"`, () => this.api.savePreset({ preset }));
    if (r) this.store.dispatch(A.setPresetLists, { user: r.user });
  }

  /**
   * Import presets from JSON text (a preset, an array, or `{ presets: [...] }`). Each is
   * migrated and validated; the bad ones are reported by name, the good ones saved.
   */
  async importPresetText(fileName: string, text: string): Promise<{ imported: string[]; rejected: string[] }> {
    const imported: string[] = [];
    const rejected: string[] = [];
    let docs: unknown[];
    try {
      const json: unknown = JSON.parse(text);
      docs = Array.isArray(json) ? json : json && typeof json === 'object' && Array.isArray((json as { presets?: unknown }).presets) ? (json as { presets: unknown[] }).presets : [json];
    } catch (e) {
      this.store.dispatch(A.pushNotice, { kind: 'error', text: `"${fileName}" is not valid JSON: ${messageOf(e)}` });
      return { imported, rejected: [fileName] };
    }
    for (const d of docs) {
      const label = d && typeof d === 'object' && typeof (d as { name?: unknown }).name === 'string' ? (d as { name: string }).name : '(unnamed)';
      try {
        const p = migratePreset(d);
        const r = await this.api.savePreset({ preset: p, overwrite: true });
        this.store.dispatch(A.setPresetLists, { user: r.user });
        imported.push(p.name);
      } catch (e) {
        rejected.push(`${label}: ${messageOf(e)}`);
      }
    }
    const text2 = [imported.length ? `Imported ${imported.join(', ')}.` : '', rejected.length ? `Rejected ${rejected.join('; ')}.` : ''].filter(Boolean).join(' ');
    this.store.dispatch(A.pushNotice, { kind: rejected.length ? 'error' : 'info', text: text2 || `"${fileName}" holds no presets.` });
    return { imported, rejected };
  }

  /** The shell's import dialog (Electron); false in web mode. */
  async importPresetsDialog(): Promise<boolean> {
    if (this.state.shell === 'web') return false;
    const r = await this.guard('Could not import presets', () => this.api.importPresets({}));
    if (r) {
      this.store.dispatch(A.setPresetLists, { user: r.user });
      const rej = r.rejected.map((x) => `${x.name}: ${x.reason}`);
      this.store.dispatch(A.pushNotice, { kind: rej.length ? 'error' : 'info', text: `Imported ${r.imported.join(', ') || 'nothing'}.${rej.length ? ` Rejected ${rej.join('; ')}.` : ''}` });
    }
    return true;
  }

  async exportPresets(names: string[]): Promise<string | null> {
    const r = await this.guard('Could not export presets', () => this.api.exportPresets({ names }));
    if (r) this.store.dispatch(A.pushNotice, { kind: 'info', text: `Presets written to ${r.path}` });
    return r?.path ?? null;
  }

  // ---- export ----------------------------------------------------------------------

  async exportTakes(): Promise<string[] | null> {
    const ids = A.exportSelection(this.state);
    if (!ids.length) {
      this.store.dispatch(A.pushNotice, { kind: 'error', text: 'Render a take first: there is nothing to export yet.' });
      return null;
    }
    const r = await this.guard('Export failed', () => this.api.exportTakes({ trackIds: ids, format: this.state.exportFormat }));
    if (r === undefined) return null;
    this.store.dispatch(A.exported, r?.paths ?? null);
    return r?.paths ?? null;
  }

  laneKey(id: string): LaneKey {
    const t = this.state.tracks[id];
    return t ? A.laneOf(t) : 'content';
  }
}
