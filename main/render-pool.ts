/**
 * The engine processes renders run on: the shell's own engine host first, then up to
 * `size − 1` more hosts started when renders overlap (one process per core by default), so
 * a grid of takes renders in parallel in the background. Every other engine call (decode,
 * spectrograms, export) stays on the first host. An extra host that has been idle for a
 * while is stopped, giving its memory back.
 */
import type { ArgsOf, CallOptions, ResultOf } from '../common/rpc';
import type { EngineApi } from '../common/engine-api';
import type { EngineHost, EngineCalls } from './engine-host';

/** How long an extra engine may sit idle before it is stopped, ms. */
const IDLE_STOP_MS = 60_000;

type Slot = { host: Pick<EngineHost, 'render'> & { dispose?: () => void }; inFlight: number; idleTimer: ReturnType<typeof setTimeout> | null };

export class RenderPool {
  private readonly extra: (Slot | null)[];
  private readonly primary: Slot;

  /**
   * @param engine the shell's engine host (renders go here first, and every other call)
   * @param startExtra starts one more engine host (same launcher, progress to the same place)
   * @param size how many renders may run at once, ≥ 1 (one per core)
   */
  constructor(
    private readonly engine: EngineCalls,
    private readonly startExtra: () => Pick<EngineHost, 'render' | 'dispose'>,
    readonly size: number,
    private readonly idleStopMs = IDLE_STOP_MS,
  ) {
    this.primary = { host: engine, inFlight: 0, idleTimer: null };
    this.extra = Array.from({ length: Math.max(0, Math.floor(size) - 1) }, () => null);
  }

  /** How many renders are running on each process now (the first is the shell's engine). */
  get load(): number[] {
    return [this.primary.inFlight, ...this.extra.map((s) => s?.inFlight ?? 0)];
  }

  /** The engine's other calls go to the shell's engine, as before. */
  get status() {
    return this.engine.status;
  }

  call: EngineCalls['call'] = (method, args, options) => this.engine.call(method, args, options);

  /** A free slot: the shell's engine if idle, else a running extra that is idle, else a new one; when all are busy, the least loaded. */
  private pick(): Slot {
    if (this.primary.inFlight === 0) return this.primary;
    const idle = this.extra.find((s) => s && s.inFlight === 0);
    if (idle) return idle;
    const free = this.extra.indexOf(null);
    if (free >= 0) return (this.extra[free] = { host: this.startExtra(), inFlight: 0, idleTimer: null });
    return [this.primary, ...(this.extra as Slot[])].reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
  }

  /** Render on a free engine process; cancelling works as on one host (the call's signal). */
  async render(args: ArgsOf<EngineApi, 'render'>, options: CallOptions = {}): Promise<ResultOf<EngineApi, 'render'>> {
    const slot = this.pick();
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = null;
    slot.inFlight++;
    try {
      return await slot.host.render(args, options);
    } finally {
      slot.inFlight--;
      if (slot !== this.primary && slot.inFlight === 0) {
        slot.idleTimer = setTimeout(() => {
          const i = this.extra.indexOf(slot);
          if (i < 0 || slot.inFlight > 0) return;
          this.extra[i] = null;
          slot.host.dispose?.();
        }, this.idleStopMs);
        (slot.idleTimer as { unref?: () => void }).unref?.();
      }
    }
  }

  /** Stop the extra engines (the shell stops its own). */
  dispose(): void {
    for (const [i, s] of this.extra.entries()) {
      if (!s) continue;
      if (s.idleTimer) clearTimeout(s.idleTimer);
      s.host.dispose?.();
      this.extra[i] = null;
    }
  }
}
