/**
 * A Standard MIDI File writer: one part as format 0 (the benchmark's corpus scores), or the
 * transcribed notes of several lanes as format 1, one track per lane (the workstation's
 * "Export notes as MIDI" and the command line's --notes-out). Small enough to write by
 * hand, and it keeps the program free of any MIDI dependency.
 */
import type { NoteEvent } from '../../common/notes';
import { NOTE_BEND_RATE_HZ } from '../../common/notes';

/** One note in MIDI ticks. */
export interface MidiNote {
  /** MIDI note number 0–127 (60 = middle C, 69 = A4 = 440 Hz). */
  pitch: number;
  /** Note-on time in ticks from the start. */
  tick: number;
  /** Length in ticks (≥ 1); the note-off comes at tick + ticks. */
  ticks: number;
  /** Note-on velocity 1–127. */
  velocity: number;
}

/** What `writeMidiFile` writes. */
export interface MidiPart {
  /** Ticks per quarter note (the header's division), 1–32767. */
  ticksPerQuarter: number;
  /** Tempo in microseconds per quarter note, 1–16777215 (500000 = 120 bpm). */
  tempoUsPerQuarter: number;
  /** General MIDI program 0–127 (0 = Acoustic Grand Piano); channel 0. */
  program: number;
  /** Modulation wheel (controller 1) 0–127 set at tick 0, e.g. for vibrato; omitted when undefined. */
  modulation?: number;
  notes: readonly MidiNote[];
}

const byte = (name: string, v: number, lo = 0, hi = 127) => {
  if (!Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`${name} must be a whole number in ${lo}–${hi}, not ${v}`);
  return v;
};

/** MIDI variable-length quantity: 7 bits per byte, most significant first, high bit = more. */
export function variableLength(n: number): number[] {
  if (!Number.isInteger(n) || n < 0 || n > 0x0fffffff) throw new RangeError(`a MIDI delta time must be in 0–268435455 ticks, not ${n}`);
  const out = [n & 0x7f];
  for (let v = n >>> 7; v > 0; v >>>= 7) out.unshift((v & 0x7f) | 0x80);
  return out;
}

const u32be = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/**
 * Encode a part as an SMF (format 0). Events at tick 0: tempo, program change, then the
 * modulation controller if given; notes as note-on (0x90) / note-off (0x80, velocity 0)
 * on channel 0, note-offs before note-ons at the same tick so a repeated pitch restarts.
 * @throws RangeError for out-of-range values
 */
export function writeMidiFile(part: MidiPart): Uint8Array {
  byte('ticksPerQuarter', part.ticksPerQuarter, 1, 0x7fff);
  byte('tempo', part.tempoUsPerQuarter, 1, 0xffffff);
  const events: TrackEvent[] = [
    { tick: 0, order: 0, bytes: [0xff, 0x51, 0x03, (part.tempoUsPerQuarter >> 16) & 0xff, (part.tempoUsPerQuarter >> 8) & 0xff, part.tempoUsPerQuarter & 0xff] },
    { tick: 0, order: 0, bytes: [0xc0, byte('program', part.program)] },
  ];
  if (part.modulation !== undefined) events.push({ tick: 0, order: 0, bytes: [0xb0, 0x01, byte('modulation', part.modulation)] });
  for (const n of part.notes) {
    byte('pitch', n.pitch);
    byte('velocity', n.velocity, 1);
    if (!Number.isInteger(n.tick) || n.tick < 0 || !Number.isInteger(n.ticks) || n.ticks < 1) {
      throw new RangeError(`a note needs a whole tick ≥ 0 and a length ≥ 1 tick, not ${n.tick} + ${n.ticks}`);
    }
    events.push({ tick: n.tick + n.ticks, order: 1, bytes: [0x80, n.pitch, 0] });
    events.push({ tick: n.tick, order: 2, bytes: [0x90, n.pitch, n.velocity] });
  }
  return smf(0, part.ticksPerQuarter, [encodeTrack(events)]);
}

interface TrackEvent {
  tick: number;
  /** Order among events at one tick: set-up 0, note-offs 1, note-ons 2. */
  order: number;
  bytes: number[];
}

/** A track chunk's bytes from its events (any order), ended by End of Track. */
function encodeTrack(events: TrackEvent[]): number[] {
  // Stable sort: at one tick, set-up events, then note-offs, then note-ons.
  events.sort((a, b) => a.tick - b.tick || a.order - b.order);
  const track: number[] = [];
  let now = 0;
  for (const e of events) {
    track.push(...variableLength(e.tick - now), ...e.bytes);
    now = e.tick;
  }
  track.push(0x00, 0xff, 0x2f, 0x00);
  return [...ascii('MTrk'), ...u32be(track.length), ...track];
}

