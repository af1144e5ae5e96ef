import { describe, expect, it } from 'vitest';
import { variableLength, writeMidiFile, writeNotesMidi } from '../../../engine/analysis/midi-file';
import { readSmf as readSmfFile, readVariableLength } from '../../helpers/smf';

/** A reader for exactly what the writer makes (format 0, no running status): [tick, bytes][]. */
function readSmf(bytes: Uint8Array) {
  const text = (o: number) => String.fromCharCode(...bytes.subarray(o, o + 4));
  const u32 = (o: number) => ((bytes[o] << 24) | (bytes[o + 1] << 16) | (bytes[o + 2] << 8) | bytes[o + 3]) >>> 0;
  expect(text(0)).toBe('MThd');
  expect(u32(4)).toBe(6);
  const format = (bytes[8] << 8) | bytes[9];
  const tracks = (bytes[10] << 8) | bytes[11];
  const division = (bytes[12] << 8) | bytes[13];
  expect(text(14)).toBe('MTrk');
  const end = 22 + u32(18);
  expect(end).toBe(bytes.length);
  const events: [number, number[]][] = [];
  let o = 22;
  let tick = 0;
  while (o < end) {
    const delta = readVariableLength(bytes, o);
    o = delta.next;
    tick += delta.value;
    const status = bytes[o];
    const size = status === 0xff ? 3 + bytes[o + 2] : (status & 0xf0) === 0xc0 ? 2 : 3;
    events.push([tick, Array.from(bytes.subarray(o, o + size))]);
    o += size;
  }
  return { format, tracks, division, events };
}

describe('MIDI file writer', () => {
  it('encodes variable-length quantities as the SMF specification’s examples', () => {
    expect(variableLength(0)).toEqual([0x00]);
    expect(variableLength(0x40)).toEqual([0x40]);
    expect(variableLength(0x7f)).toEqual([0x7f]);
    expect(variableLength(0x80)).toEqual([0x81, 0x00]);
    expect(variableLength(0x2000)).toEqual([0xc0, 0x00]);
    expect(variableLength(0x3fff)).toEqual([0xff, 0x7f]);
    expect(variableLength(0x4000)).toEqual([0x81, 0x80, 0x00]);
    expect(variableLength(0x0fffffff)).toEqual([0xff, 0xff, 0xff, 0x7f]);
    expect(() => variableLength(-1)).toThrow(RangeError);
  });

  it('writes a format-0 file that reads back: tempo, program, modulation, then notes with offs before ons', () => {
    const bytes = writeMidiFile({
      ticksPerQuarter: 480,
      tempoUsPerQuarter: 500000,
      program: 40,
      modulation: 64,
      notes: [
        { pitch: 60, tick: 240, ticks: 480, velocity: 96 },
        { pitch: 60, tick: 720, ticks: 200, velocity: 80 }, // repeated pitch starting as the first ends
      ],
    });
    expect(Array.from(bytes.subarray(0, 14))).toEqual([0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, 0x01, 0xe0]);
    const smf = readSmf(bytes);
    expect(smf).toMatchObject({ format: 0, tracks: 1, division: 480 });
    expect(smf.events).toEqual([
      [0, [0xff, 0x51, 0x03, 0x07, 0xa1, 0x20]],
      [0, [0xc0, 40]],
      [0, [0xb0, 0x01, 64]],
      [240, [0x90, 60, 96]],
      [720, [0x80, 60, 0]],
      [720, [0x90, 60, 80]],
      [920, [0x80, 60, 0]],
      [920, [0xff, 0x2f, 0x00]],
    ]);
  });

  it('refuses values MIDI cannot hold', () => {
    const part = { ticksPerQuarter: 480, tempoUsPerQuarter: 500000, program: 0, notes: [{ pitch: 60, tick: 0, ticks: 10, velocity: 90 }] };
    expect(() => writeMidiFile({ ...part, program: 128 })).toThrow(/program/);
    expect(() => writeMidiFile({ ...part, notes: [{ pitch: 128, tick: 0, ticks: 1, velocity: 1 }] })).toThrow(/pitch/);
    expect(() => writeMidiFile({ ...part, notes: [{ pitch: 60, tick: 0, ticks: 0, velocity: 1 }] })).toThrow(/length/);
    expect(() => writeMidiFile({ ...part, notes: [{ pitch: 60, tick: 0, ticks: 1, velocity: 0 }] })).toThrow(/velocity/);
  });
});

