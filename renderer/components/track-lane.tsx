/**
 * One lane: a header (name, file info, listen/mute/solo, open or export selection; for a
 * take, what made it, its result in words, a dry/wet control and a rename) and a body
 * (waveform over spectrogram, its own playhead). Input lanes accept a dropped audio file;
 * the content lane has a region strip that limits renders and loops. Clicking or dragging a
 * lane's body moves the playhead; dragging its lower edge resizes it.
 */
import { useRef, useState } from 'react';
import { useAppState, useController } from '../app/context';
import * as A from '../state/actions';
import type { AppState, LaneKey } from '../state/app-state';
import { audibleTracks, takeWet } from '../state/mix';
import { SpectrogramView } from './spectrogram-view';
import { WaveformView } from './waveform-view';
import { formatTime } from '../view/readout';
import { resultFigures, resultWords, takeHeadline, takeTooltip } from '../view/take-summary';
import { presetDiff } from '../view/preset-words';
import type { Track } from '../../common/contract';
import { countRender } from '../view/render-count';
import { AUDIO_INPUT } from '../../common/file-types';
import { FilePicker } from './file-picker';
import { gainToDb } from '../../common/units';
import { followPointer } from '../view/drag';

/** Width of the lane headers, px (the bodies start after it). */
export const HEADER_W = 224;
/** Height of a lane's waveform strip, px. */
const WAVE_H = 34;
/** Height of the content lane's region strip, px. */
const STRIP_H = 14;

/** "+1.5", "0", "−6": a gain as the header shows it. */
const formatDb = (db: number) => (db === 0 ? '0' : `${db > 0 ? '+' : '−'}${Math.abs(db).toFixed(1)}`);

const chName = (n: number) => (n === 1 ? 'mono' : n === 2 ? 'stereo' : `${n} ch`);

/** "6.00 s · 22.05 kHz · mono". */
export function infoLine(t: Track): string {
  return `${t.info.duration.toFixed(2)} s · ${(t.info.sampleRate / 1000).toFixed(t.info.sampleRate % 1000 ? 2 : 0)} kHz · ${chName(t.info.channels)}`;
}

/** The take a take's tooltip compares with: the one being listened to, else the one rendered before it. */
function comparedTake(s: AppState, id: string): Track | undefined {
  const src = s.transport.source;
  if (src && src !== id && s.takeIds.includes(src)) return s.tracks[src];
  const i = s.takeIds.indexOf(id);
  return i > 0 ? s.tracks[s.takeIds[i - 1]] : undefined;
}

/** A take's tooltip: its settings, what it was made from, and what differs from another take. */
function takeTitle(s: AppState, t: Track): string {
  const p = t.take!.preset;
  const lines = [takeTooltip(p, t.take!.metrics), `Made from "${t.take!.contentName}" in the style of "${t.take!.styleName}"`];
  const other = comparedTake(s, t.id);
  if (other?.take) {
    const diff = presetDiff(p, other.take.preset);
    lines.push(diff.length ? `Against ${other.info.name}:\n  ${diff.slice(0, 12).join('\n  ')}${diff.length > 12 ? `\n  … and ${diff.length - 12} more` : ''}` : `Same settings as ${other.info.name}`);
  }
  return lines.join('\n');
}

interface Props {
  lane: LaneKey;
  trackId: string | null;
  index: number;
  pps: number;
  /** Left edge of this lane's view, seconds on its timeline. */
  scroll: number;
  width: number;
  /** For a style longer than the timeline: its own scroll bar's range, seconds. */
  ownScroll?: { max: number; onScroll: (s: number) => void };
  /** The lane's height, px (dragged, or its share of the window). */
  height: number;
}

/** A lane header's on/off button (Listen, Mute, Solo): lit and `aria-pressed` while `on`. */
function LaneToggle({
  kind,
  on,
  label,
  title,
  disabled,
  onClick,
  text,
}: {
  kind: '' | 'mute' | 'solo';
  on: boolean;
  label: string;
  title: string;
  disabled: boolean;
  onClick: () => void;
  text: string;
}) {
  return (
    <button className={['small', kind, on ? 'on' : ''].filter(Boolean).join(' ')} aria-label={label} aria-pressed={on} title={title} disabled={disabled} onClick={onClick}>
      {text}
    </button>
  );
}

