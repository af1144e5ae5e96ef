import { describe, expect, it } from 'vitest';
import { crc32, inflateSync } from 'node:zlib';
import { encodePng } from '../../../bench/quality/png';
import { PICTURE, colour, spectrogramPng } from '../../../bench/quality/spectrogram-png';
import { sine } from '../../engine/dsp/signals';

/** Chunks of a PNG, with each CRC checked. */
function chunks(png: Uint8Array) {
  const b = Buffer.from(png);
  expect(Array.from(b.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const out: { type: string; data: Buffer }[] = [];
  for (let o = 8; o < b.length;) {
    const len = b.readUInt32BE(o);
    const type = b.toString('latin1', o + 4, o + 8);
    const data = b.subarray(o + 8, o + 8 + len);
    expect(b.readUInt32BE(o + 8 + len), `CRC of ${type}`).toBe(crc32(b.subarray(o + 4, o + 8 + len)));
    out.push({ type, data });
    o += 12 + len;
  }
  return out;
}

describe('PNG encoder', () => {
  it('writes IHDR, IDAT, IEND with valid CRCs and the pixels row by row behind filter byte 0', () => {
    const rgb = Uint8Array.from({ length: 3 * 2 * 3 }, (_, i) => i * 10);
    const c = chunks(encodePng(3, 2, rgb));
    expect(c.map((x) => x.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(c[0].data.readUInt32BE(0)).toBe(3);
    expect(c[0].data.readUInt32BE(4)).toBe(2);
    expect(Array.from(c[0].data.subarray(8))).toEqual([8, 2, 0, 0, 0]);
    const rows = inflateSync(c[1].data);
    expect(Array.from(rows)).toEqual([0, ...rgb.subarray(0, 9), 0, ...rgb.subarray(9)]);
  });

  it('refuses a wrong size', () => {
    expect(() => encodePng(2, 2, new Uint8Array(11))).toThrow(/needs 12 bytes/);
    expect(() => encodePng(0, 2, new Uint8Array(0))).toThrow(/positive/);
  });
});

describe('spectrogram picture', () => {
  it('is frames wide and PICTURE.rows high, with a sine as a bright row at its log-frequency height', () => {
    const rate = 22050;
    const png = spectrogramPng(sine(1000, rate, rate, 0.5), rate);
    const c = chunks(png);
    const width = c[0].data.readUInt32BE(0);
    expect(width).toBe(1 + Math.floor(rate / PICTURE.hop));
    expect(c[0].data.readUInt32BE(4)).toBe(PICTURE.rows);
    const rows = inflateSync(c[1].data);
    const column = Array.from({ length: PICTURE.rows }, (_, y) => rows[y * (1 + width * 3) + 1 + 40 * 3 + 2] + rows[y * (1 + width * 3) + 1 + 40 * 3]);
    const brightest = column.indexOf(Math.max(...column));
    const expected = PICTURE.rows - 1 - Math.floor((PICTURE.rows * Math.log(1000 / PICTURE.fMin)) / Math.log(rate / 2 / PICTURE.fMin));
    expect(Math.abs(brightest - expected)).toBeLessThanOrEqual(1);
    expect(colour(1)).toEqual([252, 255, 164]);
    expect(colour(0)).toEqual([0, 0, 4]);
  });
});
