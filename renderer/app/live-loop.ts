/**
 * The live loop: with a region looping and Live on, every change of the controls re-renders
 * the region in the background as a draft (`renderDraft`, its samples arriving as
 * `renderChunk` events); a newer change cancels the draft in flight; a finished draft swaps in
 * at the next pass of the loop's start with a short crossfade. Drafts are not takes: one
 * becomes a take only when the musician keeps it (`keep`, the K key).
 */
import type { TakeChunk } from '../../common/audio';
import type { GramophoneBridge } from '../../common/contract';
import type { Playback } from '../audio/playback';
import type { Store } from '../state/store';
import * as A from '../state/actions';
import { LIVE_VOICE, liveChange, livePending, liveReady, liveSwapped, setLive, settingsWords } from '../state/stream';
import { messageOf } from './errors';
import { isCancel } from '../../common/errors';
import type { TracksClient } from './tracks-client';

/** Crossfade between the old and the new version at the loop boundary, seconds. */
export const SWAP_FADE_S = 0.03;
/** Wait this long after the last change before rendering (a slider drag is many changes), ms. */
const SETTLE_MS = 150;

interface Draft {
  jobId: string;
  abort: AbortController;
  samples: Float32Array | null;
  sampleRate: number;
  gain: number;
}

export class LiveLoop {
  private draft: Draft | null = null;
  /** The draft heard now, at its level (what `keep` keeps). */
  private sounding: { jobId: string; sampleRate: number; samples: Float32Array } | null = null;
  private seq = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastKey = '';
  private readonly off: () => void;
  /** Audio-clock time of each swap, with the settings swapped in (for the e2e and the lane). */
  readonly swaps: { jobId: string; settings: string; at: number }[] = [];

  constructor(
    private readonly api: GramophoneBridge,
    private readonly store: Store,
    private readonly playback: Playback,
    private readonly tracks: TracksClient,
  ) {
    this.off = store.subscribe(() => this.onState());
  }

  dispose(): void {
    this.off();
    this.draft?.abort.abort();
  }

  /** Live on or off; off cancels a draft in flight and the loop plays what it played before. */
  toggle(): void {
    const s = this.store.getState();
    if (!s.live.on && !(s.region && s.transport.loop)) {
      this.store.dispatch(A.pushNotice, { kind: 'info', text: 'Live needs a looping region: drag a region on the content lane and turn Loop on.' });
      return;
    }
    this.store.dispatch(setLive, !s.live.on);
    if (!this.store.getState().live.on) {
      this.draft?.abort.abort();
      this.draft = null;
      this.lastKey = '';
    }
  }

  /** Keep the version heard now as a take. */
  async keep(): Promise<void> {
    const sounding = this.sounding;
    if (!sounding) {
      this.store.dispatch(A.pushNotice, { kind: 'info', text: 'No live version is sounding yet.' });
      return;
    }
    try {
      const take = await this.api.keepDraft({ jobId: sounding.jobId });
      this.tracks.provideAudio(take.id, { sampleRate: sounding.sampleRate, channels: [sounding.samples] });
      await this.tracks.add(take);
      this.store.dispatch(A.pushNotice, { kind: 'info', text: `Kept "${take.info.name}".` });
    } catch (e) {
      this.store.dispatch(A.pushNotice, { kind: 'error', text: `Could not keep the live version: ${messageOf(e)}` });
    }
  }

  /** Whether `jobId` is the draft in flight. */
  owns(jobId: string): boolean {
    return this.draft?.jobId === jobId;
  }

  onChunk(c: TakeChunk): void {
    const d = this.draft;
    if (!d || d.jobId !== c.jobId) return;
    d.samples ??= new Float32Array(c.total);
    d.sampleRate = c.sampleRate;
    d.samples.set(c.samples.subarray(0, Math.max(0, d.samples.length - c.at)), c.at);
    d.gain = c.gain;
  }

  /** After every state change: a change of the controls or the region while Live is on re-renders. */
  private onState(): void {
    const s = this.store.getState();
    if (!s.live.on || !s.region || !s.transport.loop || !s.contentId || !s.styleId) return;
    const key = JSON.stringify([s.preset, s.region, s.contentId, s.styleId]);
    if (key === this.lastKey) return;
    this.lastKey = key;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.change(), SETTLE_MS);
  }

  private change(): void {
    const s = this.store.getState();
    if (!s.region || !s.contentId || !s.styleId) return;
    const settings = settingsWords(s.preset);
    const { cancel, start } = liveChange(s.live, s.transport.loop, settings);
    if (cancel && this.draft?.jobId === cancel) this.draft.abort.abort();
    if (!start) return;
    void this.render(settings);
  }

  private async render(settings: string): Promise<void> {
    const s = this.store.getState();
    if (!s.region || !s.contentId || !s.styleId) return;
    const region = { ...s.region };
    const d: Draft = { jobId: `live-${Date.now().toString(36)}-${++this.seq}`, abort: new AbortController(), samples: null, sampleRate: 0, gain: 1 };
    this.draft = d;
    this.store.dispatch(livePending, { jobId: d.jobId, settings });
    try {
      await this.api.renderDraft({ jobId: d.jobId, contentId: s.contentId, styleId: s.styleId, preset: s.preset, region }, { signal: d.abort.signal });
      if (this.draft !== d || !d.samples) return;
      const samples = d.samples.map((v) => v * d.gain);
      this.store.dispatch(liveReady, d.jobId);
      const first = !this.store.getState().live.sounding;
      const at = await this.playback.swapAt(LIVE_VOICE, { sampleRate: d.sampleRate, channels: [samples], offset: region.start }, region.start, SWAP_FADE_S);
      if (this.draft !== d || !this.store.getState().live.on) return;
      this.draft = null;
      this.sounding = { jobId: d.jobId, sampleRate: d.sampleRate, samples };
      this.swaps.push({ jobId: d.jobId, settings, at });
      this.store.dispatch(liveSwapped, d.jobId);
      if (first) this.playback.setLevel(LIVE_VOICE, 1);
    } catch (e) {
      if (this.draft === d) this.draft = null;
      if (!isCancel(e)) {
        this.store.dispatch(livePending, null);
        this.store.dispatch(A.pushNotice, { kind: 'error', text: `The live loop could not render: ${messageOf(e)}` });
      }
    }
  }
}
