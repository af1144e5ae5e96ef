/**
 * The transport as the UI drives it: play, stop, A/B, loop, and keeping the playback's gains,
 * master volume and loop points in step with the store.
 */
import type { Playback } from '../audio/playback';
import type { Store } from '../state/store';
import * as A from '../state/actions';
import { trackGains } from '../state/mix';
import { LIVE_VOICE, STREAM_VOICE, streamGate, streamWaiting } from '../state/stream';

export class TransportControl {
  private lastGains = '';
  /** The gains last given to the playback, by track id (what is heard, how loud). */
  gains: Readonly<Record<string, number>> = {};
  private lastLoop = '';
  private lastMaster = NaN;
  private readonly off: () => void;

  constructor(
    private readonly store: Store,
    private readonly playback: Playback,
  ) {
    this.off = store.subscribe(() => this.sync());
  }

  dispose(): void {
    this.off();
  }

  /** Push gains, master volume and loop points to the playback when the relevant state changes. */
  private sync(): void {
    const s = this.store.getState();
    // A streaming take and the live loop are heard when they are the source (no solo applies: they are no lanes' tracks yet).
    // A missing gain is 0 to the playback, so they are named only while they exist.
    const gains = {
      ...trackGains(s),
      ...(s.stream ? { [STREAM_VOICE]: s.transport.source === STREAM_VOICE ? 1 : 0 } : {}),
      ...(s.live.on ? { [LIVE_VOICE]: s.transport.source === LIVE_VOICE ? 1 : 0 } : {}),
    };
    const key = JSON.stringify(gains);
    if (key !== this.lastGains) {
      this.lastGains = key;
      this.gains = gains;
      this.playback.setGains(gains);
    }
    if (s.mix.masterDb !== this.lastMaster) {
      this.lastMaster = s.mix.masterDb;
      this.playback.setMasterDb(s.mix.masterDb);
    }
    const loop = s.transport.loop && s.region ? s.region : null;
    const lk = JSON.stringify(loop);
    if (lk !== this.lastLoop) {
      this.lastLoop = lk;
      this.playback.setLoop(loop);
    }
  }

  async togglePlay(): Promise<void> {
    const s = this.store.getState();
    // Held for a streaming take is playing too, as the button shows: pressing it pauses.
    if (this.playback.isPlaying() || (s.stream?.waiting && s.transport.playing)) {
      this.playback.pause();
      this.store.dispatch(A.setPlaying, false);
    } else {
      // A streaming take with nothing ready here yet is held at once, not started into
      // silence; it starts when the chunk arrives (renderer/app/stream-client.ts).
      if (s.stream && streamGate(s.stream, this.playback.position(), true) === 'wait') this.store.dispatch(streamWaiting, true);
      else await this.playback.play();
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

  /** Move the playhead (a click or drag on the ruler or a lane), seconds. */
  seek(seconds: number): void {
    this.playback.seek(Math.max(0, seconds));
  }

  toggleLoop(): void {
    const s = this.store.getState();
    if (!s.region) {
      this.store.dispatch(A.pushNotice, { kind: 'info', text: 'Drag across the top strip of the content lane to set a region to loop.' });
      return;
    }
    this.store.dispatch(A.setLoop, !s.transport.loop);
    if (!s.transport.loop) this.playback.seek(s.region.start);
  }
}
