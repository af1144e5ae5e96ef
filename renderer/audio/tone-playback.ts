/**
 * Playback on Tone.js: one Player per track, synced to the shared Transport, each through
 * its own Gain into a master Volume. All players always run; A/B, mute, solo, loudness
 * matching and dry/wet only move gains (with a short ramp), so switching is sample-aligned
 * and click-free. An analyser on the master feeds the level meter.
 */
import * as Tone from 'tone';
import type { Region } from '../../common/audio';
import type { Playback, PlaybackSource } from './playback';
import { secondsToLoopStart } from './loop-boundary';

/** Gain ramp time for switching, seconds: long enough to avoid a click, short enough to feel instant. */
const RAMP = 0.015;

/**
 * A source: its players (one, or a streaming take's pieces) into a level (a stream's
 * normalising gain; a live version's share of a swap) into the gain that says how loud it is heard.
 */
interface Voice {
  players: Tone.Player[];
  level: Tone.Gain;
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

  const freePlayers = (players: Tone.Player[], level: Tone.Gain) => {
    for (const p of players) {
      p.unsync();
      p.dispose();
    }
    level.dispose();
  };
  const free = (v: Voice) => {
    freePlayers(v.players, v.level);
    v.gain.dispose();
  };
  /** A player of `src` synced to the transport at its offset, into `into`. */
  const playerOf = (src: PlaybackSource, into: Tone.Gain, edgeFade: number) => {
    const ctx = Tone.getContext().rawContext as BaseAudioContext;
    const len = src.channels[0]?.length ?? 0;
    const ab = ctx.createBuffer(src.channels.length, Math.max(1, len), src.sampleRate);
    src.channels.forEach((c, i) => ab.copyToChannel(c as Float32Array<ArrayBuffer>, i));
    const player = new Tone.Player(new Tone.ToneAudioBuffer(ab)).connect(into);
    player.fadeIn = edgeFade;
    player.fadeOut = edgeFade;
    player.sync().start(src.offset);
    return { player, end: src.offset + len / src.sampleRate };
  };
  const voiceOf = (id: string): Voice => {
    let v = voices.get(id);
    if (!v) {
      const gain = new Tone.Gain(gains[id] ?? 0).connect(master);
      v = { players: [], level: new Tone.Gain(1).connect(gain), gain, end: 0 };
      voices.set(id, v);
    }
    return v;
  };
  const duration = () => Math.max(0, ...[...voices.values()].map((v) => v.end));

  return {
    setSource(id: string, src: PlaybackSource) {
      const old = voices.get(id);
      if (old) free(old);
      voices.delete(id);
      const v = voiceOf(id);
      const { player, end } = playerOf(src, v.level, 0.005);
      v.players.push(player);
      v.end = end;
    },
    addPiece(id: string, piece: PlaybackSource) {
      const v = voiceOf(id);
      // No fade at a piece's edges: the next piece continues it sample for sample.
      const { player, end } = playerOf(piece, v.level, 0);
      v.players.push(player);
      v.end = Math.max(v.end, end);
    },
    setLevel(id: string, level: number) {
      voices.get(id)?.level.gain.rampTo(level, RAMP);
    },
    swapAt(id: string, src: PlaybackSource, at: number, fade: number) {
      const old = voices.get(id);
      if (!old || transport.state !== 'started') {
        this.setSource(id, src);
        return Promise.resolve(Tone.now());
      }
      // The new version runs silently in step from now, and takes over at the boundary.
      const level = new Tone.Gain(0).connect(old.gain);
      const { player, end } = playerOf(src, level, 0.005);
      const loopStart = Tone.Time(transport.loopStart).toSeconds();
      const loopEnd = Tone.Time(transport.loopEnd).toSeconds();
      const ahead = transport.loop && loopEnd > loopStart ? secondsToLoopStart(transport.seconds, { start: loopStart, end: loopEnd }) : Math.max(0, at - transport.seconds);
      const time = Tone.now() + ahead;
      const outgoing = { players: old.players, level: old.level };
      // Both versions follow the same content in time, so they agree closely: an equal-gain fade.
      outgoing.level.gain.cancelScheduledValues(time);
      outgoing.level.gain.setValueAtTime(1, time);
      outgoing.level.gain.linearRampToValueAtTime(0, time + fade);
      level.gain.setValueAtTime(0, time);
      level.gain.linearRampToValueAtTime(1, time + fade);
      old.players = [player];
      old.level = level;
      old.end = end;
      const ms = (time + fade - Tone.now()) * 1000;
      setTimeout(() => freePlayers(outgoing.players, outgoing.level), ms + 200);
      return new Promise<number>((resolve) => setTimeout(() => resolve(time), Math.max(0, ms - fade * 1000)));
    },
    clock: () => Tone.now(),
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
