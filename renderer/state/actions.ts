/**
 * Every change to the UI state, as a pure `(state, payload) → state` function. Components
 * and the controller dispatch these; tests call them directly.
 */
import type { EngineStatus, ShellKind, Track } from '../../common/contract';
import type { ExportFormat, Region, RenderProgress } from '../../common/audio';
import type { Preset } from '../../common/preset';
import type { AppState, Grid, LaneFlags, LaneKey, Notice, Question, RenderJob, ViewState } from './app-state';
import { EMPTY_LANES, LANE_HEIGHT } from './app-state';
import { type PresetPath, modifiedName, presetModified, setPresetField } from './preset-edit';
import { undoable, undo as undoStep, redo as redoStep } from './history';
import { learnFromRender } from './render-estimate';

export type Action<P> = (s: AppState, payload: P) => AppState;

const FLAGS: LaneFlags = { muted: false, solo: false, selected: false };
/** Longest loss history kept per job; older points are thinned, not dropped wholesale. */
export const MAX_HISTORY = 2000;

/** Lane key of a track. */
export const laneOf = (t: Track): LaneKey => (t.kind === 'take' ? `take:${t.id}` : t.kind);

export const setEngine: Action<EngineStatus> = (s, engine) => ({ ...s, engine });
/** The web server stopped ('lost') or answers ('connected'). */
export const setServer: Action<AppState['server']> = (s, server) => ({ ...s, server });

export const setAppInfo: Action<{ version: string; shell: ShellKind; engine: EngineStatus; renderSlots?: number }> = (s, p) => ({
  ...s,
  version: p.version,
  shell: p.shell,
  engine: p.engine,
  renderSlots: Math.max(1, p.renderSlots ?? 1),
});

/** Mark a lane as loading (clears its error). */
export const laneLoading: Action<LaneKey> = (s, lane) => ({
  ...s,
  laneBusy: { ...s.laneBusy, [lane]: true },
  laneErrors: { ...s.laneErrors, [lane]: undefined },
});

/** Show an error in words on a lane; the lane keeps whatever it had. */
export const laneFailed: Action<{ lane: LaneKey; message: string }> = (s, p) => ({
  ...s,
  laneBusy: { ...s.laneBusy, [p.lane]: false },
  laneErrors: { ...s.laneErrors, [p.lane]: p.message },
});

export const clearLaneError: Action<LaneKey> = (s, lane) => ({ ...s, laneErrors: { ...s.laneErrors, [lane]: undefined } });

/**
 * Put a track on its lane. A new content or style replaces the old one (whose id is
 * dropped); a take is appended. A new content track clears a region that no longer fits.
 */
export const addTrack: Action<Track> = (s, t) => {
  const tracks = { ...s.tracks, [t.id]: t };
  const flags = { ...s.flags, [t.id]: s.flags[t.id] ?? { ...FLAGS } };
  const lane = laneOf(t);
  let next: AppState = { ...s, tracks, flags, laneBusy: { ...s.laneBusy, [lane]: false }, laneErrors: { ...s.laneErrors, [lane]: undefined } };
  if (t.kind === 'content' || t.kind === 'style') {
    const old = t.kind === 'content' ? s.contentId : s.styleId;
    if (old && old !== t.id) {
      delete tracks[old];
      delete flags[old];
    }
    next = t.kind === 'content' ? { ...next, contentId: t.id } : { ...next, styleId: t.id };
    if (t.kind === 'content' && s.region && s.region.end > t.info.duration) next.region = null;
    const src = s.transport.source;
    if (src === null || (old !== null && src === old)) next.transport = { ...next.transport, source: t.id };
  } else if (!s.takeIds.includes(t.id)) {
    next.takeIds = [...s.takeIds, t.id];
  }
  return next;
};

