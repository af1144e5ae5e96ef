/**
 * The piano-roll overlay: where each heard note sits on a spectrogram canvas. A note is a bar
 * one semitone tall centred on its pitch (on the view's frequency axis), from its onset to
 * its offset; its opacity follows how strongly it was heard.
 */
import { midiToHz, type NoteEvent } from '../../common/notes';
import { hzToY } from './spectrogram-bitmap';

/** A note's bar in canvas pixels. */
export interface NoteRect {
  x: number;
  y: number;
  w: number;
  h: number;
  /** 0.35–1, from the note's amplitude. */
  alpha: number;
  midi: number;
}

/** The view that places the bars. */
export interface OverlayView {
  /** Where the track starts on the timeline, and the timeline's left edge, seconds. */
  offset: number;
  scroll: number;
  /** Pixels per second and per CSS pixel (device pixel ratio). */
  pps: number;
  dpr: number;
  /** Canvas size in device pixels. */
  width: number;
  height: number;
  nyquist: number;
  scale: 'linear' | 'log';
}

/** The bars of the notes that show in the view (at least 1 px tall and wide), in the notes' order. */
export function noteRects(notes: readonly NoteEvent[], v: OverlayView): NoteRect[] {
  const out: NoteRect[] = [];
  for (const n of notes) {
    const x0 = (n.onsetS + v.offset - v.scroll) * v.pps * v.dpr;
    const x1 = (n.offsetS + v.offset - v.scroll) * v.pps * v.dpr;
    if (x1 < 0 || x0 > v.width) continue;
    const top = hzToY(midiToHz(n.midi + 0.5), v.nyquist, v.scale) * v.height;
    const bottom = hzToY(midiToHz(n.midi - 0.5), v.nyquist, v.scale) * v.height;
    if (bottom < 0 || top > v.height) continue;
    const h = Math.max(1, bottom - top);
    out.push({ x: x0, y: (top + bottom) / 2 - h / 2, w: Math.max(1, x1 - x0), h, alpha: 0.35 + 0.65 * Math.max(0, Math.min(1, n.amplitude)), midi: n.midi });
  }
  return out;
}
