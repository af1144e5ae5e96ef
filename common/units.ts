/**
 * Named number types. They cost nothing at run time; they make a mix-up between, say,
 * seconds and samples a type error instead of a silent bug.
 */
declare const unit: unique symbol;
type Unit<Name extends string> = number & { readonly [unit]: Name };

/** Frequency or sample rate in hertz. */
export type Hz = Unit<'Hz'>;
/** Time in seconds. */
export type Seconds = Unit<'Seconds'>;
/** A count or position in samples (per channel). */
export type Samples = Unit<'Samples'>;
/** Level in decibels (dBFS for signal levels). */
export type Decibels = Unit<'Decibels'>;

export const hz = (n: number) => n as Hz;
export const seconds = (n: number) => n as Seconds;
export const samples = (n: number) => n as Samples;
export const decibels = (n: number) => n as Decibels;

/** Linear amplitude for a level in dBFS: 0 dB → 1, −6.02 dB → 0.5. */
export const dbToGain = (db: Decibels | number): number => Math.pow(10, db / 20);
/** Level in dBFS of a linear amplitude; −Infinity for 0. */
export const gainToDb = (gain: number): Decibels => (20 * Math.log10(gain)) as Decibels;
