/**
 * The renderer-facing API, declared once. Main registers a handler for every method
 * (validated against these schemas), the preload exposes exactly these methods, the
 * renderer and its tests type against `RendererApi`. The browser bridge (local server +
 * WebSocket) serves the same spec with the same handlers.
 */
import { z } from 'zod';
import { defineApi, type ApiClient, type EventData, type EventName } from './rpc';
import { PresetSchema } from './preset';
import { AudioInfoSchema, ExportFormatSchema, FileNameSchema, RegionSchema, RenderProgressSchema, SpectrogramSchema, TakeMetricsSchema, float32ArraySchema, uint8ArraySchema } from './audio';
import { BackendInfoSchema, JobIdSchema, MAX_AUDIO_BYTES } from './engine-api';

/** Commands the application menu sends to the renderer (File › Open content…, Render, …). */
export const MENU_COMMANDS = [
  'open-content',
  'open-style',
  'load-demo',
  'render',
  'cancel-render',
  'export-takes',
  'import-presets',
  'export-presets',
  'play-stop',
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

export const TrackIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'invalid track id');
export const LaneSchema = z.enum(['content', 'style']);
export type Lane = z.infer<typeof LaneSchema>;

/** A track main holds: an input on a lane, or a rendered take. */
export const TrackSchema = z.strictObject({
  id: TrackIdSchema,
  kind: z.enum(['content', 'style', 'take']),
  info: AudioInfoSchema,
  /** For takes: how it was made and what it measured. */
  take: z
    .strictObject({
      jobId: JobIdSchema,
      preset: PresetSchema,
      metrics: TakeMetricsSchema,
      region: RegionSchema.optional(),
      warnings: z.array(z.string()),
    })
    .optional(),
});
export type Track = z.infer<typeof TrackSchema>;

const PresetNameSchema = z.string().trim().min(1).max(80);
const UserPresetsResult = z.strictObject({ user: z.array(PresetSchema) });

export const EngineStatusSchema = z.strictObject({
  state: z.enum(['starting', 'ready', 'busy', 'crashed', 'restarting', 'failed']),
  backend: z.string().optional(),
  message: z.string().optional(),
});
export type EngineStatus = z.infer<typeof EngineStatusSchema>;

