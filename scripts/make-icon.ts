/**
 * Draws the application icon (assets/icon.png, 512×512 RGBA): a record with grooves whose
 * label is a small spectrogram in a warm colour map. Run: `npx tsx scripts/make-icon.ts`.
 * Written by hand (node:zlib + PNG chunks) so no image package is needed.
 */
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const S = 512;
const px = new Uint8Array(S * S * 4);

/** A warm map from 0..1 to RGB (dark purple → orange → pale yellow). */
function warm(v: number): [number, number, number] {
  const t = Math.max(0, Math.min(1, v));
  return [Math.round(255 * Math.min(1, 0.15 + 1.3 * t)), Math.round(255 * Math.max(0, Math.min(1, 1.25 * t * t + 0.05))), Math.round(255 * Math.max(0.15 - t, 0.35 * t * t * t + 0.1 * (1 - t)))];
}

function blend(i: number, rgb: [number, number, number], a: number) {
  const o = i * 4;
  for (let c = 0; c < 3; c++) px[o + c] = Math.round(px[o + c] * (1 - a) + rgb[c] * a);
  px[o + 3] = Math.max(px[o + 3], Math.round(255 * a));
}

const c = S / 2;
for (let y = 0; y < S; y++) {
  for (let x = 0; x < S; x++) {
    const i = y * S + x;
    // Rounded-square background with a soft vertical gradient.
    const dx = Math.max(Math.abs(x - c + 0.5) - (c - 96), 0);
    const dy = Math.max(Math.abs(y - c + 0.5) - (c - 96), 0);
    const corner = Math.hypot(dx, dy) - 80;
    const bgA = Math.max(0, Math.min(1, 0.5 - corner));
    const g = y / S;
    blend(i, [Math.round(24 + 10 * g), Math.round(22 + 8 * g), Math.round(38 + 14 * g)], bgA);
    // The record: grooves as faint rings, with a highlight.
    const r = Math.hypot(x - c + 0.5, y - c + 0.5);
    if (r < 200) {
      const edge = Math.max(0, Math.min(1, 200 - r));
      const groove = 0.5 + 0.5 * Math.cos(r * 1.4);
      const shine = 0.5 + 0.5 * Math.cos(2 * Math.atan2(y - c, x - c) - 0.8);
      const v = 10 + 8 * groove + 22 * shine * (r > 80 ? 1 : 0);
      blend(i, [v, v, v + 4], edge);
    }
    // The label: a spectrogram of a few decaying partials.
    if (r < 78) {
      const u = (x - (c - 78)) / 156;
      const w = 1 - (y - (c - 78)) / 156;
      let e = 0;
      for (let k = 1; k <= 6; k++) {
        const f = (k * 0.14 + 0.02 * Math.sin(u * 12)) % 1;
        e += Math.exp(-Math.pow((w - f) * 40, 2)) * Math.exp(-u * k * 0.9);
      }
      blend(i, warm(Math.min(1, 0.12 + e)), Math.max(0, Math.min(1, 78 - r)));
    }
    if (r < 7) blend(i, [20, 18, 30], Math.max(0, Math.min(1, 7 - r)));
  }
}

function crc32(buf: Uint8Array): number {
  let crc = ~0;
  for (const b of buf) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}
function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const body = Buffer.concat([head.subarray(4), Buffer.from(data)]);
  const tail = Buffer.alloc(4);
  tail.writeUInt32BE(crc32(body), 0);
  return Buffer.concat([head.subarray(0, 4), body, tail]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(S, 0);
ihdr.writeUInt32BE(S, 4);
ihdr.set([8, 6, 0, 0, 0], 8);
const raw = Buffer.alloc(S * (S * 4 + 1));
for (let y = 0; y < S; y++) raw.set(px.subarray(y * S * 4, (y + 1) * S * 4), y * (S * 4 + 1) + 1);
const png = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array())]);
const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../assets/icon.png');
writeFileSync(out, png);
console.log(`wrote ${out}`);
