/**
 * The lane of what is heard while it renders: a streaming take filling as its chunks arrive
 * (from the playhead, then from its start) (and saying so when playback waits for it), or the live loop's region with the
 * settings sounding and the ones rendering. It appears at once, before any audio has arrived.
 */
import { useEffect, useRef } from 'react';
import { useAppState, useController } from '../app/context';
import { HEADER_W } from './track-lane';

/** The lane's height, px (its bar and a header of three lines). */
export const STREAM_LANE_HEIGHT = 84;

interface Props {
  /** Pixels per second and the timeline's left edge, seconds (the lanes' shared view). */
  pps: number;
  scroll: number;
  width: number;
}

export function StreamLane({ pps, scroll, width }: Props) {
  const c = useController();
  const stream = useAppState((s) => s.stream);
  const live = useAppState((s) => s.live);
  const region = useAppState((s) => s.region);
  const ref = useRef<HTMLDivElement>(null);
  const shown = !!stream || live.on;
  useEffect(() => {
    if (shown) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [shown]);
  if (!shown) return null;
  const x = (t: number) => (t - scroll) * pps;

  if (stream) {
    const done = stream.rendered >= stream.total - 1e-6;
    const status = stream.waiting
      ? 'waiting for the next segment…'
      : done
        ? 'rendered'
        : stream.rendered > 0
          ? `${stream.rendered.toFixed(1)} of ${stream.total.toFixed(1)} s ready`
          : 'first segment rendering…';
    return (
      <div className="lane stream-lane" role="listitem" aria-label="Streaming take" data-lane="stream" ref={ref} style={{ height: STREAM_LANE_HEIGHT }}>
        <div className="lane-head" style={{ width: HEADER_W }}>
          <div className="lane-title">{stream.name}</div>
          <div className="dim small-text" title={stream.settings}>
            {stream.settings}
          </div>
          <div className={`stream-status ${stream.waiting ? 'waiting' : ''}`} role="status" aria-label="Stream status">
            {status}
          </div>
        </div>
        <div className="stream-body" style={{ width }}>
          <div className="stream-span" style={{ left: x(stream.offset), width: stream.total * pps }}>
            {stream.spans.map((a) => (
              <div key={a.from} className="stream-fill" data-testid="stream-fill" style={{ left: a.from * pps, width: (a.to - a.from) * pps }} />
            ))}
          </div>
        </div>
      </div>
    );
  }

  const r = region ?? { start: 0, end: 0 };
  const next = live.pending
    ? `${live.pending.ready ? 'Next, at the loop start' : 'Rendering'}: ${live.pending.settings}`
    : live.sounding
      ? 'Up to date with the controls'
      : 'Rendering the first version…';
  return (
    <div className="lane stream-lane live" role="listitem" aria-label="Live loop" data-lane="live" ref={ref} style={{ height: STREAM_LANE_HEIGHT }}>
      <div className="lane-head" style={{ width: HEADER_W }}>
        <div className="lane-title">
          <span className="lane-kind kind-live">Live loop</span>
          <button className="small" aria-label="Keep the live version" title="Keep the version sounding now as a take (K)" disabled={!live.sounding} onClick={() => void c.live.keep()}>
            Keep (K)
          </button>
        </div>
        <div className="live-line" aria-label="Sounding settings" title={live.sounding?.settings}>
          <span className="dim">Sounding</span> {live.sounding?.settings ?? '—'}
        </div>
      </div>
      <div className="stream-body" style={{ width }}>
        <div className={`stream-span live-span ${live.pending ? 'pending' : ''}`} style={{ left: x(r.start), width: Math.max(2, (r.end - r.start) * pps) }} />
        <span className="live-next" role="status" aria-label="Live status" style={{ left: Math.max(4, x(r.end) + 8) }}>
          {next}
        </span>
      </div>
    </div>
  );
}