/** Remove a take (inputs are replaced, not removed); undoable. */
export const removeTake = undoable<{ id: string }>(
  (s, { id }) => {
    if (!s.takeIds.includes(id)) return s;
    const tracks = { ...s.tracks };
    delete tracks[id];
    const flags = { ...s.flags };
    delete flags[id];
    const source = s.transport.source === id ? s.contentId : s.transport.source;
    return { ...s, tracks, flags, takeIds: s.takeIds.filter((t) => t !== id), transport: { ...s.transport, source } };
  },
  ({ id }) => `take:${id}`,
  () => 'Remove take',
);

/** Rename a take (blank names are ignored); undoable. */
export const renameTake = undoable<{ id: string; name: string }>(
  (s, { id, name }) => {
    const t = s.tracks[id];
    const trimmed = name.trim().slice(0, 200);
    if (!t || t.kind !== 'take' || !trimmed || trimmed === t.info.name) return s;
    return { ...s, tracks: { ...s.tracks, [id]: { ...t, info: { ...t.info, name: trimmed } } } };
  },
  ({ id }) => `take:${id}`,
  ({ id }) => `Rename ${id}`,
);

/** Takes written as stems (or into a saved session file): they no longer count as unexported. */
export const takesExported: Action<string[]> = (s, ids) => {
  const tracks = { ...s.tracks };
  for (const id of ids) {
    const t = tracks[id];
    if (t?.take && !t.take.exported) tracks[id] = { ...t, take: { ...t.take, exported: true } };
  }
  return { ...s, tracks };
};

/** Takes on the lanes that exist nowhere outside the app yet. */
export const unexportedTakes = (s: AppState): string[] => s.takeIds.filter((id) => s.tracks[id]?.take && !s.tracks[id].take!.exported);

/** Order of lanes on screen (and of the A/B keys 1, 2, 3…). */
export const laneOrder = (s: AppState): string[] => [s.contentId, s.styleId, ...s.takeIds].filter((x): x is string => typeof x === 'string');

export const toggleMute: Action<string> = (s, id) => (s.flags[id] ? { ...s, flags: { ...s.flags, [id]: { ...s.flags[id], muted: !s.flags[id].muted } } } : s);
export const toggleSolo: Action<string> = (s, id) => (s.flags[id] ? { ...s, flags: { ...s.flags, [id]: { ...s.flags[id], solo: !s.flags[id].solo } } } : s);
export const toggleSelected: Action<string> = (s, id) => (s.flags[id] ? { ...s, flags: { ...s.flags, [id]: { ...s.flags[id], selected: !s.flags[id].selected } } } : s);

/**
 * A/B: listen to one track. Solo and Listen agree: listening to a lane clears every solo, so
 * what the buttons say is what is heard.
 */
export const selectSource: Action<string> = (s, id) => {
  if (!s.tracks[id]) return s;
  const flags = Object.fromEntries(Object.entries(s.flags).map(([k, f]) => [k, f.solo ? { ...f, solo: false } : f]));
  return { ...s, flags, transport: { ...s.transport, source: id } };
};

/** A/B by lane index (0 = content, 1 = style, 2… takes). Out of range: unchanged. */
export const selectSourceIndex: Action<number> = (s, index) => {
  const id = laneOrder(s)[index];
  return id ? selectSource(s, id) : s;
};

export const setPlaying: Action<boolean> = (s, playing) => ({ ...s, transport: { ...s.transport, playing } });
export const setLoop: Action<boolean> = (s, loop) => ({ ...s, transport: { ...s.transport, loop } });

/**
 * Set or clear the region, clamped to the content's duration and ordered; a region shorter
 * than 50 ms is treated as a click and clears it.
 */
export const setRegion: Action<Region | null> = (s, r) => {
  if (!r) return { ...s, region: null, transport: { ...s.transport, loop: false } };
  const dur = s.contentId ? (s.tracks[s.contentId]?.info.duration ?? Infinity) : Infinity;
  const a = Math.max(0, Math.min(r.start, r.end, dur));
  const b = Math.max(0, Math.min(Math.max(r.start, r.end), dur));
  if (!(b - a >= 0.05)) return { ...s, region: null, transport: { ...s.transport, loop: false } };
  return { ...s, region: { start: a, end: b } };
};

