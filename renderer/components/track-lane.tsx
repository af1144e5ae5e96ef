/**
 * One lane: a header (name, file info, listen/mute/solo, open or export selection) and a
 * body (waveform over spectrogram). Input lanes accept a dropped WAV; the content lane has
 * a region strip that limits renders and loops.
 */
import { useRef, useState } from 'react';
import { useAppState, useController } from '../app/context';
import * as A from '../state/actions';
import type { LaneKey } from '../state/app-state';
import { SpectrogramView } from './spectrogram-view';
import { WaveformView } from './waveform-view';
import { formatTime } from '../view/readout';
import { settingsLine, takeTooltip, weightParts } from '../view/take-summary';
import type { Track } from '../../common/contract';
import { countRender } from '../view/render-count';
import { AUDIO_INPUT, acceptList } from '../../common/file-types';

/** Width of the lane headers, px (the bodies start after it). */
export const HEADER_W = 224;

const chName = (n: number) => (n === 1 ? 'mono' : n === 2 ? 'stereo' : `${n} ch`);

/** "6.00 s · 22.05 kHz · mono". */
export function infoLine(t: Track): string {
  return `${t.info.duration.toFixed(2)} s · ${(t.info.sampleRate / 1000).toFixed(t.info.sampleRate % 1000 ? 2 : 0)} kHz · ${chName(t.info.channels)}`;
}


interface Props {
  lane: LaneKey;
  trackId: string | null;
  index: number;
  pps: number;
  scroll: number;
  width: number;
}

export function TrackLane({ lane, trackId, index, pps, scroll, width }: Props) {
  countRender('TrackLane');
  const c = useController();
  const track = useAppState((s) => (trackId ? s.tracks[trackId] : undefined));
  const flags = useAppState((s) => (trackId ? s.flags[trackId] : undefined));
  const error = useAppState((s) => s.laneErrors[lane]);
  const busy = useAppState((s) => s.laneBusy[lane]);
  const listening = useAppState((s) => s.transport.source === trackId);
  const takeNo = useAppState((s) => (trackId ? s.takeIds.indexOf(trackId) + 1 : 0));
  const shell = useAppState((s) => s.shell);
  const fileRef = useRef<HTMLInputElement>(null);
  const [dragOver, setDragOver] = useState(false);
  const isInput = lane === 'content' || lane === 'style';
  const title = lane === 'content' ? 'Content' : lane === 'style' ? 'Style' : `Take ${takeNo}`;
  const offset = track?.take?.region?.start ?? 0;

  const onDrop = (e: React.DragEvent) => {
    e.preventDefault();
    setDragOver(false);
    const f = e.dataTransfer.files[0];
    if (f && isInput) void c.tracks.importFile(lane, f);
  };
  const open = async () => {
    if (!isInput) return;
    const usedDialog = await c.tracks.openAudio(lane);
    if (!usedDialog) fileRef.current?.click();
  };

  const p = track?.take?.preset;
  return (
    <div
      className={`lane lane-${lane.startsWith('take') ? 'take' : lane} ${listening ? 'listening' : ''} ${dragOver ? 'drag-over' : ''}`}
      role="listitem"
      aria-label={`${title} lane`}
      onDragOver={isInput ? (e) => (e.preventDefault(), setDragOver(true)) : undefined}
      onDragLeave={() => setDragOver(false)}
      onDrop={isInput ? onDrop : undefined}
    >
      <div className="lane-head" style={{ width: HEADER_W }}>
        <div className="lane-title">
          <span className={`lane-kind kind-${lane.startsWith('take') ? 'take' : lane}`}>{title}</span>
          <kbd title={`Press ${index + 1} to listen`}>{index + 1}</kbd>
          {!isInput ? (
            <button className="small ghost" aria-label={`Remove ${title}`} title="Remove this take" onClick={() => trackId && c.tracks.removeTake(trackId)}>
              ✕
            </button>
          ) : null}
        </div>
        <div className="lane-name" title={track?.info.name}>
          {/* A take's lane already says "Take n": its name line is the preset it was made with. */}
          {track ? (p ? p.name : track.info.name) : busy ? 'Loading…' : 'Empty — drop a WAV'}
        </div>
        {track ? (
          <div className="lane-info mono" aria-label={`${title} file info`}>
            {infoLine(track)}
          </div>
        ) : null}
        {p ? (
          <div className="lane-params mono" aria-label={`${title} settings`} title={takeTooltip(p, track?.take?.metrics)}>
            <div className="weights-line">
              {weightParts(p).map(([sym, term, v]) => (
                <span key={sym} aria-label={`${term} weight ${v}`}>
                  <b>{sym}</b>
                  {v}
                </span>
              ))}
            </div>
            <div className="settings-line">{settingsLine(p)}</div>
          </div>
        ) : null}
        <div className="lane-buttons">
          <button className={`small ${listening ? 'on' : ''}`} aria-label={`Listen to ${title}`} aria-pressed={listening} disabled={!track} onClick={() => c.transport.audition(index)}>
            Listen
          </button>
          <button className={`small mute ${flags?.muted ? 'on' : ''}`} aria-label={`Mute ${title}`} aria-pressed={!!flags?.muted} disabled={!track} onClick={() => trackId && c.store.dispatch(A.toggleMute, trackId)}>
            M
          </button>
          <button className={`small solo ${flags?.solo ? 'on' : ''}`} aria-label={`Solo ${title}`} aria-pressed={!!flags?.solo} disabled={!track} onClick={() => trackId && c.store.dispatch(A.toggleSolo, trackId)}>
            S
          </button>
          {isInput ? (
            <>
              <button className="small" aria-label={`Open ${title} file`} title={shell === 'web' ? 'Choose a WAV file' : 'Open a WAV file'} onClick={() => void open()}>
                Open…
              </button>
              <input
                ref={fileRef}
                type="file"
                accept={acceptList(AUDIO_INPUT)}
                aria-label={`Choose ${title} file`}
                className="visually-hidden"
                tabIndex={-1}
                onChange={(e) => {
                  const f = e.target.files?.[0];
                  if (f) void c.tracks.importFile(lane as 'content' | 'style', f);
                  e.target.value = '';
                }}
              />
            </>
          ) : (
            <>
              <label className="check small" title="Include in the next stem export">
                <input type="checkbox" aria-label={`Select ${title} for export`} checked={!!flags?.selected} onChange={() => trackId && c.store.dispatch(A.toggleSelected, trackId)} />
                Export
              </label>
            </>
          )}
        </div>
      </div>
      <div className="lane-body" style={{ width }} data-view-start={scroll.toFixed(3)} data-view-end={(scroll + width / pps).toFixed(3)}>
        {lane === 'content' && track ? <RegionStrip pps={pps} scroll={scroll} duration={track.info.duration} /> : null}
        {track ? (
          <>
            <WaveformView trackId={track.id} offset={offset} duration={track.info.duration} pps={pps} scroll={scroll} width={width} />
            <SpectrogramView trackId={track.id} offset={offset} duration={track.info.duration} pps={pps} scroll={scroll} width={width} label={`${title} spectrogram`} />
          </>
        ) : (
          <div className="lane-empty">{busy ? 'Loading…' : isInput ? `Drop a WAV file here, or use Open… to choose the ${title.toLowerCase()}.` : ''}</div>
        )}
        {error ? (
          <div className="lane-error" role="alert" aria-label={`${title} error`}>
            <span>{error}</span>
            <button className="small ghost" aria-label={`Dismiss ${title} error`} onClick={() => c.store.dispatch(A.clearLaneError, lane)}>
              ✕
            </button>
          </div>
        ) : null}
        {dragOver ? <div className="drop-hint">Drop to load as {title.toLowerCase()}</div> : null}
      </div>
    </div>
  );
}