describe('writeNotesMidi: the lanes’ notes, one track each', () => {
  const bent = Array.from({ length: 40 }, (_v, i) => 0.5 * Math.sin((2 * Math.PI * i) / 20));
  const lanes = [
    {
      name: 'content: piano.wav',
      notes: [
        { onsetS: 0.5, offsetS: 1.5, midi: 60, amplitude: 0.8, bend: [0, 0.3, 0.3] },
        { onsetS: 0.5, offsetS: 1.5, midi: 64, amplitude: 0.4, bend: [] },
        { onsetS: 2, offsetS: 2.5, midi: 69, amplitude: 1, bend: bent },
      ],
    },
    { name: 'take', notes: [{ onsetS: 0.25, offsetS: 0.75, midi: 72, amplitude: 0.01, bend: [] }] },
  ];
  const smf = readSmfFile(writeNotesMidi(lanes));

  it('reads back as format 1 with a tempo track and the lanes by name, on their own channels', () => {
    expect(smf.format).toBe(1);
    expect(smf.division).toBe(480);
    expect(smf.tempoUs).toBe(500000);
    expect(smf.tracks.map((t) => t.name)).toEqual([undefined, 'content: piano.wav', 'take']);
    expect(smf.tracks[1].notes.every((n) => n.channel === 0)).toBe(true);
    expect(smf.tracks[2].notes.every((n) => n.channel === 1)).toBe(true);
    // Bend range ±2 semitones (RPN 0) set on each lane's channel.
    expect(smf.tracks[1].controllers.slice(0, 3).map((c) => [c.cc, c.value])).toEqual([
      [101, 0],
      [100, 0],
      [6, 2],
    ]);
  });

  it('keeps every note’s pitch, times (to the tick, 1/960 s) and velocity from its amplitude', () => {
    const seconds = (ticks: number) => ticks / 960;
    const back = smf.tracks
      .slice(1)
      .map((t) => t.notes.map((n) => ({ midi: n.pitch, onsetS: seconds(n.on), offsetS: seconds(n.off), velocity: n.velocity })).sort((a, b) => a.onsetS - b.onsetS || a.midi - b.midi));
    expect(back).toEqual([
      [
        { midi: 60, onsetS: 0.5, offsetS: 1.5, velocity: 102 },
        { midi: 64, onsetS: 0.5, offsetS: 1.5, velocity: 51 },
        { midi: 69, onsetS: 2, offsetS: 2.5, velocity: 127 },
      ],
      [{ midi: 72, onsetS: 0.25, offsetS: 0.75, velocity: 1 }],
    ]);
  });

  it('bends a note that sounds alone (and recentres the wheel after it), never a chord', () => {
    const bends = smf.tracks[1].bends;
    // Nothing during the chord (0.5–1.5 s = ticks 480–1440) but the wheel reset at its end.
    expect(bends.filter((b) => b.tick >= 480 && b.tick < 1440)).toEqual([]);
    const during = bends.filter((b) => b.tick >= 1920 && b.tick < 2400).map((b) => ((b.value - 8192) / 8192) * 2);
    expect(Math.max(...during)).toBeCloseTo(0.5, 1);
    expect(Math.min(...during)).toBeCloseTo(-0.5, 1);
    expect(bends.at(-1)).toEqual({ tick: 2400, value: 8192 });
  });

  it('refuses more lanes than channels', () => {
    expect(() => writeNotesMidi(Array.from({ length: 16 }, (_v, i) => ({ name: `${i}`, notes: [] })))).toThrow(/at most 15 lanes/);
  });
});
