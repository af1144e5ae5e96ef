/**
 * A Standard MIDI File writer for one monophonic part: format 0, one track, one channel.
 * Small enough to write by hand, and it keeps the corpus free of any MIDI dependency.
 */

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
  const events: { tick: number; order: number; bytes: number[] }[] = [
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
  // Stable sort: at one tick, set-up events, then note-offs, then note-ons.
  events.sort((a, b) => a.tick - b.tick || a.order - b.order);
  const track: number[] = [];
  let now = 0;
  for (const e of events) {
    track.push(...variableLength(e.tick - now), ...e.bytes);
    now = e.tick;
  }
  track.push(0x00, 0xff, 0x2f, 0x00);
  const header = [...ascii('MThd'), ...u32be(6), 0, 0, 0, 1, (part.ticksPerQuarter >> 8) & 0xff, part.ticksPerQuarter & 0xff];
  return Uint8Array.from([...header, ...ascii('MTrk'), ...u32be(track.length), ...track]);
}