/** Region edits a person makes (drag, fields, clear): undoable, a drag is one step. */
export const editRegion = undoable<{ region: Region | null }>(
  (s, p) => setRegion(s, p.region),
  () => 'region',
  () => 'Region',
);

/** Resize a lane (drag its lower border), within LANE_HEIGHT. */
export const setLaneHeight: Action<{ lane: LaneKey; height: number }> = (s, p) => {
  const min = p.lane.startsWith('take:') ? LANE_HEIGHT.takeMin : LANE_HEIGHT.min;
  const height = Math.round(Math.max(min, Math.min(LANE_HEIGHT.max, p.height)));
  return { ...s, view: { ...s.view, laneHeights: { ...s.view.laneHeights, [p.lane]: height } } };
};

export const setView: Action<Partial<ViewState>> = (s, v) => {
  const view = { ...s.view, ...v };
  if (view.dbMax - view.dbMin < 6) {
    // Keep at least 6 dB of range: a zero-width range makes every pixel one colour.
    if (v.dbMin !== undefined) view.dbMin = view.dbMax - 6;
    else view.dbMax = view.dbMin + 6;
  }
  view.scroll = Math.max(0, view.scroll);
  view.styleScroll = Math.max(0, view.styleScroll);
  return { ...s, view };
};

/** Set one control; the "modified" marker follows from comparing with `loaded`. */
export const setField: Action<{ path: PresetPath; value: unknown }> = (s, p) => ({ ...s, preset: setPresetField(s.preset, p.path, p.value) });

/** A control a person moved (slider, field, menu): undoable, a slider drag is one step. */
export const editField = undoable<{ path: PresetPath; value: unknown }>(
  setField,
  () => 'controls',
  (p) => `Change ${p.path}`,
);

/** Load a preset onto the controls. */
export const loadPreset: Action<{ preset: Preset; builtin: boolean }> = (s, p) => ({
  ...s,
  preset: structuredClone(p.preset) as Preset,
  loaded: { name: p.preset.name, builtin: p.builtin, preset: structuredClone(p.preset) as Preset },
});

/** A preset a person chose from the list: undoable. */
export const choosePreset = undoable(
  loadPreset,
  () => 'controls',
  (p) => `Load ${p.preset.name}`,
);

/** Replace the preset lists (after list/save/rename/delete). */
export const setPresetLists: Action<{ builtin?: Preset[]; user: Preset[]; notices?: string[] }> = (s, p) => ({
  ...s,
  builtinPresets: p.builtin ?? s.builtinPresets,
  userPresets: p.user,
  presetNotices: p.notices ?? s.presetNotices,
});

/** After a save under `name`: the controls now are that user preset, unmodified. */
export const presetSaved: Action<{ user: Preset[]; name: string }> = (s, p) => {
  const saved = p.user.find((u) => u.name === p.name);
  const next = { ...s, userPresets: p.user };
  if (!saved) return next;
  return { ...next, preset: { ...s.preset, name: saved.name }, loaded: { name: saved.name, builtin: false, preset: structuredClone(saved) as Preset } };
};

/** After a rename: follow the loaded preset's new name. */
export const presetRenamed: Action<{ user: Preset[]; from: string; to: string }> = (s, p) => {
  const next = { ...s, userPresets: p.user };
  if (s.loaded.builtin || s.loaded.name !== p.from) return next;
  const renamed = p.user.find((u) => u.name === p.to);
  return renamed ? { ...next, preset: { ...s.preset, name: p.to }, loaded: { name: p.to, builtin: false, preset: structuredClone(renamed) as Preset } } : next;
};

let noticeSeq = 1;
export const pushNotice: Action<Omit<Notice, 'id'>> = (s, n) => ({ ...s, notices: [...s.notices.slice(-4), { ...n, id: noticeSeq++ }] });
export const dismissNotice: Action<number> = (s, id) => ({ ...s, notices: s.notices.filter((n) => n.id !== id) });