export const rendererApi = defineApi({
  methods: {
    getAppInfo: {
      args: z.strictObject({}),
      result: z.strictObject({
        version: z.string(),
        shell: z.enum(['electron', 'web']),
        engine: EngineStatusSchema,
        backends: z.array(BackendInfoSchema),
      }),
    },
    /** Load the bundled demo pair onto the content and style lanes. */
    loadDemo: { args: z.strictObject({}), result: z.strictObject({ content: TrackSchema, style: TrackSchema }) },
    /** Show an open dialog (in main) and load the chosen WAV onto a lane; null if cancelled. */
    openAudio: { args: z.strictObject({ lane: LaneSchema }), result: TrackSchema.nullable() },
    /** Load dropped file bytes onto a lane. */
    importAudio: {
      args: z.strictObject({
        lane: LaneSchema,
        name: FileNameSchema,
        bytes: uint8ArraySchema().refine((b) => b.byteLength <= MAX_AUDIO_BYTES, 'file is larger than 1 GiB'),
      }),
      result: TrackSchema,
    },
    /** Float channels of a track for playback and waveforms. */
    getAudio: {
      args: z.strictObject({ trackId: TrackIdSchema }),
      result: z.strictObject({ sampleRate: z.number().int().positive(), channels: z.array(float32ArraySchema()) }),
    },
    /** A display spectrogram of a track (mono mix), computed by the engine's STFT. */
    getSpectrogram: {
      args: z.strictObject({
        trackId: TrackIdSchema,
        nFft: z.number().int().min(256).max(8192).refine((n) => (n & (n - 1)) === 0, 'nFft must be a power of two'),
        hop: z.number().int().min(32).max(8192),
        maxFrames: z.number().int().min(16).max(100000).optional(),
      }),
      result: SpectrogramSchema,
    },
    /**
     * Every track main holds, for a renderer that starts (or restarts after a reload or a
     * crash) to restore its lanes: the content, then the style, then the takes in render order.
     */
    listTracks: { args: z.strictObject({}), result: z.strictObject({ tracks: z.array(TrackSchema) }) },
    removeTrack: { args: z.strictObject({ trackId: TrackIdSchema }), result: z.strictObject({ removed: z.boolean() }) },
    /** Render a take; resolves with the new take track. Progress arrives as `renderProgress`. */
    render: {
      args: z.strictObject({
        jobId: JobIdSchema,
        contentId: TrackIdSchema,
        styleId: TrackIdSchema,
        preset: PresetSchema,
        region: RegionSchema.optional(),
      }),
      result: TrackSchema,
    },
    cancelRender: { args: z.strictObject({ jobId: JobIdSchema }), result: z.strictObject({ cancelled: z.boolean() }) },
    listPresets: {
      args: z.strictObject({}),
      result: z.strictObject({ builtin: z.array(PresetSchema), user: z.array(PresetSchema), notices: z.array(z.string()) }),
    },
    /** Save (create or, with overwrite, replace) a user preset. Built-in names are refused. */
    savePreset: { args: z.strictObject({ preset: PresetSchema, overwrite: z.boolean().optional() }), result: UserPresetsResult },
    renamePreset: { args: z.strictObject({ from: PresetNameSchema, to: PresetNameSchema }), result: UserPresetsResult },
    deletePreset: {
      args: z.strictObject({ name: PresetNameSchema }),
      result: z.strictObject({ user: z.array(PresetSchema), deleted: PresetSchema }),
    },
    /** Import presets from a JSON file chosen in a dialog; null if cancelled. */
    importPresets: {
      args: z.strictObject({}),
      result: z
        .strictObject({
          user: z.array(PresetSchema),
          imported: z.array(z.string()),
          rejected: z.array(z.strictObject({ name: z.string(), reason: z.string() })),
        })
        .nullable(),
    },
    /** Export the named user or built-in presets to a JSON file chosen in a dialog. */
    exportPresets: {
      args: z.strictObject({ names: z.array(PresetNameSchema).min(1).max(1000) }),
      result: z.strictObject({ path: z.string() }).nullable(),
    },
    /** Export takes as WAV stems: one file via a save dialog, several into a chosen folder. */
    exportTakes: {
      args: z.strictObject({ trackIds: z.array(TrackIdSchema).min(1).max(256), format: ExportFormatSchema }),
      result: z.strictObject({ paths: z.array(z.string()) }).nullable(),
    },
  },
  events: {
    renderProgress: RenderProgressSchema,
    engineStatus: EngineStatusSchema,
    /** A menu item or accelerator the window's menu handled (Electron only). */
    menuCommand: z.strictObject({ command: z.enum(MENU_COMMANDS) }),
  },
});

export type RendererSpec = typeof rendererApi;
/** What the renderer calls: one async method per contract method. */
export type RendererApi = ApiClient<RendererSpec>;

export type RendererEvent = EventName<RendererSpec>;
export type RendererEventData<E extends RendererEvent> = EventData<RendererSpec, E>;

/**
 * What the renderer holds: the API plus event subscription. The preload
 * (`window.gramophone`) and the browser's WebSocket client both implement it; listeners
 * get the event's data only, never a transport object. `on` returns an unsubscribe function.
 */
export type GramophoneBridge = RendererApi & {
  on<E extends RendererEvent>(event: E, listener: (data: RendererEventData<E>) => void): () => void;
};

/** Prefix of every IPC channel: `gramophone:<method>` for calls, `gramophone:event` for events. */
export const IPC_PREFIX = 'gramophone:';
/** The single IPC channel main sends events on, as `{ event, data }`. */
export const IPC_EVENT_CHANNEL = `${IPC_PREFIX}event`;
/** Names of the contract's methods, in declaration order. */
export const RENDERER_METHODS = Object.keys(rendererApi.methods) as (keyof RendererSpec['methods'] & string)[];
/** Names of the contract's events. */
export const RENDERER_EVENTS = Object.keys(rendererApi.events) as RendererEvent[];
