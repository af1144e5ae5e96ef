/**
 * The page's part of a session: what of the state survives a restart besides the tracks
 * main holds (the region, the view, the controls and the preset they came from, the mix,
 * what is auditioned, lane flags, whether the introduction was seen, the render-time
 * calibration, the export choices). Main keeps it as opaque JSON; `applySessionUi` checks it
 * field by field, so a session from another version restores whatever still fits.
 */
import type { SessionUi } from '../../common/api/session';
import { ExportFormatSchema, RegionSchema } from '../../common/audio';
import { migratePreset } from '../../common/preset';
import { COLOR_MAPS, DISPLAY_FFT_SIZES, FREQ_TOPS, type AppState, type Grid, type LaneFlags, type ViewState } from './app-state';
import type { Calibration } from './render-estimate';
import { setLaneGain, setLaneHeight, setMasterDb, setRegion, setView, setWet } from './actions';

/** The part of `s` a session keeps. */
export function sessionUi(s: AppState): SessionUi {
  return {
    version: 1,
    region: s.region,
    view: s.view,
    controls: { preset: s.preset, loaded: s.loaded },
    source: s.transport.source,
    flags: s.flags,
    mix: s.mix,
    introSeen: s.introSeen,
    calibration: s.calibration,
    exportFormat: s.exportFormat,
    exportBlended: s.exportBlended,
    grids: s.grids,
  };
}

/** The grids of `v` whose takes are loaded: each keeps its finished takes, marks among them, in order. */
function gridsOf(v: unknown, tracks: AppState['tracks']): Grid[] {
  if (!Array.isArray(v)) return [];
  const out: Grid[] = [];
  for (const g of v) {
    const o = obj(g);
    if (!o || typeof o.id !== 'string' || typeof o.title !== 'string' || !Array.isArray(o.cells)) continue;
    const cells = o.cells.flatMap((c) => {
      const x = obj(c);
      return x && typeof x.jobId === 'string' && typeof x.label === 'string' && typeof x.takeId === 'string' && tracks[x.takeId] ? [{ jobId: x.jobId, label: x.label, takeId: x.takeId }] : [];
    });
    const marked = Array.isArray(o.marked) ? o.marked.filter((id): id is string => typeof id === 'string' && cells.some((c) => c.takeId === id)) : [];
    if (cells.length) out.push({ id: o.id, title: o.title, cells, marked });
  }
  return out;
}

const obj = (v: unknown): Record<string, unknown> | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const presetOf = (v: unknown) => {
  try {
    return migratePreset(v);
  } catch {
    return null;
  }
};

/** The view fields of `v` that are valid. */
function viewOf(v: Record<string, unknown>): Partial<ViewState> {
  const out: Partial<ViewState> = {};
  for (const k of ['pxPerSecond', 'scroll', 'styleScroll', 'dbMin', 'dbMax'] as const) {
    const n = num(v[k]);
    if (n !== undefined) out[k] = k === 'dbMin' || k === 'dbMax' ? Math.max(-200, Math.min(60, n)) : Math.max(0, n);
  }
  if ((COLOR_MAPS as readonly unknown[]).includes(v.colorMap)) out.colorMap = v.colorMap as ViewState['colorMap'];
  if (v.freqScale === 'linear' || v.freqScale === 'log') out.freqScale = v.freqScale;
  if (typeof v.showNotes === 'boolean') out.showNotes = v.showNotes;
  if ((DISPLAY_FFT_SIZES as readonly unknown[]).includes(v.nFft)) out.nFft = v.nFft as ViewState['nFft'];
  if ((FREQ_TOPS as readonly unknown[]).includes(v.freqTop)) out.freqTop = v.freqTop as number;
  return out;
}

/**
 * `s` with a stored page part applied on top: every field that is valid and refers to
 * tracks that are loaded; anything else keeps its current value.
 */
export function applySessionUi(s: AppState, stored: unknown): AppState {
  const ui = obj(stored);
  if (!ui) return s;
  let next = s;
  const view = obj(ui.view);
  if (view) {
    next = setView(next, viewOf(view));
    for (const [lane, h] of Object.entries(obj(view.laneHeights) ?? {})) {
      const id = lane.startsWith('take:') ? lane.slice(5) : null;
      if (num(h) !== undefined && (lane === 'content' || lane === 'style' || (id && next.tracks[id]))) next = setLaneHeight(next, { lane: lane as 'content', height: h as number });
    }
  }
  const region = RegionSchema.safeParse(ui.region);
  if (region.success) next = setRegion(next, region.data);
  const controls = obj(ui.controls);
  const loaded = obj(controls?.loaded);
  const preset = presetOf(controls?.preset);
  const loadedPreset = presetOf(loaded?.preset);
  if (preset && loaded && loadedPreset && typeof loaded.name === 'string') {
    next = { ...next, preset, loaded: { name: loaded.name, builtin: loaded.builtin === true, preset: loadedPreset } };
  }
  if (typeof ui.source === 'string' && next.tracks[ui.source]) next = { ...next, transport: { ...next.transport, source: ui.source } };
  const flags = obj(ui.flags);
  if (flags) {
    const restored = { ...next.flags };
    for (const [id, f] of Object.entries(flags)) {
      const v = obj(f);
      if (v && restored[id]) restored[id] = { muted: v.muted === true, solo: v.solo === true, selected: v.selected === true } satisfies LaneFlags;
    }
    next = { ...next, flags: restored };
  }
  const mix = obj(ui.mix);
  if (mix) {
    if (typeof mix.matchLoudness === 'boolean') next = { ...next, mix: { ...next.mix, matchLoudness: mix.matchLoudness } };
    if (num(mix.masterDb) !== undefined) next = setMasterDb(next, mix.masterDb as number);
    for (const [id, w] of Object.entries(obj(mix.wet) ?? {})) if (num(w) !== undefined && next.tracks[id]) next = setWet(next, { id, wet: w as number });
    for (const [id, db] of Object.entries(obj(mix.gainDb) ?? {})) if (num(db) !== undefined) next = setLaneGain(next, { id, db: db as number });
  }
  if (ui.introSeen === true) next = { ...next, introSeen: true };
  const cal = obj(ui.calibration);
  if (cal && ['optimise', 'reconstruct', 'overhead', 'renders'].every((k) => (num(cal[k]) ?? -1) >= 0)) next = { ...next, calibration: cal as unknown as Calibration };
  const format = ExportFormatSchema.safeParse(ui.exportFormat);
  if (format.success) next = { ...next, exportFormat: format.data };
  if (typeof ui.exportBlended === 'boolean') next = { ...next, exportBlended: ui.exportBlended };
  const grids = gridsOf(ui.grids, next.tracks);
  if (grids.length) next = { ...next, grids };
  return next;
}
