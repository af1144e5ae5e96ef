/**
 * The UI's side of the renders API (`common/api/renders.ts`): a queue that runs one render
 * at a time. Cancelling the running one aborts its call; the RPC carries the cancel to main
 * and on to the engine, so no process keeps a table of job ids for it.
 */
import type { GramophoneBridge } from '../../common/contract';
import type { Store } from '../state/store';
import * as A from '../state/actions';
import type { TracksClient } from './tracks-client';
import type { Questions } from './questions';
import { isCancel, messageOf } from './errors';
import { estimateSeconds, formatEstimate } from '../state/render-estimate';

/** A render estimated longer than this (s) asks before it is queued. */
const ASK_ABOVE_SECONDS = 5 * 60;

export class RendersClient {
  /** The render in flight, and how to cancel it. */
  private running: { jobId: string; abort: AbortController } | null = null;
  private jobSeq = 0;

  constructor(
    private readonly api: GramophoneBridge,
    private readonly store: Store,
    private readonly tracks: TracksClient,
    private readonly questions?: Questions,
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
    return this.running !== null;
  }

  /** Queue a render of the current controls; starts it if nothing is running. Returns its job id. */
  render(): string | null {
    const s = this.store.getState();
    if (!s.contentId || !s.styleId) {
      this.store.dispatch(A.pushNotice, { kind: 'error', text: 'Load a content and a style track before rendering.' });
      return null;
    }
    const jobId = `job-${Date.now().toString(36)}-${++this.jobSeq}`;
    this.store.dispatch(A.enqueueRender, { jobId });
    void this.pump();
    return jobId;
  }

  /** Cancel a queued job (it never starts) or the running one (its call is aborted). */
  cancel(jobId: string): void {
    const job = this.store.getState().renders.find((j) => j.jobId === jobId);
    if (job?.status === 'queued') this.store.dispatch(A.dequeue, jobId);
    else if (job?.status === 'running' && this.running?.jobId === jobId) this.running.abort.abort();
  }

  /** The running job, if any. */
  cancelRunning(): void {
    this.running?.abort.abort();
  }

  /** Run queued jobs one at a time. */
  private async pump(): Promise<void> {
    if (this.running) return;
    const job = A.nextJob(this.store.getState());
    if (!job) return;
    const abort = new AbortController();
    this.running = { jobId: job.jobId, abort };
    this.store.dispatch(A.jobStarted, job.jobId);
    try {
      const { jobId, contentId, styleId, preset, region } = job;
      const take = await this.api.render({ jobId, contentId, styleId, preset, region }, { signal: abort.signal });
      await this.tracks.add(take);
      this.store.dispatch(A.jobDone, { jobId, take });
    } catch (e) {
      this.store.dispatch(A.jobFailed, { jobId: job.jobId, message: messageOf(e), cancelled: isCancel(e) });
    } finally {
      this.running = null;
    }
    await this.pump();
  }
}
