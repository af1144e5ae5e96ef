/**
 * The workstation's behaviour outside React, composed from one small client per part of the
 * shell API (tracks, renders, presets, exports) and the transport. Components reach each
 * through `useController()`; tests drive it with main's real handlers over an in-memory port
 * and a clock playback.
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
import { TransportControl } from './transport-control';

export class Controller {
  readonly tracks: TracksClient;
  readonly renders: RendersClient;
  readonly presets: PresetsClient;
  readonly exports: ExportsClient;
  readonly transport: TransportControl;
  private readonly offs: (() => void)[] = [];

  constructor(
    readonly api: GramophoneBridge,
    readonly store: Store,
    readonly playback: Playback,
  ) {
    this.tracks = new TracksClient(api, store, playback);
    this.renders = new RendersClient(api, store, this.tracks);
    this.presets = new PresetsClient(api, store);
    this.exports = new ExportsClient(api, store);
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
      () => this.transport.dispose(),
    );
  }

  get state() {
    return this.store.getState();
  }

  /**
   * Start-up: engine info, presets, then the lanes. Whatever main holds is restored; the
   * demo pair is loaded only when main has neither a content nor a style track yet.
   */
  async init(): Promise<void> {
    try {
      this.store.dispatch(A.setAppInfo, await this.api.getAppInfo({}));
    } catch (e) {
      this.store.dispatch(A.setEngine, { state: 'failed', message: messageOf(e) });
    }
    await this.presets.refresh();
    if (!(await this.tracks.restore())) await this.tracks.loadDemo();
  }

  dispose(): void {
    this.offs.splice(0).forEach((f) => f());
  }
}
