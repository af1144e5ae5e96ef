/**
 * Small zod building blocks every contract uses, declared once: finite numbers, typed
 * arrays, ids, and byte payloads with a size limit.
 */
import { z } from 'zod';

/** A number that is neither NaN nor ±Infinity. */
export const finite = () => z.number().refine(Number.isFinite, 'must be a finite number');

/**
 * Typed-array schemas. `z.instanceof` would narrow the type to arrays over a plain
 * ArrayBuffer; these accept any backing buffer, which is what DSP code produces.
 */
export const float32ArraySchema = () => z.custom<Float32Array>((v) => v instanceof Float32Array, 'expected a Float32Array');
export const uint8ArraySchema = () => z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected a Uint8Array');

/** Bytes of a file, at most `maxBytes` long; `limit` says the limit in words ("1 GiB"). */
export const fileBytesSchema = (maxBytes: number, limit: string) => uint8ArraySchema().refine((b) => b.byteLength <= maxBytes, `file is larger than ${limit}`);

/** An id made by this app (track, job): 1–64 letters, digits, - or _, so never a path. */
export const idSchema = (what: string) => z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, `${what} must be 1–64 letters, digits, - or _`);

/** Bounded file name as shown to a person (never a path the renderer could choose). */
export const FileNameSchema = z.string().min(1).max(255);

/**
 * A spectrogram's STFT size and hop, in samples: `nFft` a power of two in [minFft, maxFft],
 * `hop` from 1 to `maxFft`.
 */
export const stftShapeFields = (minFft: number, maxFft: number) => ({
  nFft: z
    .number()
    .int()
    .min(minFft)
    .max(maxFft)
    .refine((n) => (n & (n - 1)) === 0, 'nFft must be a power of two'),
  hop: z.number().int().min(1).max(maxFft),
});
