/** Play/pause, stop, loop, the position read-out, A/B buttons and the engine status. */
import { useRef } from 'react';
import { useAppState, useController } from '../app/context';
import { laneOrder } from '../state/actions';
import { formatTime } from '../view/readout';
import { useAnimationFrame } from '../view/use-frame';
import type { AppState } from '../state/app-state';
import { countRender } from '../view/render-count';

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
  const source = useAppState((s) => s.transport.source);
  const engine = useAppState((s) => s.engine);
  const state = useAppState((s) => s);
  const order = laneOrder(state);
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
      </div>
      <div className="clock" aria-label="Position">
        <span ref={timeRef} data-testid="position">
          00:00.000
        </span>
        <span className="dim"> / </span>
        <span ref={durRef} className="dim">
          00:00.000
        </span>
      </div>
      <div className="ab" role="group" aria-label="Listen to (A/B)">
        <span className="ab-title">Listen</span>
        {order.map((id, i) => (
          <button
            key={id}
            className={`abbtn ${source === id ? 'on' : ''}`}
            aria-pressed={source === id}
            aria-label={`Listen to ${laneLabel(state, id)}`}
            title={`Listen to ${laneLabel(state, id)} (${i + 1})`}
            onClick={() => c.transport.audition(i)}
          >
            <kbd>{i + 1}</kbd> {laneLabel(state, id)}
          </button>
        ))}
      </div>
      <div className={`engine engine-${engine.state}`} role="status" aria-label="Engine status" title={engine.message ?? ''}>
        <span className="dot" />
        {engineText[engine.state] ?? engine.state}
        {engine.backend ? <span className="dim"> · {engine.backend}</span> : null}
      </div>
    </header>
  );
}
