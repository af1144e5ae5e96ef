/**
 * The workstation's UI state: one plain object, changed only by the pure actions in
 * `actions.ts`. Fast-changing things (playhead position, meters, hover read-outs) are NOT
 * here: they live in refs and canvases so a playing transport never re-renders React.
 */
import type { EngineStatus, ShellKind, Track } from '../../common/contract';
import type { ExportFormat, LossTerms, Region, RenderProgress } from '../../common/audio';
import type { Preset } from '../../common/preset';
import { BUILTIN_PRESETS, DEFAULT_PRESET_NAME, builtinPreset } from '../../common/preset';
import type { History } from './history';
import { DEFAULT_CALIBRATION, type Calibration } from './render-estimate';
import { LIVE_OFF, type LiveState, type StreamTake } from './stream';

/** Where a lane's input comes from: an input lane or a take (by track id). */
export type LaneKey = 'content' | 'style' | `take:${string}`;

/** Colour maps the spectrogram views offer; perceptual ones first. */
export const COLOR_MAPS = ['magma', 'inferno', 'viridis', 'grey'] as const;
export type ColorMapName = (typeof COLOR_MAPS)[number];

/** FFT sizes the spectrogram views offer (samples). */
export const DISPLAY_FFT_SIZES = [512, 1024, 2048, 4096, 8192] as const;
export type DisplayFftSize = (typeof DISPLAY_FFT_SIZES)[number];

/** Lane heights a person can drag to, px: a take's header holds more lines than an input's. */
export const LANE_HEIGHT = { min: 72, default: 120, takeMin: 180, take: 200, max: 640 } as const;

/** The height of a lane: what it was dragged to, else its kind's default. */
export const laneHeight = (heights: Record<string, number>, lane: string): number => heights[lane] ?? (lane.startsWith('take:') ? LANE_HEIGHT.take : LANE_HEIGHT.default);

/** Tops of the frequency zoom the views offer, Hz (0 = up to the Nyquist frequency). */
export const FREQ_TOPS = [0, 16000, 8000, 4000, 2000, 1000] as const;

/**
 * Heights of the lanes in `lanes` (in screen order) so that together they fill `available`
 * px: a lane dragged to a height keeps it; the others share what is left equally, never
 * below their kind's default (the stack scrolls then) nor above LANE_HEIGHT.max.
 */
export function fitLaneHeights(lanes: string[], dragged: Record<string, number>, available: number): Record<string, number> {
  const auto = lanes.filter((l) => dragged[l] === undefined);
  const fixed = lanes.reduce((sum, l) => sum + (dragged[l] ?? 0), 0);
  const share = auto.length ? Math.floor((available - fixed) / auto.length) : 0;
  const out: Record<string, number> = {};
  for (const l of lanes) out[l] = dragged[l] ?? Math.min(LANE_HEIGHT.max, Math.max(laneHeight({}, l), share));
  return out;
}

/** Shared view of every lane: time zoom/scroll and how spectrograms are coloured. */
export interface ViewState {
  /** Horizontal zoom in pixels per second of audio (≥ a fit-to-width minimum set by the UI). */
  pxPerSecond: number;
  /** Left edge of the visible window, in seconds from the start of the content. */
  scroll: number;
  /** The style lane's own left edge when the style is longer than the timeline, seconds. */
  styleScroll: number;
  colorMap: ColorMapName;
  /** Levels mapped to the bottom and top of the colour map, in dB (dbMin < dbMax). */
  dbMin: number;
  dbMax: number;
  freqScale: 'linear' | 'log';
  /** Draw the notes the transcriber heard over each spectrogram (a piano roll). Off at first: hearing a lane costs the engine about 2.6 CPU s per 10 s of audio, which a render would wait behind. */
  showNotes: boolean;
  /** FFT size of the spectrogram views (frequency detail against time detail). */
  nFft: DisplayFftSize;
  /** Lane heights by lane ("content", "style", "take:<id>"), px, for lanes dragged to a height; the others fill the window. */
  laneHeights: Record<string, number>;
  /** Top of the spectrograms' frequency axis (the frequency zoom), Hz; 0 = up to the Nyquist frequency. */
  freqTop: number;
}

/** How the transport mixes what is heard. */
export interface MixState {
  /** Play every track at the same integrated loudness (BS.1770), so A/B compares sound, not level. */
  matchLoudness: boolean;
  /** Master volume, dB (0 = unity). */
  masterDb: number;
  /** Dry/wet per take id: 1 = the take alone (the default), 0 = its content alone. */
  wet: Record<string, number>;
  /** A lane's own gain by track id, dB (missing = 0), applied after loudness matching. */
  gainDb: Record<string, number>;
}

/** A question the page asks in place (the same in every shell); the controller resolves it. */
export interface Question {
  message: string;
  detail?: string;
  confirmLabel: string;
}

/** Per-lane mixer and selection flags. */
export interface LaneFlags {
  muted: boolean;
  solo: boolean;
  /** Takes only: included in the next stem export. */
  selected: boolean;
}

/** A loss-term sample for the live chart. */
export interface LossPoint {
  /** The optimiser's iteration within its segment (from 1). */
  iteration: number;
  /**
   * Position on the chart's time axis: iterations counted across segments, so a segmented
   * render's points run on left to right instead of starting over at each segment.
   */
  step: number;
  /** The segment the point belongs to (0 for a render in one piece): a new one starts a new line. */
  segment: number;
  loss: number;
  terms: LossTerms;
}

