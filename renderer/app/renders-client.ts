/**
 * The UI's side of the renders API (`common/api/renders.ts`): a queue that runs as many
 * renders at once as main has engine processes (one, or a grid's takes in parallel).
 * Cancelling a running one aborts its call; the RPC carries the cancel to main and on to the
 * engine, so no process keeps a table of job ids for it.
 */
import type { GramophoneBridge } from '../../common/contract';
import type { Store } from '../state/store';
import * as A from '../state/actions';
import type { TracksClient } from './tracks-client';
import type { Questions } from './questions';
import { messageOf } from './errors';
import { isCancel } from '../../common/errors';
import { estimateSeconds, formatEstimate } from '../state/render-estimate';

/** A render estimated longer than this (s) asks before it is queued. */
const ASK_ABOVE_SECONDS = 5 * 60;
import type { RenderJob } from '../state/app-state';
import { SWEEP_PARAMS, gridCells, type SweepAxis } from '../state/grid';
import type { StreamClient } from './stream-client';
import { settingsWords } from '../state/stream';

export class RendersClient {
  /** The renders in flight, and how to cancel each. */
  private readonly running = new Map<string, AbortController>();
  private jobSeq = 0;
  private gridSeq = 0;

  constructor(
    private readonly api: GramophoneBridge,
    private readonly store: Store,
    private readonly tracks: TracksClient,
    private readonly questions?: Questions,
    private readonly stream?: StreamClient,
  ) {}

  /**
   * What the Render button and Ctrl+Enter do: `render()`, after asking, with the estimate,
   * when the render is estimated to take over ASK_ABOVE_SECONDS. Resolves to the job id, or
   * null when nothing was queued.
   */
  async requestRender(): Promise<string | null> {
    const s = this.store.getState();
    const content = s.contentId ? s.tracks[s.contentId] : undefined;
    if (content && s.styleId && this.questions) {
      const seconds = s.region ? s.region.end - s.region.start : content.info.duration;
      const estimate = estimateSeconds(s.preset, seconds, s.calibration);
      if (estimate > ASK_ABOVE_SECONDS) {
        const go = await this.questions.ask({
          message: `This render will take ${formatEstimate(estimate)}. Start it?`,
          detail: `"${s.preset.name}" on ${seconds.toFixed(1)} s of content. Fewer iterations, a shorter region or "Quick preview" render sooner; you can cancel a running render at any time.`,
          confirmLabel: 'Render',
        });
        if (!go) return null;
      }
    }
    return this.render();
  }

  /** True while this page waits for a render. */
  get busy(): boolean {
    return this.running.size > 0;
  }

  /** Queue a render of the current controls; starts it if nothing is running. Returns its job id. */
  render(): string | null {
    const s = this.store.getState();
    if (!s.contentId || !s.styleId) {
      this.store.dispatch(A.pushNotice, { kind: 'error', text: 'Load a content and a style track before rendering.' });
      return null;
    }
    const jobId = this.newJobId();
    this.store.dispatch(A.enqueueRender, { jobId });
    void this.pump();
    return jobId;
  }

  private newJobId(): string {
    return `job-${Date.now().toString(36)}-${++this.jobSeq}`;
  }

  /**
   * Queue a grid of takes over the current controls, inputs and region: every combination
   * of the axes' values. Returns the grid's id, or the problem in words (nothing is queued).
   */
  renderGrid(axes: SweepAxis[]): { gridId: string } | { error: string } {
    const s = this.store.getState();
    if (!s.contentId || !s.styleId) return { error: 'Load a content and a style track before rendering a grid.' };
    const built = gridCells(s.preset, axes, [...s.builtinPresets, ...s.userPresets]);
    if ('error' in built) return built;
    const gridId = `grid-${Date.now().toString(36)}-${++this.gridSeq}`;
    const title = axes.map((a) => SWEEP_PARAMS.find((p) => p.param === a.param)?.label ?? a.param).join(' × ');
    this.store.dispatch(A.enqueueGrid, { gridId, title, cells: built.cells.map((c) => ({ jobId: this.newJobId(), preset: c.preset, label: c.label })) });
    void this.pump();
    return { gridId };
  }

