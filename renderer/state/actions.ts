/**
 * Every change to the UI state, as a pure `(state, payload) → state` function. Components
 * and the controller dispatch these; tests call them directly.
 */
import type { EngineStatus, ShellKind, Track } from '../../common/contract';
import type { ExportFormat, Region, RenderProgress } from '../../common/audio';
import type { Preset } from '../../common/preset';
import type { AppState, LaneFlags, LaneKey, Notice, RenderJob, ViewState } from './app-state';
import { type PresetPath, modifiedName, presetModified, setPresetField } from './preset-edit';

export type Action<P> = (s: AppState, payload: P) => AppState;

const FLAGS: LaneFlags = { muted: false, solo: false, selected: false };
/** Longest loss history kept per job; older points are thinned, not dropped wholesale. */
export const MAX_HISTORY = 2000;

/** Lane key of a track. */
export const laneOf = (t: Track): LaneKey => (t.kind === 'take' ? `take:${t.id}` : t.kind);

export const setEngine: Action<EngineStatus> = (s, engine) => ({ ...s, engine });

export const setAppInfo: Action<{ version: string; shell: ShellKind; engine: EngineStatus }> = (s, p) => ({
  ...s,
  version: p.version,
  shell: p.shell,
  engine: p.engine,
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

/** Remove a take (inputs are replaced, not removed). */
export const removeTake: Action<string> = (s, id) => {
  if (!s.takeIds.includes(id)) return s;
  const tracks = { ...s.tracks };
  delete tracks[id];
  const flags = { ...s.flags };
  delete flags[id];
  const source = s.transport.source === id ? s.contentId : s.transport.source;
  return { ...s, tracks, flags, takeIds: s.takeIds.filter((t) => t !== id), transport: { ...s.transport, source } };
};

/** Order of lanes on screen (and of the A/B keys 1, 2, 3…). */
export const laneOrder = (s: AppState): string[] =>
  [s.contentId, s.styleId, ...s.takeIds].filter((x): x is string => typeof x === 'string');

export const toggleMute: Action<string> = (s, id) =>
  s.flags[id] ? { ...s, flags: { ...s.flags, [id]: { ...s.flags[id], muted: !s.flags[id].muted } } } : s;
export const toggleSolo: Action<string> = (s, id) =>
  s.flags[id] ? { ...s, flags: { ...s.flags, [id]: { ...s.flags[id], solo: !s.flags[id].solo } } } : s;
export const toggleSelected: Action<string> = (s, id) =>
  s.flags[id] ? { ...s, flags: { ...s.flags, [id]: { ...s.flags[id], selected: !s.flags[id].selected } } } : s;

/**
 * Gain (0 or 1) each track should have: solo wins over the A/B source; mute always silences.
 */
export function audibleTracks(s: AppState): Record<string, boolean> {
  const ids = laneOrder(s);
  const anySolo = ids.some((id) => s.flags[id]?.solo);
  const out: Record<string, boolean> = {};
  for (const id of ids) {
    const f = s.flags[id] ?? FLAGS;
    out[id] = !f.muted && (anySolo ? f.solo : id === s.transport.source);
  }
  return out;
}

/** A/B: audition the track at `index` in lane order (0 = content). Out of range: unchanged. */
export const selectSourceIndex: Action<number> = (s, index) => {
  const id = laneOrder(s)[index];
  return id ? { ...s, transport: { ...s.transport, source: id } } : s;
};
export const selectSource: Action<string> = (s, id) =>
  s.tracks[id] ? { ...s, transport: { ...s.transport, source: id } } : s;

export const setPlaying: Action<boolean> = (s, playing) => ({ ...s, transport: { ...s.transport, playing } });
export const setLoop: Action<boolean> = (s, loop) => ({ ...s, transport: { ...s.transport, loop } });

/**
 * Set or clear the region, clamped to the content's duration and ordered; a region shorter
 * than 50 ms is treated as a click and clears it.
 */
export const setRegion: Action<Region | null> = (s, r) => {
  if (!r) return { ...s, region: null, transport: { ...s.transport, loop: false } };
  const dur = s.contentId ? s.tracks[s.contentId]?.info.duration ?? Infinity : Infinity;
  const a = Math.max(0, Math.min(r.start, r.end, dur));
  const b = Math.max(0, Math.min(Math.max(r.start, r.end), dur));
  if (!(b - a >= 0.05)) return { ...s, region: null, transport: { ...s.transport, loop: false } };
  return { ...s, region: { start: a, end: b } };
};

export const setView: Action<Partial<ViewState>> = (s, v) => {
  const view = { ...s.view, ...v };
  if (view.dbMax - view.dbMin < 6) {
    // Keep at least 6 dB of range: a zero-width range makes every pixel one colour.
    if (v.dbMin !== undefined) view.dbMin = view.dbMax - 6;
    else view.dbMax = view.dbMin + 6;
  }
  view.scroll = Math.max(0, view.scroll);
  return { ...s, view };
};

/** Set one control; the "modified" marker follows from comparing with `loaded`. */
export const setField: Action<{ path: PresetPath; value: unknown }> = (s, p) => ({ ...s, preset: setPresetField(s.preset, p.path, p.value) });

/** Load a preset onto the controls. */
export const loadPreset: Action<{ preset: Preset; builtin: boolean }> = (s, p) => ({
  ...s,
  preset: structuredClone(p.preset) as Preset,
  loaded: { name: p.preset.name, builtin: p.builtin, preset: structuredClone(p.preset) as Preset },
});

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
  return renamed
    ? { ...next, preset: { ...s.preset, name: p.to }, loaded: { name: p.to, builtin: false, preset: structuredClone(renamed) as Preset } }
    : next;
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

/** The next queued job, if none is running. */
export const nextJob = (s: AppState): RenderJob | undefined =>
  s.renders.some((j) => j.status === 'running') ? undefined : s.renders.find((j) => j.status === 'queued');

export const jobStarted: Action<string> = (s, id) => updateJob(s, id, (j) => ({ ...j, status: 'running' }));

/** Record a progress event: the latest is kept, optimiser losses go into the chart history. */
export const jobProgress: Action<RenderProgress> = (s, p) =>
  updateJob(s, p.jobId, (j) => {
    if (j.status !== 'running') return j;
    let history = j.history;
    if (p.phase === 'optimise' && p.terms && p.loss !== undefined) {
      const last = history[history.length - 1];
      if (!last || last.iteration !== p.iteration) {
        history = [...history, { iteration: p.iteration, loss: p.loss, terms: p.terms }];
        // Thin by half when full: the chart stays the same shape with bounded memory.
        if (history.length > MAX_HISTORY) history = history.filter((_, i) => i % 2 === 0 || i === history.length - 1);
      }
    }
    // Keep the last preview when an event has none, so the view does not blank.
    const progress = p.preview || !j.progress?.preview ? p : { ...p, preview: j.progress.preview };
    return { ...j, progress, history };
  });

/** A job finished: its take joins the lanes, and A/B moves to it so it is heard next. */
export const jobDone: Action<{ jobId: string; take: Track }> = (s, p) => {
  const done = updateJob(s, p.jobId, (j) => ({ ...j, status: 'done', takeId: p.take.id }));
  const withTake = addTrack(done, p.take);
  return { ...withTake, transport: { ...withTake.transport, source: p.take.id } };
};

export const jobFailed: Action<{ jobId: string; message: string; cancelled: boolean }> = (s, p) =>
  updateJob(s, p.jobId, (j) => ({ ...j, status: p.cancelled ? 'cancelled' : 'failed', error: p.cancelled ? undefined : p.message }));

/** Cancel a job that has not started (a running one is cancelled through the engine). */
export const dequeue: Action<string> = (s, id) =>
  updateJob(s, id, (j) => (j.status === 'queued' ? { ...j, status: 'cancelled' } : j));

/** Drop finished/failed/cancelled jobs from the list. */
export const clearFinishedJobs: Action<void> = (s) => ({ ...s, renders: s.renders.filter((j) => j.status === 'queued' || j.status === 'running') });

export const setExportFormat: Action<Partial<ExportFormat>> = (s, f) => ({ ...s, exportFormat: { ...s.exportFormat, ...f } as ExportFormat });
export const exported: Action<string[] | null> = (s, paths) => ({ ...s, lastExport: paths });

/** Takes ticked for export; if none are ticked, the auditioned take, else the newest. */
export function exportSelection(s: AppState): string[] {
  const ticked = s.takeIds.filter((id) => s.flags[id]?.selected);
  if (ticked.length) return ticked;
  if (s.transport.source && s.takeIds.includes(s.transport.source)) return [s.transport.source];
  return s.takeIds.length ? [s.takeIds[s.takeIds.length - 1]] : [];
}