export type RenderStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** One entry of the render queue. */
export interface RenderJob {
  jobId: string;
  /** The preset exactly as it was when the job was queued. */
  preset: Preset;
  contentId: string;
  styleId: string;
  region?: Region;
  status: RenderStatus;
  /** The latest progress event. */
  progress?: RenderProgress;
  /** Optimiser loss history (bounded) for the live chart. */
  history: LossPoint[];
  /** Track id of the finished take. */
  takeId?: string;
  error?: string;
  /** What its take is called after its number (a grid's take: what differs). */
  name?: string;
  /** The grid this job belongs to. */
  gridId?: string;
}

/** One take of a grid: the job that renders it, what differs, and the take once it arrives. */
export interface GridCellState {
  jobId: string;
  label: string;
  takeId?: string;
}

/** A grid of takes: what was swept, its takes in grid order, and the ones marked as favourites. */
export interface Grid {
  id: string;
  /** "α content weight × seed": what the grid sweeps, in words. */
  title: string;
  cells: GridCellState[];
  /** Take ids marked as favourites (exported together). */
  marked: string[];
}

/** The preset the controls were loaded from, to say whether they are modified. */
export interface LoadedPreset {
  name: string;
  builtin: boolean;
  preset: Preset;
}

/** A transient message with an optional undo (e.g. a deleted preset). */
export interface Notice {
  id: number;
  kind: 'info' | 'error';
  text: string;
  /** Name of an undoable operation the UI offers as a button. */
  undo?: { label: string; preset: Preset };
}

export interface AppState {
  engine: EngineStatus;
  /** The web server's connection: 'lost' while it is stopped (the page waits for it). */
  server: 'connected' | 'lost';
  shell: ShellKind | 'unknown';
  version: string;
  /** All tracks by id. */
  tracks: Record<string, Track>;
  contentId: string | null;
  styleId: string | null;
  /** Take ids in the order they arrived. */
  takeIds: string[];
  flags: Record<string, LaneFlags>;
  /** An error in words, shown in place on the lane it concerns. */
  laneErrors: Partial<Record<LaneKey, string>>;
  /** Lanes with a load in flight. */
  laneBusy: Partial<Record<LaneKey, boolean>>;
  /** Render/loop region on the content lane, seconds. */
  region: Region | null;
  view: ViewState;
  /** The controls: what the next render uses. */
  preset: Preset;
  loaded: LoadedPreset;
  builtinPresets: Preset[];
  userPresets: Preset[];
  /** Problems found when reading stored presets (set aside, not dropped). */
  presetNotices: string[];
  renders: RenderJob[];
  transport: { playing: boolean; loop: boolean; /** Track id being auditioned (A/B). */ source: string | null };
  exportFormat: ExportFormat;
  /** Export takes blended with their content as their dry/wet control says, or as rendered. */
  exportBlended: boolean;
  lastExport: string[] | null;
  notices: Notice[];
  /** Undoable edits (controls, region, takes), newest last. */
  history: History;
  mix: MixState;
  /** The question on screen, if any. */
  question: Question | null;
  /** The one-screen introduction or the shortcut sheet, when shown. */
  overlay: 'intro' | 'shortcuts' | null;
  /** The introduction has been seen (it shows once, on a first start). */
  introSeen: boolean;
  /** The session file this session was last saved to or opened from (its name). */
  sessionFile: string | null;
  /** Seconds per unit of work, learnt from the last renders (for the estimate shown before Render). */
  calibration: Calibration;
  /** How many renders main runs at once (its engine processes). */
  renderSlots: number;
  /** Grids of takes, oldest first. */
  grids: Grid[];
  /** The grid shown in the compare view, if it is open. */
  compareGridId: string | null;
  /** The take being streamed (its lane fills as it renders), if any. */
  stream: StreamTake | null;
  /** The live loop: re-render the looped region on every change of the controls. */
  live: LiveState;
}

const clonePreset = (p: Preset): Preset => structuredClone(p) as Preset;

/** Lanes with nothing on them: the start, and what a new or opened session begins from. */
export const EMPTY_LANES: Pick<AppState, 'tracks' | 'contentId' | 'styleId' | 'takeIds' | 'flags' | 'laneErrors' | 'laneBusy' | 'region'> = {
  tracks: {},
  contentId: null,
  styleId: null,
  takeIds: [],
  flags: {},
  laneErrors: {},
  laneBusy: {},
  region: null,
};

/** The state before anything is loaded: the default built-in preset on the controls. */
export function initialState(): AppState {
  const start = builtinPreset(DEFAULT_PRESET_NAME) ?? BUILTIN_PRESETS[0];
  return {
    engine: { state: 'starting' },
    server: 'connected',
    shell: 'unknown',
    version: '',
    ...EMPTY_LANES,
    view: { pxPerSecond: 0, scroll: 0, styleScroll: 0, colorMap: 'magma', dbMin: -90, dbMax: 0, freqScale: 'log', showNotes: false, nFft: 2048, laneHeights: {}, freqTop: 0 },
    preset: clonePreset(start),
    loaded: { name: start.name, builtin: true, preset: clonePreset(start) },
    builtinPresets: BUILTIN_PRESETS.map(clonePreset),
    userPresets: [],
    presetNotices: [],
    renders: [],
    transport: { playing: false, loop: false, source: null },
    exportFormat: { encoding: 'pcm24', sampleRate: 'engine', channels: 1 },
    exportBlended: false,
    lastExport: null,
    notices: [],
    history: { past: [], future: [] },
    mix: { matchLoudness: true, masterDb: 0, wet: {}, gainDb: {} },
    question: null,
    overlay: null,
    introSeen: false,
    sessionFile: null,
    calibration: DEFAULT_CALIBRATION,
    renderSlots: 1,
    grids: [],
    compareGridId: null,
    stream: null,
    live: LIVE_OFF,
  };
}
