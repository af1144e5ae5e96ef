/**
 * Playback on Tone.js: one Player per track, synced to the shared Transport, each through
 * its own Gain into a master Volume. All players always run; A/B, mute, solo, loudness
 * matching and dry/wet only move gains (with a short ramp), so switching is sample-aligned
 * and click-free. An analyser on the master feeds the level meter.
 */
import * as Tone from 'tone';
import type { Region } from '../../common/audio';
import type { Playback, PlaybackSource } from './playback';

/** Gain ramp time for switching, seconds: long enough to avoid a click, short enough to feel instant. */
const RAMP = 0.015;

interface Voice {
  player: Tone.Player;
  gain: Tone.Gain;
  end: number;
}

/** Samples the meter reads each frame (about 46 ms at 44.1 kHz). */
const METER_SIZE = 2048;

export function createTonePlayback(): Playback {
  const voices = new Map<string, Voice>();
  let gains: Record<string, number> = {};
  const transport = Tone.getTransport();
  const master = new Tone.Volume(0).toDestination();
  const meter = new Tone.Analyser('waveform', METER_SIZE);
  master.connect(meter);

  const free = (v: Voice) => {
    v.player.unsync();
    v.player.dispose();
    v.gain.dispose();
  };
  const duration = () => Math.max(0, ...[...voices.values()].map((v) => v.end));

  return {
    setSource(id: string, src: PlaybackSource) {
      const old = voices.get(id);
      if (old) free(old);
      const ctx = Tone.getContext().rawContext as BaseAudioContext;
      const len = src.channels[0]?.length ?? 0;
      const ab = ctx.createBuffer(src.channels.length, Math.max(1, len), src.sampleRate);
      src.channels.forEach((c, i) => ab.copyToChannel(c as Float32Array<ArrayBuffer>, i));
      const gain = new Tone.Gain(gains[id] ?? 0).connect(master);
      const player = new Tone.Player(new Tone.ToneAudioBuffer(ab)).connect(gain);
      player.fadeIn = 0.005;
      player.fadeOut = 0.005;
      player.sync().start(src.offset);
      voices.set(id, { player, gain, end: src.offset + len / src.sampleRate });
    },
    removeSource(id: string) {
      const v = voices.get(id);
      if (v) free(v);
      voices.delete(id);
    },
    setGains(g: Record<string, number>) {
      gains = { ...g };
      for (const [id, v] of voices) v.gain.gain.rampTo(gains[id] ?? 0, RAMP);
    },
    setMasterDb(db: number) {
      master.volume.rampTo(db, RAMP);
    },
    levels() {
      const x = meter.getValue() as Float32Array;
      let peak = 0;
      let sum = 0;
      for (let i = 0; i < x.length; i++) {
        peak = Math.max(peak, Math.abs(x[i]));
        sum += x[i] * x[i];
      }
      return { peak, rms: Math.sqrt(sum / Math.max(1, x.length)) };
    },
    async play() {
      await Tone.start();
      if (transport.state !== 'started') {
        // Past the end: start again from the top rather than play silence.
        if (!transport.loop && transport.seconds >= duration()) transport.seconds = 0;
        transport.start('+0.02');
      }
    },
    pause() {
      transport.pause();
    },
    stop() {
      transport.stop();
      transport.seconds = transport.loop ? Tone.Time(transport.loopStart).toSeconds() : 0;
    },
    seek(seconds: number) {
      const s = Math.max(0, seconds);
      if (transport.state === 'started') {
        transport.pause();
        transport.seconds = s;
        transport.start('+0.01');
      } else {
        transport.seconds = s;
      }
    },
    setLoop(r: Region | null) {
      if (r) {
        transport.setLoopPoints(r.start, r.end);
        transport.loop = true;
      } else {
        transport.loop = false;
      }
    },
    position: () => transport.seconds,
    isPlaying: () => transport.state === 'started',
    duration,
  };
}
