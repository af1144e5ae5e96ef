/** Level conversions between decibels (dBFS) and linear gain. */

/** Linear amplitude for a level in dBFS: 0 dB → 1, −6.02 dB → 0.5. */
export const dbToGain = (db: number): number => Math.pow(10, db / 20);
/** Level in dBFS of a linear amplitude; −Infinity for 0. */
export const gainToDb = (gain: number): number => 20 * Math.log10(gain);
