/**
 * The engine's protocol: what main (or the CLI, or a test) asks of the engine process.
 * The engine is stateless between calls (inputs travel with each request), so a crashed
 * and restarted engine loses nothing but the job it was running. A render is cancelled by
 * aborting its call (see `common/rpc.ts`), not by a method of its own.
 */
import { z } from 'zod';
import { defineApi } from './rpc';
import { PresetSchema } from './preset';
import { NoteEventSchema } from './notes';
import { AudioInfoSchema, ExportFormatSchema, RegionSchema, RenderProgressSchema, SpectrogramSchema, TakeChunkSchema, TakeResultSchema } from './audio';
import { FileNameSchema, fileBytesSchema, float32ArraySchema, idSchema, stftShapeFields, uint8ArraySchema } from './schemas';

/** Largest input file the engine accepts, in bytes (about 45 min of 44.1 kHz stereo 24-bit). */
export const MAX_AUDIO_BYTES = 1024 * 1024 * 1024;

/** Environment variable that sets the engine's memory budget ("4G", "1500M", bytes; engine/render/budget.ts). */
export const MEMORY_BUDGET_ENV = 'GRAMOPHONE_MEMORY_BUDGET';

/** The bytes of an audio file: at most MAX_AUDIO_BYTES. */
export const AudioBytesSchema = fileBytesSchema(MAX_AUDIO_BYTES, '1 GiB');

export const JobIdSchema = idSchema('job id');

/**
 * An absolute path on this machine, named by main (never by a page: no renderer method takes
 * one), to a file the engine reads itself, e.g. an upload main keeps in its data folder.
 */
const LocalPathSchema = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p), 'must be an absolute path');

/** A named audio file: its bytes, or the local path the engine reads them from. */
const AudioFileSchema = z.union([z.strictObject({ name: FileNameSchema, bytes: AudioBytesSchema }), z.strictObject({ name: FileNameSchema, path: LocalPathSchema })]);
export type AudioFile = z.infer<typeof AudioFileSchema>;

export const BackendInfoSchema = z.strictObject({
  /** e.g. "onnx (onnxruntime-node cpu)", "tfjs (wasm)". */
  name: z.string(),
  available: z.boolean(),
  detail: z.string(),
});
export type BackendInfo = z.infer<typeof BackendInfoSchema>;

const RenderRequestSchema = z.strictObject({
  /** Names the job in its progress events and its take. */
  jobId: JobIdSchema,
  content: AudioFileSchema,
  style: AudioFileSchema,
  preset: PresetSchema,
  /** Limit the render to this stretch of the content, in seconds. */
  region: RegionSchema.optional(),
  /**
   * Stream it: segments in playback order from the region's start (or from `from`, then the
   * part before it), each final stretch sent as a `chunk` event as it is done
   * (engine/render/stream.ts). Lengths in seconds override the engine's defaults.
   */
  stream: z
    .strictObject({
      firstSeconds: z.number().min(0.5).max(60).optional(),
      segmentSeconds: z.number().min(1).max(60).optional(),
      /** Start rendering here, seconds into the content as cut to the region (a playhead); the part before it follows. */
      from: z.number().min(0).optional(),
    })
    .optional(),
});
export type RenderRequest = z.infer<typeof RenderRequestSchema>;

const SampleRateSchema = z.number().int().min(1000).max(384000);

/** The content a take is blended with, and how (dry/wet). */
const BlendSchema = z.strictObject({
  /** The content's channels (mixed to mono) at `sampleRate`. */
  dry: z.array(float32ArraySchema()).min(1).max(64),
  sampleRate: SampleRateSchema,
  /** Where the take starts in the content, seconds (a region's start). */
  offset: z.number().min(0),
  /** 0 = all content, 1 = all take. */
  wet: z.number().min(0).max(1),
  /** Linear gain on the content before mixing (what loudness matching applied to it relative to the take). */
  dryGain: z.number().min(0).max(1000),
});

