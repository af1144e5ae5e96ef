/** Units a person reads and writes: levels (dBFS and linear gain) and byte sizes. */

/** Linear amplitude for a level in dBFS: 0 dB → 1, −6.02 dB → 0.5. */
export const dbToGain = (db: number): number => Math.pow(10, db / 20);
/** Level in dBFS of a linear amplitude; −Infinity for 0. */
export const gainToDb = (gain: number): number => 20 * Math.log10(gain);

/**
 * A byte count for a person: "812 bytes", "3.4 KB", "12.0 MB", "1.5 GB" (binary multiples).
 * @param digits digits after the point (1 unless a comparison needs more)
 */
export function formatBytes(n: number, digits = 1): string {
  if (n >= 1024 * 1024 * 1024) return `${(n / (1024 * 1024 * 1024)).toFixed(digits)} GB`;
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(digits)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(digits)} KB`;
  return `${n} bytes`;
}

/**
 * A size that is over `limit`, with as many digits as it takes not to read as the limit:
 * two digits at least, more when needed: 1.004 × 2^30 bytes against 1 GiB is "1.004 GB", never "1.0 GB".
 */
export function formatBytesOver(n: number, limit: number): string {
  const shown = formatBytes(limit);
  for (let digits = 2; digits < 6; digits++) {
    const s = formatBytes(n, digits);
    if (s !== shown && s !== formatBytes(limit, digits)) return s;
  }
  return `${n} bytes`;
}

const BYTE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 2 ** 10,
  kb: 2 ** 10,
  kib: 2 ** 10,
  m: 2 ** 20,
  mb: 2 ** 20,
  mib: 2 ** 20,
  g: 2 ** 30,
  gb: 2 ** 30,
  gib: 2 ** 30,
  t: 2 ** 40,
  tb: 2 ** 40,
  tib: 2 ** 40,
};

/**
 * A size as a person writes it ("4G", "512 MB", "1.5GiB", "1000000"; multiples of 1024),
 * in whole bytes; null when it is not one.
 */
export function parseByteSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!m) return null;
  const unit = BYTE_UNITS[m[2].toLowerCase()];
  if (unit === undefined) return null;
  const bytes = Math.round(Number(m[1]) * unit);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : null;
}