export function TrackLane({ lane, trackId, index, pps, scroll, width, ownScroll, height }: Props) {
  countRender('TrackLane');
  const c = useController();
  const track = useAppState((s) => (trackId ? s.tracks[trackId] : undefined));
  const flags = useAppState((s) => (trackId ? s.flags[trackId] : undefined));
  const error = useAppState((s) => s.laneErrors[lane]);
  const busy = useAppState((s) => s.laneBusy[lane]);
  const heard = useAppState((s) => !!trackId && audibleTracks(s)[trackId] === true);
  const takeNo = useAppState((s) => (trackId ? s.takeIds.indexOf(trackId) + 1 : 0));
  const shell = useAppState((s) => s.shell);
  const lufs = track?.info.loudness?.lufs;
  const gainDb = useAppState((s) => (trackId ? (s.mix.gainDb[trackId] ?? 0) : 0));
  const region = useAppState((s) => (lane === 'style' ? null : s.region));
  // Two primitive selections (a fresh object per read would re-render forever).
  const wetValue = useAppState((s) => (trackId && lane.startsWith('take') ? takeWet(s, trackId).wet : null));
  const blendable = useAppState((s) => !!trackId && takeWet(s, trackId).blendable);
  const wet = wetValue === null ? null : { wet: wetValue, blendable };
  const title = useAppState((s) => (track?.take ? takeTitle(s, track) : track?.info.name));
  const fileRef = useRef<HTMLInputElement>(null);
  const [dragOver, setDragOver] = useState(false);
  const [renaming, setRenaming] = useState(false);
  const isInput = lane === 'content' || lane === 'style';
  const kind = lane.startsWith('take') ? 'take' : lane;
  const laneTitle = lane === 'content' ? 'Content' : lane === 'style' ? 'Style' : `Take ${takeNo}`;
  const offset = track?.take?.region?.start ?? 0;
  const specH = Math.max(24, height - WAVE_H - (lane === 'content' && track ? STRIP_H : 0) - (ownScroll ? 12 : 0));

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
  /** Click or drag on the body: the playhead follows the pointer. */
  const seekDrag = (e: React.MouseEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    const rect = e.currentTarget.getBoundingClientRect();
    const at = (x: number) => c.transport.seek(scroll + (x - rect.left) / pps);
    at(e.clientX);
    followPointer((ev) => at(ev.clientX));
  };
  /** Drag the lower edge: the lane grows or shrinks with the pointer. */
  const resizeDrag = (e: React.MouseEvent) => {
    e.preventDefault();
    const y0 = e.clientY;
    const h0 = height;
    followPointer((ev) => c.store.dispatch(A.setLaneHeight, { lane, height: h0 + ev.clientY - y0 }));
  };

  const p = track?.take?.preset;
  const m = track?.take?.metrics;
  return (
    <div
      className={`lane lane-${kind} ${heard ? 'listening' : ''} ${dragOver ? 'drag-over' : ''}`}
      role="listitem"
      aria-label={`${laneTitle} lane`}
      data-lane={lane}
      style={{ minHeight: height }}
      onDragOver={isInput ? (e) => (e.preventDefault(), setDragOver(true)) : undefined}
      onDragLeave={() => setDragOver(false)}
      onDrop={isInput ? onDrop : undefined}
    >
      <div className="lane-head" style={{ width: HEADER_W }}>
        <div className="lane-title">
          <span className={`lane-kind kind-${kind}`}>{laneTitle}</span>
          <kbd title={`Press ${index + 1} to listen`}>{index + 1}</kbd>
          {!isInput ? (
            <button className="small ghost" aria-label={`Remove ${laneTitle}`} title="Remove this take (Ctrl+Z brings it back)" onClick={() => trackId && c.tracks.removeTake(trackId)}>
              ✕
            </button>
          ) : null}
        </div>
        {renaming && track ? (
          <form
            className="rename"
            onSubmit={(e) => {
              e.preventDefault();
              const name = new FormData(e.currentTarget).get('name');
              if (typeof name === 'string') c.tracks.renameTake(track.id, name);
              setRenaming(false);
            }}
          >
            <input
              name="name"
              autoFocus
              aria-label={`Rename ${laneTitle}`}
              defaultValue={track.info.name}
              maxLength={200}
              onBlur={(e) => e.currentTarget.form?.requestSubmit()}
              onKeyDown={(e) => e.key === 'Escape' && setRenaming(false)}
            />
          </form>
        ) : (
          <div className={`lane-name ${p ? 'renamable' : ''}`} title={p ? `${track?.info.name} (double-click to rename)` : track?.info.name} onDoubleClick={() => p && setRenaming(true)}>
            {track ? track.info.name : busy ? 'Loading…' : 'Empty — drop an audio file'}
          </div>
        )}
        {track && !p ? (
          <div className="lane-info mono" aria-label={`${laneTitle} file info`}>
            {infoLine(track)}
          </div>
        ) : null}
        {p && m ? (
          <>
            <div className="lane-info mono" aria-label={`${laneTitle} file info`}>
              {infoLine(track!)}
            </div>
            <div className="lane-params" aria-label={`${laneTitle} settings`} title={title}>
              {takeHeadline(p)}
            </div>
            <div className="lane-result" aria-label={`${laneTitle} result`} title={resultFigures(m)}>
              {resultWords(p, m)}
            </div>
          </>
        ) : null}
        <div className="lane-buttons">
          <LaneToggle kind="" on={heard} label={`Listen to ${laneTitle}`} title={`Listen to this lane (${index + 1})`} disabled={!track} onClick={() => c.transport.audition(index)} text="Listen" />
          <LaneToggle kind="mute" on={!!flags?.muted} label={`Mute ${laneTitle}`} title="Mute" disabled={!track} onClick={() => trackId && c.store.dispatch(A.toggleMute, trackId)} text="M" />
          <LaneToggle
            kind="solo"
            on={!!flags?.solo}
            label={`Solo ${laneTitle}`}
            title="Solo: hear this lane together with the other soloed ones"
            disabled={!track}
            onClick={() => trackId && c.store.dispatch(A.toggleSolo, trackId)}
            text="S"
          />
          {isInput ? (
            <>
              <button className="small" aria-label={`Open ${laneTitle} file`} title={shell === 'web' ? 'Choose an audio file' : 'Open an audio file'} onClick={() => void open()}>
                Open…
              </button>
              <FilePicker inputRef={fileRef} type={AUDIO_INPUT} label={`Choose ${laneTitle} file`} onFile={(f) => void c.tracks.importFile(lane as 'content' | 'style', f)} />
            </>
          ) : (
            <label className="check small" title="Include in the next stem export">
              <input type="checkbox" aria-label={`Select ${laneTitle} for export`} checked={!!flags?.selected} onChange={() => trackId && c.store.dispatch(A.toggleSelected, trackId)} />
              Export
            </label>
          )}
        </div>
        {track && trackId ? (
          <div className="lane-level">
            <span
              className="mono lufs"
              aria-label={`${laneTitle} loudness`}
              title={`Integrated loudness (ITU-R BS.1770 / EBU R128)${track.info.loudness ? `; sample peak ${gainToDb(track.info.loudness.peak).toFixed(1)} dBFS` : ''}`}
            >
              {lufs === undefined ? '… LUFS' : lufs === null ? 'silent' : `${lufs.toFixed(1)} LUFS`}
            </span>
            <label className="gain" title="This lane's gain in the mix, dB (after loudness matching; double-click to reset)">
              <span>Gain</span>
              <input
                type="range"
                min={A.LANE_GAIN_DB.min}
                max={A.LANE_GAIN_DB.max}
                step={0.5}
                aria-label={`${laneTitle} gain`}
                aria-valuetext={`${formatDb(gainDb)} dB`}
                value={gainDb}
                onChange={(e) => c.store.dispatch(A.setLaneGain, { id: trackId, db: Number(e.target.value) })}
                onDoubleClick={() => c.store.dispatch(A.setLaneGain, { id: trackId, db: 0 })}
              />
              <span className="mono gain-read">{formatDb(gainDb)} dB</span>
            </label>
          </div>
        ) : null}
        {wet && trackId ? (
          <label className="wet" title={wet.blendable ? 'Dry/wet: blend the take with its content (left: all content, right: all take)' : 'Its content is no longer loaded, so it cannot be blended'}>
            <span>Dry/wet</span>
            <input
              type="range"
              min={0}
              max={100}
              step={1}
              aria-label={`${laneTitle} dry/wet`}
              aria-valuetext={`${Math.round(wet.wet * 100)} % take`}
              disabled={!wet.blendable}
              value={Math.round(wet.wet * 100)}
              onChange={(e) => c.store.dispatch(A.setWet, { id: trackId, wet: Number(e.target.value) / 100 })}
            />
            <span className="mono">{Math.round(wet.wet * 100)}%</span>
          </label>
        ) : null}
      </div>
      <div className="lane-body" style={{ width }} data-view-start={scroll.toFixed(3)} data-view-end={(scroll + width / pps).toFixed(3)}>
        {lane === 'content' && track ? <RegionStrip pps={pps} scroll={scroll} duration={track.info.duration} /> : null}
        {track ? (
          <div className="lane-view" onMouseDown={seekDrag} aria-label={`${laneTitle}: click or drag to move the playhead`}>
            <WaveformView trackId={track.id} offset={offset} duration={track.info.duration} pps={pps} scroll={scroll} width={width} />
            <SpectrogramView
              trackId={track.id}
              offset={offset}
              duration={track.info.duration}
              sampleRate={track.info.sampleRate}
              pps={pps}
              scroll={scroll}
              width={width}
              height={specH}
              label={`${laneTitle} spectrogram`}
            />
          </div>
        ) : (
          <div className="lane-empty">{busy ? 'Loading…' : isInput ? `Drop an audio file here, or use Open… to choose the ${laneTitle.toLowerCase()}.` : ''}</div>
        )}
        {ownScroll ? (
          <input
            className="lane-scroll"
            type="range"
            aria-label={`${laneTitle} scroll`}
            title="This lane is longer than the timeline: scroll it here"
            min={0}
            max={ownScroll.max}
            step={Math.max(0.001, ownScroll.max / 1000)}
            value={Math.min(scroll, ownScroll.max)}
            onChange={(e) => ownScroll.onScroll(Number(e.target.value))}
          />
        ) : null}
        {region ? <div className="region-shade" aria-hidden="true" style={{ left: (region.start - scroll) * pps, width: (region.end - region.start) * pps }} /> : null}
        {track ? <div className="playhead" data-testid={`playhead-${lane}`} /> : null}
        {error ? (
          <div className="lane-error" role="alert" aria-label={`${laneTitle} error`}>
            <span>{error}</span>
            <button className="small ghost" aria-label={`Dismiss ${laneTitle} error`} onClick={() => c.store.dispatch(A.clearLaneError, lane)}>
              ✕
            </button>
          </div>
        ) : null}
        {dragOver ? <div className="drop-hint">Drop to load as {laneTitle.toLowerCase()}</div> : null}
      </div>
      <div className="lane-resize" role="separator" aria-orientation="horizontal" aria-label={`${laneTitle} height`} title="Drag to make the lane taller or shorter" onMouseDown={resizeDrag} />
    </div>
  );
}

/** Drag across this strip to set the render/loop region; double-click clears it. */
function RegionStrip({ pps, scroll, duration }: { pps: number; scroll: number; duration: number }) {
  const c = useController();
  const region = useAppState((s) => s.region);
  const set = (r: { start: number; end: number } | null) => c.store.dispatch(A.editRegion, { region: r, at: Date.now() });
  const startDrag = (e: React.MouseEvent) => {
    const rect = e.currentTarget.getBoundingClientRect();
    // Whole milliseconds: finer than a pixel at any zoom here, and the fields read cleanly.
    const at = (x: number) => Math.round(Math.max(0, Math.min(duration, scroll + (x - rect.left) / pps)) * 1000) / 1000;
    const t0 = at(e.clientX);
    const move = (ev: MouseEvent) => set({ start: t0, end: at(ev.clientX) });
    followPointer(move, move);
  };
  return (
    <div
      className="region-strip"
      aria-label="Region: drag to set, double-click to clear"
      title={region ? `Region ${formatTime(region.start)} – ${formatTime(region.end)} (double-click to clear)` : 'Drag here to set a region for rendering and looping'}
      onMouseDown={startDrag}
      onDoubleClick={() => set(null)}
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
