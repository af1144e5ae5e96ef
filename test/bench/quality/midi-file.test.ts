import { describe, expect, it } from 'vitest';
import { variableLength, writeMidiFile } from '../../../bench/quality/midi-file';

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
    let delta = 0;
    let b: number;
    do {
      b = bytes[o++];
      delta = (delta << 7) | (b & 0x7f);
    } while (b & 0x80);
    tick += delta;
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
