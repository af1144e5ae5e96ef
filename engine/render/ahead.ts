/**
 * A stream's first segment rendered before Render is pressed (docs/ARCHITECTURE.md, "The data
 * route of a render"): while the musician sets up, the engine renders the first segment of
 * the take the next Render would stream, exactly as that render would (./run-segments.ts
 * `renderSegment`), and keeps it. A render whose first segment is that very stretch of
 * content, against that very style sample, with that very preset, takes it instead of
 * rendering it, so its first sound waits for the trip to the page only. Renders are
 * deterministic for the same inputs and seed, so the kept segment is the one it would make.
 *
 * One segment is kept per engine process. Readying another, or a render asking for anything
 * else, stops one under way (its CPU is the render's) and drops it.
 */
import type { TakeResult } from '../../common/audio';
import type { Preset } from '../../common/preset';
import type { RenderJob } from './prepare';
import type { RenderHooks } from './render';
import { renderSegment, type SegmentAhead } from './run-segments';

/** A first segment rendered ahead (see the file comment). */
export interface FirstSegmentAhead {
  /**
   * Render `stretch` of `job`'s content against `style` now and keep it, stopping and dropping
   * any other kept or under way.
   * @returns the segment's render; rejects with CANCELLED when stopped for another
   */
  ready(job: RenderJob, stretch: Float32Array, style: RenderJob['style'], hear: RenderHooks['hear']): Promise<TakeResult>;
  /** What a render asks (`renderSegments`' `ahead`): the kept render for exactly these inputs. */
  take: SegmentAhead;
  /** Stop and drop what is kept or under way (a render that is no stream needs the CPU). */
  drop(): void;
}

/** Whether two blocks of samples hold the same bits. */
function sameSamples(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

export function createFirstSegmentAhead(): FirstSegmentAhead {
  let kept: { content: Float32Array; style: Float32Array; preset: string; take: Promise<TakeResult>; stop: () => void } | null = null;
  const drop = () => {
    kept?.stop();
    kept = null;
  };
  return {
    ready(job, stretch, style, hear) {
      drop();
      let stopped = false;
      const take = renderSegment(job, stretch, style, { isCancelled: () => stopped, ...(hear ? { hear } : {}) });
      const mine = { content: stretch.slice(), style: style.samples.slice(), preset: JSON.stringify(job.preset), take, stop: () => (stopped = true) };
      kept = mine;
      // A segment that failed is not kept: the render says why, in its own words.
      take.catch(() => {
        if (kept === mine) kept = null;
      });
      return take;
    },
    take(content: Float32Array, style: RenderJob['style'], preset: Preset) {
      if (!kept) return undefined;
      if (kept.preset === JSON.stringify(preset) && sameSamples(kept.content, content) && sameSamples(kept.style, style.samples)) {
        const { take } = kept;
        kept = null;
        return take;
      }
      drop();
      return undefined;
    },
    drop,
  };
}