/** A whole file: header (format, track count, division) and the track chunks. */
function smf(format: 0 | 1, ticksPerQuarter: number, tracks: number[][]): Uint8Array {
  const header = [...ascii('MThd'), ...u32be(6), 0, format, (tracks.length >> 8) & 0xff, tracks.length & 0xff, (ticksPerQuarter >> 8) & 0xff, ticksPerQuarter & 0xff];
  return Uint8Array.from([...header, ...tracks.flat()]);
}

/** One lane's notes for `writeNotesMidi`. */
export interface NotesLane {
  /** The track's name (a Sequence/Track Name event), e.g. the lane's file name. */
  name: string;
  notes: readonly NoteEvent[];
}

/** The notes files' timing: 480 ticks per quarter at 120 bpm, so one tick is 1/960 s. */
const NOTES_TPQ = 480;
const NOTES_TEMPO_US = 500000;
const TICKS_PER_SECOND = (NOTES_TPQ * 1e6) / NOTES_TEMPO_US;
/** Pitch-bend range set on every channel (RPN 0), in semitones; bends beyond it are held at it. */
const BEND_RANGE = 2;
/** A bend is sent when it has moved this far (semitones) since the last one sent: about one pitch-wheel step in 80. */
const BEND_STEP = 0.025;

/**
 * Encode the notes of several lanes as a format-1 Standard MIDI File: a tempo track, then one
 * track per lane on its own channel (0, 1, …, skipping 9, General MIDI's drums), with
 * velocity from each note's amplitude. A note's bend curve goes out as pitch-bend events
 * (range ±2 semitones, set by RPN 0) while it sounds alone on its track: a channel's bend
 * moves every note on it, so notes in a chord keep their written pitch.
 * @throws RangeError for more than 15 lanes
 */
export function writeNotesMidi(lanes: readonly NotesLane[]): Uint8Array {
  if (lanes.length > 15) throw new RangeError(`a notes file holds at most 15 lanes (one channel each), not ${lanes.length}`);
  const tick = (s: number) => Math.max(0, Math.round(s * TICKS_PER_SECOND));
  const tempo: TrackEvent[] = [{ tick: 0, order: 0, bytes: [0xff, 0x51, 0x03, (NOTES_TEMPO_US >> 16) & 0xff, (NOTES_TEMPO_US >> 8) & 0xff, NOTES_TEMPO_US & 0xff] }];
  const tracks = lanes.map((lane, i) => {
    const ch = i < 9 ? i : i + 1;
    const name = Array.from(new TextEncoder().encode(lane.name.slice(0, 100)));
    const events: TrackEvent[] = [
      { tick: 0, order: 0, bytes: [0xff, 0x03, ...variableLength(name.length), ...name] },
      // RPN 0 (pitch-bend sensitivity) = BEND_RANGE semitones, then the RPN closed.
      ...[
        [101, 0],
        [100, 0],
        [6, BEND_RANGE],
        [38, 0],
        [101, 127],
        [100, 127],
      ].map(([cc, v]) => ({ tick: 0, order: 0, bytes: [0xb0 | ch, cc, v] })),
    ];
    for (const n of lane.notes) {
      const on = tick(n.onsetS);
      const off = Math.max(on + 1, tick(n.offsetS));
      const velocity = Math.max(1, Math.min(127, Math.round(n.amplitude * 127)));
      events.push({ tick: off, order: 1, bytes: [0x80 | ch, n.midi, 0] });
      events.push({ tick: on, order: 2, bytes: [0x90 | ch, n.midi, velocity] });
      const alone = !lane.notes.some((m) => m !== n && m.onsetS < n.offsetS && m.offsetS > n.onsetS);
      if (!alone || !n.bend.length) continue;
      let sent = 0;
      n.bend.forEach((b, j) => {
        const at = on + Math.round((j / NOTE_BEND_RATE_HZ) * TICKS_PER_SECOND);
        if (at >= off || (j > 0 && Math.abs(b - sent) < BEND_STEP)) return;
        sent = b;
        events.push({ tick: at, order: 2, bytes: [0xe0 | ch, ...pitchWheel(b)] });
      });
      // The wheel back to centre with the note-off, so the next note starts in tune.
      events.push({ tick: off, order: 1, bytes: [0xe0 | ch, ...pitchWheel(0)] });
    }
    return encodeTrack(events);
  });
  return smf(1, NOTES_TPQ, [encodeTrack(tempo), ...tracks]);
}

/** The two data bytes (LSB, MSB) of a pitch-bend message for `semitones` within ±BEND_RANGE; 8192 is centre. */
function pitchWheel(semitones: number): [number, number] {
  const v = Math.max(0, Math.min(16383, Math.round(8192 + (Math.max(-BEND_RANGE, Math.min(BEND_RANGE, semitones)) / BEND_RANGE) * 8192)));
  return [v & 0x7f, v >> 7];
}