/**
 * Queue a render of the current controls (and region). Needs both inputs. Settings that
 * differ from the loaded preset render under "<name> (modified)", without the loaded
 * preset's source: the queue, the take and its exported file then say what they are.
 */
export const enqueueRender: Action<{ jobId: string }> = (s, p) => {
  if (!s.contentId || !s.styleId) return s;
  let preset = structuredClone(s.preset) as Preset;
  if (presetModified(s.preset, s.loaded.preset)) {
    const { source: _source, ...rest } = preset;
    preset = { ...rest, name: modifiedName(preset.name) };
  }
  const job: RenderJob = {
    jobId: p.jobId,
    preset,
    contentId: s.contentId,
    styleId: s.styleId,
    region: s.region ?? undefined,
    status: 'queued',
    history: [],
  };
  return { ...s, renders: [...s.renders, job] };
};

const updateJob = (s: AppState, jobId: string, f: (j: RenderJob) => RenderJob): AppState => {
  const i = s.renders.findIndex((j) => j.jobId === jobId);
  if (i < 0) return s;
  const renders = s.renders.slice();
  renders[i] = f(renders[i]);
  return { ...s, renders };
};

/** The next queued job, if fewer than `slots` are running (main runs that many at once). */
export const nextJob = (s: AppState, slots = 1): RenderJob | undefined => (s.renders.filter((j) => j.status === 'running').length >= slots ? undefined : s.renders.find((j) => j.status === 'queued'));

export const jobStarted: Action<string> = (s, id) => updateJob(s, id, (j) => ({ ...j, status: 'running' }));

/** Record a progress event: the latest is kept, optimiser losses go into the chart history. */
export const jobProgress: Action<RenderProgress> = (s, p) =>
  updateJob(s, p.jobId, (j) => {
    if (j.status !== 'running') return j;
    let history = j.history;
    if (p.phase === 'optimise' && p.terms && p.loss !== undefined) {
      const last = history[history.length - 1];
      const segment = p.segment?.index ?? 0;
      const step = segment * Math.max(1, p.total) + p.iteration;
      if (!last || last.step !== step) {
        history = [...history, { iteration: p.iteration, step, segment, loss: p.loss, terms: p.terms }];
        // Thin by half when full: the chart stays the same shape with bounded memory.
        if (history.length > MAX_HISTORY) history = history.filter((_, i) => i % 2 === 0 || i === history.length - 1);
      }
    }
    // Keep the last preview when an event has none, so the view does not blank.
    const progress = p.preview || !j.progress?.preview ? p : { ...p, preview: j.progress.preview };
    return { ...j, progress, history };
  });

/**
 * A job finished: its take joins the lanes, A/B moves to it so it is heard next, and its
 * timing teaches the render estimate.
 */
export const jobDone: Action<{ jobId: string; take: Track }> = (s, p) => {
  const job = s.renders.find((j) => j.jobId === p.jobId);
  const done = updateJob(s, p.jobId, (j) => ({ ...j, status: 'done', takeId: p.take.id }));
  const withTake = addTrack(done, p.take);
  // A grid's take joins its grid; what is heard moves only when nothing else is (stepping through a grid is not interrupted).
  const gridded = job?.gridId
    ? { ...withTake, grids: withTake.grids.map((g) => (g.id === job.gridId ? { ...g, cells: g.cells.map((c) => (c.jobId === p.jobId ? { ...c, takeId: p.take.id } : c)) } : g)) }
    : withTake;
  const next = job?.gridId && gridded.transport.source && gridded.takeIds.includes(gridded.transport.source) ? gridded : selectSource(gridded, p.take.id);
  const metrics = p.take.take?.metrics;
  if (!job || !metrics) return next;
  return { ...next, calibration: learnFromRender(s.calibration, job.preset, p.take.info.duration, metrics) };
};

