/**
 * The compare view of a grid of takes: each take with what differs, its progress while it
 * renders, its loudness, and a favourite mark. Step through them with ← and → (the transport
 * keeps playing, every take at matched loudness), loop the region, mark with F, drop the
 * rest, export the marked ones in one go.
 */
import { useAppState, useController } from '../app/context';
import * as A from '../state/actions';
import { renderFraction } from '../../common/audio';

export function ComparePanel({ gridId }: { gridId: string }) {
  const c = useController();
  const grid = useAppState((s) => s.grids.find((g) => g.id === gridId));
  const renders = useAppState((s) => s.renders);
  const tracks = useAppState((s) => s.tracks);
  const source = useAppState((s) => s.transport.source);
  const loop = useAppState((s) => s.transport.loop);
  const region = useAppState((s) => s.region);
  if (!grid) return null;
  // Read, not selected (a fresh array per read would re-render forever); the grid and the
  // tracks it depends on are selected above, so it is current.
  const marked = A.markedTakes(c.store.getState(), gridId);
  const jobs = new Map(renders.filter((j) => j.gridId === gridId).map((j) => [j.jobId, j]));
  const pending = [...jobs.values()].filter((j) => j.status === 'queued' || j.status === 'running').length;
  const arrived = grid.cells.filter((x) => x.takeId && tracks[x.takeId]).length;
  const dropUnmarked = () => c.store.dispatch(A.dropUnmarked, { gridId, at: Date.now() });

  return (
    <section className="panel compare" aria-label="Compare takes">
      <div className="compare-head">
        <span className="compare-label">Compare</span>
        <span className="compare-title" title={grid.title}>
          {grid.title} · {arrived}/{grid.cells.length} takes{pending ? ` · ${pending} rendering` : ''}
        </span>
        <span className="compare-keys dim">← → step · F mark</span>
        <button className="small" onClick={() => c.store.dispatch(A.compareStep, -1)} aria-label="Previous take" title="Listen to the previous take (←)">
          ◀
        </button>
        <button className="small" onClick={() => c.store.dispatch(A.compareStep, 1)} aria-label="Next take" title="Listen to the next take (→)">
          ▶
        </button>
        <button
          className={`small ${loop ? 'on' : ''}`}
          aria-pressed={loop}
          aria-label="Loop the region while comparing"
          disabled={!region}
          title={region ? 'Loop the region while stepping through the takes (L)' : 'Set a region on the content lane to loop it'}
          onClick={() => c.transport.toggleLoop()}
        >
          Loop region
        </button>
        {pending ? (
          <button className="small danger" onClick={() => c.renders.cancelGrid(gridId)}>
            Cancel the rest
          </button>
        ) : null}
        <button className="small" disabled={!marked.length || marked.length === arrived} title="Remove the takes not marked (Ctrl+Z brings them back)" onClick={dropUnmarked}>
          Drop unmarked
        </button>
        <button className="small primary" disabled={!marked.length} onClick={() => void c.exports.exportTakes(marked)}>
          Export marked ({marked.length})
        </button>
        <button className="small ghost" aria-label="Close compare" title="Back to the render panel (the grid stays: Compare reopens it)" onClick={() => c.store.dispatch(A.openCompare, null)}>
          ✕
        </button>
      </div>
      <ol className="compare-list" aria-label="Grid takes">
        {grid.cells.map((cell, i) => {
          const job = jobs.get(cell.jobId);
          const take = cell.takeId ? tracks[cell.takeId] : undefined;
          const gone = !!cell.takeId && !take;
          const heard = !!take && source === take.id;
          const isMarked = !!take && marked.includes(take.id);
          const frac = job?.status === 'running' && job.progress ? renderFraction(job.progress) : job?.status === 'done' ? 1 : 0;
          const status = take ? '' : gone ? 'dropped' : job?.status === 'failed' ? `failed: ${job.error ?? ''}` : (job?.status ?? 'dropped');
          return (
            <li key={cell.jobId} className={`compare-row ${heard ? 'heard' : ''} ${isMarked ? 'marked' : ''}`} aria-label={`Grid take ${cell.label}`}>
              <span className="mono idx">{i + 1}</span>
              <button className="small ghost label" disabled={!take} aria-label={`Listen to ${cell.label}`} title={take?.info.name} onClick={() => take && c.store.dispatch(A.selectSource, take.id)}>
                {cell.label}
              </button>
              {take ? (
                <span className="mono lufs">{take.info.loudness?.lufs != null ? `${take.info.loudness.lufs.toFixed(1)} LUFS` : ''}</span>
              ) : (
                <span className="compare-progress" role="progressbar" aria-label={`${cell.label} progress`} aria-valuenow={Math.round(frac * 100)} aria-valuemin={0} aria-valuemax={100} title={status}>
                  <span className="bar" style={{ width: `${(frac * 100).toFixed(1)}%` }} />
                  <span className="progress-word">{status}</span>
                </span>
              )}
              <button
                className={`small ghost star ${isMarked ? 'on' : ''}`}
                disabled={!take}
                aria-pressed={isMarked}
                aria-label={`Mark ${cell.label}`}
                title="Mark as a favourite (F)"
                onClick={() => take && c.store.dispatch(A.toggleMark, take.id)}
              >
                {isMarked ? '★' : '☆'}
              </button>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