  /**
   * Open a batch folder made by `gramophone batch` as a grid of takes (`path`: the folder, or
   * none for the folder dialog). Returns null when nothing was opened (the problem is shown).
   */
  async openBatchFolder(path?: string): Promise<{ gridId: string } | null> {
    try {
      const r = await this.api.openBatchFolder(path ? { path } : {});
      if (!r) return null;
      for (const t of r.takes) await this.tracks.add(t.track);
      const gridId = `grid-${Date.now().toString(36)}-${++this.gridSeq}`;
      const name = r.folder.split(/[\\/]/).filter(Boolean).pop() ?? r.folder;
      this.store.dispatch(A.addDoneGrid, { gridId, title: `Batch ${name}`, cells: r.takes.map((t) => ({ label: t.label, takeId: t.track.id })) });
      for (const n of r.notices) this.store.dispatch(A.pushNotice, { kind: 'info', text: n });
      return { gridId };
    } catch (e) {
      this.store.dispatch(A.pushNotice, { kind: 'error', text: `Could not open the batch folder: ${messageOf(e)}` });
      return null;
    }
  }

  /** Cancel every job of a grid that has not finished. */
  cancelGrid(gridId: string): void {
    for (const j of this.store.getState().renders) if (j.gridId === gridId) this.cancel(j.jobId);
  }

  /** Cancel a queued job (it never starts) or the running one (its call is aborted). */
  cancel(jobId: string): void {
    const job = this.store.getState().renders.find((j) => j.jobId === jobId);
    if (job?.status === 'queued') this.store.dispatch(A.dequeue, jobId);
    else if (job?.status === 'running') this.running.get(jobId)?.abort();
  }

  /** The running jobs, if any. */
  cancelRunning(): void {
    for (const abort of this.running.values()) abort.abort();
  }

  /** Start queued jobs while fewer than main's render slots are running. */
  private async pump(): Promise<void> {
    const slots = this.store.getState().renderSlots;
    for (let job = A.nextJob(this.store.getState(), slots); job; job = A.nextJob(this.store.getState(), slots)) {
      this.store.dispatch(A.jobStarted, job.jobId);
      void this.run(job);
    }
  }

  private async run(job: RenderJob): Promise<void> {
    const abort = new AbortController();
    this.running.set(job.jobId, abort);
    try {
      const { jobId, contentId, styleId, preset, region, name } = job;
      // One take at a time is heard as it renders; a grid's takes render whole, side by side.
      const content = this.store.getState().tracks[contentId];
      const streamed = !!this.stream && !job.gridId && !!content;
      // A region renders from its start; without one, rendering starts at the playhead.
      let from = 0;
      if (streamed && content && this.stream) {
        const offset = region?.start ?? 0;
        const total = (region ? Math.min(region.end, content.info.duration) : content.info.duration) - offset;
        from = region ? 0 : this.stream.startFor(offset, total);
        this.stream.start({ jobId, name: name ?? `Rendering - ${preset.name}`, settings: settingsWords(preset), offset, total, from });
      }
      const stream = streamed ? { stream: from > 0 ? { from } : {} } : {};
      const take = await this.api.render({ jobId, contentId, styleId, preset, region, ...(name ? { name } : {}), ...stream }, { signal: abort.signal });
      const audio = streamed ? this.stream?.finish(take) : null;
      if (audio) this.tracks.provideAudio(take.id, audio);
      await this.tracks.add(take);
      this.store.dispatch(A.jobDone, { jobId, take });
    } catch (e) {
      this.store.dispatch(A.jobFailed, { jobId: job.jobId, message: messageOf(e), cancelled: isCancel(e) });
    } finally {
      this.stream?.stop(job.jobId);
      this.running.delete(job.jobId);
    }
    await this.pump();
  }
}
