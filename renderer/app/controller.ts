/**
 * The workstation's behaviour outside React, composed from one small client per part of the
 * shell API (tracks, renders, presets, exports, session), the transport and the page's
 * questions. Components reach each through `useController()`; tests drive it with main's
 * real handlers over an in-memory port and a clock playback.
 */
import type { GramophoneBridge } from '../../common/contract';
import type { Playback } from '../audio/playback';
import type { Store } from '../state/store';
import * as A from '../state/actions';
import { messageOf } from './errors';
import { TracksClient } from './tracks-client';
import { RendersClient } from './renders-client';
import { PresetsClient } from './presets-client';
import { ExportsClient } from './exports-client';
import { SessionClient } from './session-client';
import { TransportControl } from './transport-control';
import { Questions } from './questions';
import { StreamClient } from './stream-client';
import { readyRenders } from './render-readier';
import { LiveLoop } from './live-loop';

export class Controller {
  readonly tracks: TracksClient;
  readonly renders: RendersClient;
  readonly presets: PresetsClient;
  readonly exports: ExportsClient;
  readonly session: SessionClient;
  readonly transport: TransportControl;
  readonly questions: Questions;
  readonly stream: StreamClient;
  readonly live: LiveLoop;
  private readonly offs: (() => void)[] = [];

  constructor(
    readonly api: GramophoneBridge,
    readonly store: Store,
    readonly playback: Playback,
  ) {
    this.questions = new Questions(store);
    this.tracks = new TracksClient(api, store, playback);
    this.stream = new StreamClient(store, playback);
    this.renders = new RendersClient(api, store, this.tracks, this.questions, this.stream);
    this.live = new LiveLoop(api, store, playback, this.tracks);
    this.presets = new PresetsClient(api, store, this.questions);
    this.exports = new ExportsClient(api, store);
    this.session = new SessionClient(api, store, this.tracks, this.questions);
    this.transport = new TransportControl(store, playback);
    this.offs.push(
      api.on('engineStatus', (s) => {
        const was = store.getState().engine.state;
        store.dispatch(A.setEngine, s);
        // A render this page did not wait for (it was reloaded mid-render, or another
        // window started it) has just finished: pick up its take.
        if (s.state === 'ready' && was === 'busy' && !this.renders.busy) void this.tracks.syncTakes();
      }),
      api.on('renderProgress', (p) => store.dispatch(A.jobProgress, p)),
      api.on('renderChunk', (c) => (this.live.owns(c.jobId) ? this.live.onChunk(c) : this.stream.onChunk(c))),
      () => this.live.dispose(),
      readyRenders(api, store),
      () => this.transport.dispose(),
      () => this.tracks.dispose(),
      () => this.session.dispose(),
    );
  }

  get state() {
    return this.store.getState();
  }

  /**
   * Start-up: engine info, presets, then the session main restored (its lanes, then the
   * page's part: region, view, controls, mix). The demo pair is loaded only when the
   * session has neither a content nor a style; the introduction shows until it is seen.
   */
  async init(): Promise<void> {
    try {
      this.store.dispatch(A.setAppInfo, await this.api.getAppInfo({}));
    } catch (e) {
      this.store.dispatch(A.setEngine, { state: 'failed', message: messageOf(e) });
    }
    await this.presets.refresh();
    if (!(await this.session.show(await this.session.load()))) await this.tracks.loadDemo();
    if (!this.state.introSeen) this.store.dispatch(A.setOverlay, 'intro');
    this.session.start();
  }

  /** Undo the last edit of the controls, the region or a take (Ctrl+Z). */
  undo(): void {
    this.store.dispatch(A.undo, undefined);
  }

  /** Redo what was undone last (Ctrl+Shift+Z). */
  redo(): void {
    this.store.dispatch(A.redo, undefined);
  }

  dispose(): void {
    this.offs.splice(0).forEach((f) => f());
  }
}