export const jobFailed: Action<{ jobId: string; message: string; cancelled: boolean }> = (s, p) =>
  updateJob(s, p.jobId, (j) => ({ ...j, status: p.cancelled ? 'cancelled' : 'failed', error: p.cancelled ? undefined : p.message }));

/** Cancel a job that has not started (a running one is cancelled through the engine). */
export const dequeue: Action<string> = (s, id) => updateJob(s, id, (j) => (j.status === 'queued' ? { ...j, status: 'cancelled' } : j));

export const setExportFormat: Action<Partial<ExportFormat>> = (s, f) => ({ ...s, exportFormat: { ...s.exportFormat, ...f } as ExportFormat });
export const setExportBlended: Action<boolean> = (s, exportBlended) => ({ ...s, exportBlended });

export const setMatchLoudness: Action<boolean> = (s, matchLoudness) => ({ ...s, mix: { ...s.mix, matchLoudness } });
/** Master volume in dB, −60 to +12. */
export const setMasterDb: Action<number> = (s, db) => ({ ...s, mix: { ...s.mix, masterDb: Math.max(-60, Math.min(12, Number.isFinite(db) ? db : 0)) } });
/** Range of a lane's gain control, dB. */
export const LANE_GAIN_DB = { min: -24, max: 12 } as const;
/** A lane's own gain in the mix, dB, clamped to LANE_GAIN_DB (not a number: 0). */
export const setLaneGain: Action<{ id: string; db: number }> = (s, p) => {
  if (!s.tracks[p.id]) return s;
  const db = Number.isFinite(p.db) ? Math.round(Math.max(LANE_GAIN_DB.min, Math.min(LANE_GAIN_DB.max, p.db)) * 10) / 10 : 0;
  return { ...s, mix: { ...s.mix, gainDb: { ...s.mix.gainDb, [p.id]: db } } };
};
/** A take's dry/wet, 0 (its content) to 1 (the take). */
export const setWet: Action<{ id: string; wet: number }> = (s, p) => ({ ...s, mix: { ...s.mix, wet: { ...s.mix.wet, [p.id]: Math.max(0, Math.min(1, p.wet)) } } });

/** Put a question on screen (null takes it away). */
export const setQuestion: Action<Question | null> = (s, question) => ({ ...s, question });
/** Show the introduction or the shortcut sheet (null closes it); closing the introduction marks it seen. */
export const setOverlay: Action<AppState['overlay']> = (s, overlay) => ({ ...s, overlay, introSeen: s.introSeen || s.overlay === 'intro' });

/** The session file this session is saved in (or null for none). */
export const setSessionFile: Action<string | null> = (s, sessionFile) => ({ ...s, sessionFile });

/**
 * Empty the lanes for another session: tracks, region, the undo history and finished renders
 * go; the controls, presets, view and mix stay.
 */
export const clearSession: Action<void> = (s) => ({
  ...s,
  ...EMPTY_LANES,
  renders: s.renders.filter((j) => j.status === 'queued' || j.status === 'running'),
  transport: { ...s.transport, source: null, loop: false },
  history: { past: [], future: [] },
  lastExport: null,
  mix: { ...s.mix, wet: {}, gainDb: {} },
  grids: [],
  compareGridId: null,
});
export const exported: Action<string[] | null> = (s, paths) => ({ ...s, lastExport: paths });

/**
 * Queue a grid: one job per cell (its preset, named by what differs), on the current inputs
 * and region, and open the compare view on it. Needs both inputs.
 */
export const enqueueGrid: Action<{ gridId: string; title: string; cells: { jobId: string; preset: Preset; label: string }[] }> = (s, p) => {
  if (!s.contentId || !s.styleId || !p.cells.length) return s;
  const jobs: RenderJob[] = p.cells.map((c) => ({
    jobId: c.jobId,
    preset: structuredClone(c.preset) as Preset,
    contentId: s.contentId!,
    styleId: s.styleId!,
    region: s.region ?? undefined,
    status: 'queued',
    history: [],
    name: c.label,
    gridId: p.gridId,
  }));
  const grid: Grid = { id: p.gridId, title: p.title, cells: p.cells.map((c) => ({ jobId: c.jobId, label: c.label })), marked: [] };
  return { ...s, renders: [...s.renders, ...jobs], grids: [...s.grids, grid], compareGridId: p.gridId };
};

