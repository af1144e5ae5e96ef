/**
 * The style is tracked once per style sample: every segment of a long or streamed render plays
 * from it, and the next render decodes the same file to the same samples; tracking a minute
 * of style costs seconds per segment otherwise.
 */
import { describe, expect, it, vi } from 'vitest';
import { stft } from '../../../../engine/dsp/stft';
import { soundingFrames } from '../../../../engine/render/render';
import { noteTemplate } from '../../../../engine/objective/notes/note-template';
import { SR, plucked, reedy } from './signals';

const tracked = vi.hoisted(() => ({ calls: [] as Float32Array[] }));
vi.mock('../../../../engine/analysis/note-tracking', async (original) => {
  const m = await original<typeof import('../../../../engine/analysis/note-tracking')>();
  return {
    ...m,
    trackFrames: (...a: Parameters<typeof m.trackFrames>) => {
      tracked.calls.push(a[0]);
      return m.trackFrames(...a);
    },
  };
});

const HOP = 256;
const input = (x: Float32Array) => {
  const spec = stft(x, { nFft: 1024, hop: HOP });
  return { samples: x, spec, sounding: soundingFrames(spec) };
};

describe('the style notes of a note template', () => {
  it('are tracked once for every segment and render of the same style samples, and again for other samples', () => {
    const style = input(reedy([{ start: 0.1, end: 1.1, hz: 392 }], 1.3));
    const segments = [0, 1].map((k) => input(plucked([{ start: 0.1, end: 0.5, hz: k ? 440 : 523.25 }], 0.7)));
    tracked.calls.length = 0;
    const first = noteTemplate(segments[0], style, SR, HOP);
    const second = noteTemplate(segments[1], style, SR, HOP);
    expect(tracked.calls.filter((x) => x === style.samples)).toHaveLength(1);
    expect(tracked.calls.filter((x) => x === segments[1].samples)).toHaveLength(1);
    // Kept by the samples' bits: the next render's decode of the same file is found again…
    const copy = input(style.samples.slice());
    expect(Array.from(noteTemplate(segments[1], copy, SR, HOP).magnitude)).toEqual(Array.from(second.magnitude));
    expect(tracked.calls.filter((x) => x === copy.samples)).toHaveLength(0);
    // …and a changed style is tracked anew.
    const quieter = input(style.samples.map((v) => v * 0.5));
    noteTemplate(segments[1], quieter, SR, HOP);
    expect(tracked.calls.filter((x) => x === quieter.samples)).toHaveLength(1);
    expect(first.magnitude.some((v) => v > 0)).toBe(true);
  });
});
