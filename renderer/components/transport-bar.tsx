/**
 * Play/pause, stop, loop, the position read-out, A/B buttons (lit for what is heard), loudness
 * matching, the level meter, the master volume, help and the engine status.
 */
import { useRef } from 'react';
import { useAppState, useController } from '../app/context';
import * as A from '../state/actions';
import { audibleTracks } from '../state/mix';
import { formatTime } from '../view/readout';
import { useAnimationFrame } from '../view/use-frame';
import type { AppState } from '../state/app-state';
import { countRender } from '../view/render-count';
import { LevelMeter } from './level-meter';

const engineText: Record<string, string> = {
  starting: 'Engine starting…',
  ready: 'Engine ready',
  busy: 'Engine rendering',
  crashed: 'Engine crashed — restarting',
  restarting: 'Engine restarting…',
  failed: 'Engine unavailable',
};

/** Short lane label for the A/B buttons. */
export function laneLabel(s: AppState, id: string): string {
  if (id === s.contentId) return 'Content';
  if (id === s.styleId) return 'Style';
  return `Take ${s.takeIds.indexOf(id) + 1}`;
}

export function TransportBar() {
  countRender('TransportBar');
  const c = useController();
  const playing = useAppState((s) => s.transport.playing);
  const loop = useAppState((s) => s.transport.loop);
  const region = useAppState((s) => s.region);
  const live = useAppState((s) => s.live.on);
  const engine = useAppState((s) => s.engine);
  const server = useAppState((s) => s.server);
  const mix = useAppState((s) => s.mix);
  const state = useAppState((s) => s);
  const order = A.laneOrder(state);
  const heard = audibleTracks(state);
  const timeRef = useRef<HTMLSpanElement>(null);
  const durRef = useRef<HTMLSpanElement>(null);
  let lastText = '';

  useAnimationFrame(() => {
    const text = formatTime(c.playback.position());
    if (text !== lastText && timeRef.current) {
      timeRef.current.textContent = text;
      lastText = text;
    }
    if (durRef.current) durRef.current.textContent = formatTime(c.playback.duration());
    // Past the end of every track with no loop: stop, so the play button tells the truth.
    const st = c.state.transport;
    if (st.playing && !st.loop && c.playback.position() > c.playback.duration() + 0.25) c.transport.stop();
  });

  return (
    <header className="transport" role="toolbar" aria-label="Transport">
      <div className="brand">Gramophone</div>
      <div className="transport-buttons">
        <button className={`tbtn play ${playing ? 'on' : ''}`} aria-label={playing ? 'Pause' : 'Play'} title="Play / pause (Space)" onClick={() => void c.transport.togglePlay()}>
          {playing ? '❚❚' : '▶'}
        </button>
        <button className="tbtn" aria-label="Stop" title="Stop (Esc)" onClick={() => c.transport.stop()}>
          ■
        </button>
        <button
          className={`tbtn ${loop ? 'on' : ''}`}
          aria-label="Loop region"
          aria-pressed={loop}
          title={region ? 'Loop the region (L)' : 'Set a region on the content lane to loop it (L)'}
          onClick={() => c.transport.toggleLoop()}
        >
          ⟲
        </button>
        <button
          className={`tbtn live-btn ${live ? 'on' : ''}`}
          aria-label="Live loop"
          aria-pressed={live}
          title="Live: while the region loops, re-render it whenever a slider or the preset changes, and swap the new version in at the loop start (V)"
          onClick={() => c.live.toggle()}
        >
          Live
        </button>
      </div>
      <div className="clock" aria-label="Position">
        <span ref={timeRef} data-testid="position">
          00:00.000
        </span>
        <span className="dim clock-total">
          {' / '}
          <span ref={durRef}>00:00.000</span>
        </span>
      </div>
      <div className="ab" role="group" aria-label="Listen to (A/B)">
        <span className="ab-title">Listen</span>
        {order.map((id, i) => (
          <button
            key={id}
            className={`abbtn ${heard[id] ? 'on' : ''}`}
            aria-pressed={heard[id]}
            aria-label={`Listen to ${laneLabel(state, id)}`}
            title={`Listen to ${laneLabel(state, id)} (${i + 1})`}
            onClick={() => c.transport.audition(i)}
          >
            <kbd>{i + 1}</kbd> {laneLabel(state, id)}
          </button>
        ))}
      </div>
      <div className="mix" role="group" aria-label="Output">
        <label className="check match" title="Play every lane at the same integrated loudness (ITU-R BS.1770 / EBU R128), so the louder one does not win the comparison">
          <input type="checkbox" aria-label="Match loudness" checked={mix.matchLoudness} onChange={(e) => c.store.dispatch(A.setMatchLoudness, e.target.checked)} />
          <span className="wide-only">Match loudness</span>
          <span className="narrow-only">Match</span>
        </label>
        <LevelMeter />
        <input
          className="volume"
          type="range"
          min={-40}
          max={6}
          step={0.5}
          aria-label="Master volume"
          aria-valuetext={`${mix.masterDb} dB`}
          title={`Master volume ${mix.masterDb > 0 ? '+' : ''}${mix.masterDb} dB (double-click for 0 dB)`}
          value={mix.masterDb}
          onChange={(e) => c.store.dispatch(A.setMasterDb, Number(e.target.value))}
          onDoubleClick={() => c.store.dispatch(A.setMasterDb, 0)}
        />
      </div>
      <button className="small help" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={() => c.store.dispatch(A.setOverlay, 'shortcuts')}>
        ?
      </button>
      {server === 'lost' ? (
        <div
          className="engine engine-failed"
          role="status"
          aria-label="Engine status"
          title="The Gramophone server stopped. This page reconnects by itself when it is started again with the same data folder."
        >
          <span className="dot" />
          <span className="engine-text">Server stopped — reconnecting…</span>
        </div>
      ) : (
        <div
          className={`engine engine-${engine.state}`}
          role="status"
          aria-label="Engine status"
          title={`${engine.message ?? engineText[engine.state] ?? ''}${engine.backend ? ` · ${engine.backend}` : ''}`}
        >
          <span className="dot" />
          <span className="engine-text">{engineText[engine.state] ?? engine.state}</span>
          {engine.backend ? <span className="dim engine-backend"> · {engine.backend}</span> : null}
        </div>
      )}
    </header>
  );
}