/** A grid of takes that already exist (a batch folder opened), opened in the compare view. */
export const addDoneGrid: Action<{ gridId: string; title: string; cells: { label: string; takeId: string }[] }> = (s, p) => {
  if (!p.cells.length) return s;
  const grid: Grid = { id: p.gridId, title: p.title, cells: p.cells.map((c, i) => ({ jobId: `${p.gridId}-${i + 1}`, label: c.label, takeId: c.takeId })), marked: [] };
  return { ...s, grids: [...s.grids, grid], compareGridId: p.gridId };
};

/** The takes of a grid still on the lanes, in grid order. */
export const gridTakes = (s: AppState, gridId: string): string[] => (s.grids.find((g) => g.id === gridId)?.cells ?? []).flatMap((c) => (c.takeId && s.tracks[c.takeId] ? [c.takeId] : []));

/** Open the compare view on a grid (null closes it). */
export const openCompare: Action<string | null> = (s, id) => (id === null || s.grids.some((g) => g.id === id) ? { ...s, compareGridId: id } : s);

/**
 * Step through the compare view's takes: listen to the next (`+1`) or previous (`−1`) one,
 * wrapping around; from a lane outside the grid, the first (or last). At matched loudness
 * like every A/B; the transport keeps playing.
 */
export const compareStep: Action<number> = (s, delta) => {
  if (!s.compareGridId) return s;
  const takes = gridTakes(s, s.compareGridId);
  if (!takes.length) return s;
  const i = takes.indexOf(s.transport.source ?? '');
  const n = takes.length;
  const next = i < 0 ? (delta >= 0 ? 0 : n - 1) : (((i + delta) % n) + n) % n;
  return selectSource(s, takes[next]);
};

/** Mark a grid's take as a favourite, or unmark it. */
export const toggleMark: Action<string> = (s, takeId) => {
  const g = s.grids.find((x) => x.cells.some((c) => c.takeId === takeId));
  if (!g) return s;
  const marked = g.marked.includes(takeId) ? g.marked.filter((id) => id !== takeId) : [...g.marked, takeId];
  return { ...s, grids: s.grids.map((x) => (x === g ? { ...g, marked } : x)) };
};

/** The marked takes of a grid still on the lanes, in grid order. */
export const markedTakes = (s: AppState, gridId: string): string[] => {
  const g = s.grids.find((x) => x.id === gridId);
  return g ? gridTakes(s, gridId).filter((id) => g.marked.includes(id)) : [];
};

/** Remove a grid's takes that are not marked (each removal undoable); a grid with none marked keeps them all. */
export const dropUnmarked: Action<{ gridId: string; at?: number }> = (s, p) => {
  const g = s.grids.find((x) => x.id === p.gridId);
  if (!g || !g.marked.length) return s;
  return gridTakes(s, p.gridId)
    .filter((id) => !g.marked.includes(id))
    .reduce((acc, id) => removeTake(acc, { id, at: p.at }), s);
};

/** Takes ticked for export; if none are ticked, the auditioned take, else the newest. */
export function exportSelection(s: AppState): string[] {
  const ticked = s.takeIds.filter((id) => s.flags[id]?.selected);
  if (ticked.length) return ticked;
  if (s.transport.source && s.takeIds.includes(s.transport.source)) return [s.transport.source];
  return s.takeIds.length ? [s.takeIds[s.takeIds.length - 1]] : [];
}

/** Undo the newest edit (controls, region, a take). */
export const undo: Action<void> = (s) => undoStep(s);
/** Redo the edit undone last. */
export const redo: Action<void> = (s) => redoStep(s);
