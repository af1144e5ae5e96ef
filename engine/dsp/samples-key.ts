/**
 * A key for a block of samples by their bits (FNV-1a over the float32 words, with the length
 * and rate): equal for equal samples, whichever array holds them, so what was computed from
 * one decode of a file is found again from the next; about 1 ms per minute of audio.
 */
export function samplesKey(x: Float32Array, rate: number): string {
  const bits = new Uint32Array(x.buffer, x.byteOffset, x.length);
  let h = 0x811c9dc5;
  for (let i = 0; i < bits.length; i++) h = Math.imul(h ^ bits[i], 0x01000193);
  return `${rate}:${x.length}:${(h >>> 0).toString(16)}`;
}
