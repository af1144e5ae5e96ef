import { describe, expect, it } from 'vitest';
import { midiToHz } from '../../../common/notes';
import { hzToY } from '../../../renderer/view/spectrogram-bitmap';
import { noteRects } from '../../../renderer/view/note-overlay';

const view = { offset: 0, scroll: 1, pps: 100, dpr: 2, width: 1000, height: 400, nyquist: 11025, scale: 'log' as const };
const note = (midi: number, onsetS: number, offsetS: number, amplitude = 1) => ({ midi, onsetS, offsetS, amplitude, bend: [] });

describe('the piano-roll overlay', () => {
  it('puts a note from its onset to its offset, a semitone tall around its pitch', () => {
    const [r] = noteRects([note(69, 1.5, 2)], view);
    // 0.5 s after the left edge at 100 px/s and 2 device px per px.
    expect(r.x).toBeCloseTo(100);
    expect(r.w).toBeCloseTo(100);
    const centre = hzToY(440, 11025, 'log') * 400;
    expect(r.y + r.h / 2).toBeCloseTo((hzToY(midiToHz(69.5), 11025, 'log') * 400 + hzToY(midiToHz(68.5), 11025, 'log') * 400) / 2);
    expect(Math.abs(r.y + r.h / 2 - centre)).toBeLessThan(r.h / 2);
    // An octave up is higher on the canvas (smaller y).
    expect(noteRects([note(81, 1.5, 2)], view)[0].y).toBeLessThan(r.y);
  });

  it('leaves out what is off screen, and shows weak notes fainter', () => {
    expect(noteRects([note(60, 0, 0.9), note(60, 7, 8)], view)).toEqual([]);
    const [strong, weak] = noteRects([note(60, 1, 2, 1), note(64, 1, 2, 0)], view);
    expect(strong.alpha).toBe(1);
    expect(weak.alpha).toBeCloseTo(0.35);
  });
});