/** Drag across this strip to set the render/loop region; double-click clears it. */
function RegionStrip({ pps, scroll, duration }: { pps: number; scroll: number; duration: number }) {
  const c = useController();
  const region = useAppState((s) => s.region);
  const startDrag = (e: React.MouseEvent) => {
    const rect = e.currentTarget.getBoundingClientRect();
    // Whole milliseconds: finer than a pixel at any zoom here, and the fields read cleanly.
    const at = (x: number) => Math.round(Math.max(0, Math.min(duration, scroll + (x - rect.left) / pps)) * 1000) / 1000;
    const t0 = at(e.clientX);
    const move = (ev: MouseEvent) => c.store.dispatch(A.setRegion, { start: t0, end: at(ev.clientX) });
    const up = (ev: MouseEvent) => {
      move(ev);
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', up);
    };
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
  };
  return (
    <div
      className="region-strip"
      aria-label="Region: drag to set, double-click to clear"
      title={region ? `Region ${formatTime(region.start)} – ${formatTime(region.end)} (double-click to clear)` : 'Drag here to set a region for rendering and looping'}
      onMouseDown={startDrag}
      onDoubleClick={() => c.store.dispatch(A.setRegion, null)}
    >
      {region ? (
        <div className="region" style={{ left: (region.start - scroll) * pps, width: (region.end - region.start) * pps }}>
          <span className="mono">{(region.end - region.start).toFixed(2)} s</span>
        </div>
      ) : (
        <span className="region-hint">drag to set a region</span>
      )}
    </div>
  );
}
