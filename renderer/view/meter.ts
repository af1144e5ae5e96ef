/** Where a level sits on the meter: −60 dBFS at the left edge, 0 dBFS at the right. */
export const METER_FLOOR_DB = -60;

/** Fraction 0..1 of the meter's width for a linear level. */
export function meterFraction(level: number): number {
  if (!(level > 0)) return 0;
  const db = 20 * Math.log10(level);
  return Math.max(0, Math.min(1, (db - METER_FLOOR_DB) / -METER_FLOOR_DB));
}