export const engineApi = defineApi({
  methods: {
    /** Which objective backends load here, and which `auto` picks. */
    info: {
      args: z.strictObject({}),
      result: z.strictObject({
        version: z.string(),
        defaultBackend: z.string(),
        backends: z.array(BackendInfoSchema),
        /** Bytes a render may use now (set, or a share of the memory available; engine/render/budget.ts). */
        memoryBudget: z.number().int().positive(),
      }),
    },
    /** Decode an audio file to float channels in [-1, 1]; the info carries its loudness. */
    decode: {
      args: AudioFileSchema,
      result: z.strictObject({ info: AudioInfoSchema, channels: z.array(float32ArraySchema()) }),
    },
    /**
     * A display spectrogram (dB) of the channels' mono mix, at most `maxFrames` frames (hop
     * is widened to fit).
     */
    spectrogram: {
      args: z.strictObject({
        channels: z.array(float32ArraySchema()).min(1).max(64),
        sampleRate: SampleRateSchema,
        ...stftShapeFields(64, 16384),
        maxFrames: z.number().int().min(1).max(200000).optional(),
      }),
      result: SpectrogramSchema,
    },
    /**
     * The notes heard in the channels' mono mix by the polyphonic transcriber
     * (engine/analysis/transcribe.ts), sorted by onset. Aborting the call stops it.
     */
    transcribe: {
      args: z.strictObject({ channels: z.array(float32ArraySchema()).min(1).max(64), sampleRate: SampleRateSchema }),
      result: z.strictObject({ notes: z.array(NoteEventSchema) }),
    },
    /** Lanes' notes as a Standard MIDI File (format 1, one track per lane, in order). */
    notesMidi: {
      args: z.strictObject({
        lanes: z
          .array(z.strictObject({ name: z.string().max(255), notes: z.array(NoteEventSchema).max(100_000) }))
          .min(1)
          .max(15),
      }),
      result: z.strictObject({ bytes: uint8ArraySchema() }),
    },
    /**
     * Run a render job; progress streams as `progress` events with the same jobId. Aborting
     * the call stops it within one iteration (it rejects with CANCELLED). The take comes
     * back with its loudness measured.
     */
    render: { args: RenderRequestSchema, result: TakeResultSchema },
    /**
     * Ready the next render of this style with this preset while the musician sets up: the
     * style decoded, transcribed and its notes tracked now, kept for the render; with the
     * content (and the region the render will take), the stream's first segment rendered now
     * and kept too (engine/render/warm.ts, ahead.ts). Resolves with whether anything was
     * readied: false for a preset without a note template, or when another readying or a
     * render for other inputs stopped this one.
     */
    readyRender: {
      args: z.strictObject({ style: AudioFileSchema, preset: PresetSchema, content: AudioFileSchema.optional(), region: RegionSchema.optional() }),
      result: z.strictObject({ readied: z.boolean() }),
    },
    /**
     * A mono take as a complete WAV stem in `format` (resampled, dual-mono, encoded here, off
     * Electron's main thread), with `comment` (the preset JSON) and `title` embedded. With
     * `blend`, the take is first mixed with its content (dry/wet, see `engine/dsp/blend.ts`).
     */
    encodeStem: {
      args: z.strictObject({
        samples: float32ArraySchema(),
        sampleRate: SampleRateSchema,
        format: ExportFormatSchema,
        comment: z.string().max(100_000),
        title: z.string().max(255),
        blend: BlendSchema.optional(),
      }),
      result: z.strictObject({ bytes: uint8ArraySchema() }),
    },
  },
  events: {
    progress: RenderProgressSchema,
    /** A final stretch of a streaming render's take (a request with `stream`). */
    chunk: TakeChunkSchema,
    log: z.strictObject({ level: z.enum(['info', 'warn', 'error']), message: z.string() }),
  },
});
export type EngineApi = typeof engineApi;
