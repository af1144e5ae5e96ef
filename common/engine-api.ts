/**
 * The engine's protocol: what main (or the CLI, or a test) asks of the engine process.
 * The engine is stateless between calls (inputs travel with each request), so a crashed
 * and restarted engine loses nothing but the job it was running.
 */
import { z } from 'zod';
import { defineApi } from './rpc';
import { PresetSchema } from './preset';
import { AudioInfoSchema, FileNameSchema, RegionSchema, RenderProgressSchema, SpectrogramSchema, TakeResultSchema, float32ArraySchema, uint8ArraySchema } from './audio';

/** Largest input file the engine accepts, in bytes (about 45 min of 44.1 kHz stereo 24-bit). */
export const MAX_AUDIO_BYTES = 1024 * 1024 * 1024;

export const JobIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'job id must be 1–64 letters, digits, - or _');

/** A named audio file's bytes. */
export const AudioFileSchema = z.strictObject({
  name: FileNameSchema,
  bytes: uint8ArraySchema().refine((b) => b.byteLength <= MAX_AUDIO_BYTES, 'file is larger than 1 GiB'),
});
export type AudioFile = z.infer<typeof AudioFileSchema>;

export const BackendInfoSchema = z.strictObject({
  /** e.g. "onnx (onnxruntime-node cpu)", "tfjs (wasm)". */
  name: z.string(),
  available: z.boolean(),
  detail: z.string(),
});
export type BackendInfo = z.infer<typeof BackendInfoSchema>;

export const RenderRequestSchema = z.strictObject({
  jobId: JobIdSchema,
  content: AudioFileSchema,
  style: AudioFileSchema,
  preset: PresetSchema,
  /** Limit the render to this stretch of the content, in seconds. */
  region: RegionSchema.optional(),
});
export type RenderRequest = z.infer<typeof RenderRequestSchema>;

export const engineApi = defineApi({
  methods: {
    /** Which objective backends load here, and which `auto` picks. */
    info: {
      args: z.strictObject({}),
      result: z.strictObject({ version: z.string(), defaultBackend: z.string(), backends: z.array(BackendInfoSchema) }),
    },
    /** Decode a WAV file to float channels in [-1, 1]. */
    decode: {
      args: AudioFileSchema,
      result: z.strictObject({ info: AudioInfoSchema, channels: z.array(float32ArraySchema()) }),
    },
    /** A display spectrogram (dB) of mono samples, at most `maxFrames` frames (hop is widened to fit). */
    spectrogram: {
      args: z.strictObject({
        samples: float32ArraySchema(),
        sampleRate: z.number().int().min(1000).max(384000),
        nFft: z.number().int().min(64).max(16384).refine((n) => (n & (n - 1)) === 0, 'nFft must be a power of two'),
        hop: z.number().int().min(1).max(16384),
        maxFrames: z.number().int().min(1).max(200000).optional(),
      }),
      result: SpectrogramSchema,
    },
    /** Run a render job; progress streams as `progress` events with the same jobId. */
    render: { args: RenderRequestSchema, result: TakeResultSchema },
    /** Ask a running job to stop; it rejects with CANCELLED within one iteration. */
    cancel: { args: z.strictObject({ jobId: JobIdSchema }), result: z.strictObject({ cancelled: z.boolean() }) },
  },
  events: {
    progress: RenderProgressSchema,
    log: z.strictObject({ level: z.enum(['info', 'warn', 'error']), message: z.string() }),
  },
});
export type EngineApi = typeof engineApi;
