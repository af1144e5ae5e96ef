/**
 * Readying the next render (issue 19): the page asks main to ready the style and the take's
 * first segment once the lanes, the region or the preset settle, never while a render runs
 * (it does so after), and not again for the same inputs; a preset without a note template
 * readies nothing.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GramophoneBridge } from '../../../common/contract';
import { builtinPreset } from '../../../common/preset';
import { readyKey, readyRenders } from '../../../renderer/app/render-readier';
import * as A from '../../../renderer/state/actions';
import { initialState } from '../../../renderer/state/app-state';
import { createStore } from '../../../renderer/state/store';

const timbre = builtinPreset('Timbre transfer')!;

describe('render readier', () => {
  afterEach(() => vi.useRealTimers());

  it('readies the next render once the lanes, region and preset settle, after a running render, and once per settled change', async () => {
    vi.useFakeTimers();
    const asked: { styleId: string; contentId?: string; region?: unknown; preset: { name: string; weights: { style: number } } }[] = [];
    const api = { readyRender: async (a: (typeof asked)[number]) => (asked.push(a), { readied: true }) } as unknown as GramophoneBridge;
    const store = createStore({ ...initialState(), contentId: 'c', styleId: 's1', preset: structuredClone(timbre) });
    const stop = readyRenders(api, store);
    store.dispatch(A.setField, { path: 'weights.style', value: 2 });
    store.dispatch(A.setField, { path: 'weights.style', value: 3 });
    await vi.advanceTimersByTimeAsync(100);
    expect(asked, 'not before the changes settle').toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(asked.map((a) => [a.styleId, a.contentId, a.preset.weights.style])).toEqual([['s1', 'c', 3]]);
    // Nothing changed: nothing more to ready.
    store.dispatch((s) => ({ ...s }), undefined);
    await vi.advanceTimersByTimeAsync(1000);
    expect(asked).toHaveLength(1);
    // A weight changes the first segment: readied again, with the region it will render.
    store.dispatch(A.setField, { path: 'weights.content', value: 0.5 });
    store.dispatch((s) => ({ ...s, region: { start: 2, end: 6 } }), undefined);
    await vi.advanceTimersByTimeAsync(1000);
    expect(asked).toHaveLength(2);
    expect(asked[1].region).toEqual({ start: 2, end: 6 });
    // A new style while a render runs: readied only once the render is over.
    store.dispatch(A.enqueueRender, { jobId: 'j1' });
    store.dispatch(A.jobStarted, 'j1');
    store.dispatch((s, styleId: string) => ({ ...s, styleId }), 's2');
    await vi.advanceTimersByTimeAsync(1000);
    expect(asked).toHaveLength(2);
    store.dispatch(A.jobFailed, { jobId: 'j1', message: 'stopped', cancelled: true });
    await vi.advanceTimersByTimeAsync(1000);
    expect(asked.map((a) => a.styleId)).toEqual(['s1', 's1', 's2']);
    // Render pressed before the change settled: that render is not slowed by readying.
    store.dispatch(A.setField, { path: 'weights.style', value: 4 });
    await vi.advanceTimersByTimeAsync(100);
    store.dispatch(A.enqueueRender, { jobId: 'j2' });
    store.dispatch(A.jobStarted, 'j2');
    await vi.advanceTimersByTimeAsync(1000);
    expect(asked).toHaveLength(3);
    stop();
  });

  it('keys on the lanes, the region and a preset that plays a note template', () => {
    const at = { styleId: 's', contentId: 'c', region: null, preset: timbre };
    expect(readyKey({ ...at, styleId: null })).toBe('');
    expect(readyKey({ ...at, preset: { ...timbre, weights: { ...timbre.weights, notes: 0 }, init: 'content' } })).toBe('');
    expect(readyKey(at)).not.toBe(readyKey({ ...at, preset: { ...timbre, analysis: { ...timbre.analysis, nFft: timbre.analysis.nFft * 2 } } }));
    expect(readyKey(at)).not.toBe(readyKey({ ...at, preset: { ...timbre, weights: { ...timbre.weights, style: 9 } } }));
    expect(readyKey(at)).not.toBe(readyKey({ ...at, region: { start: 0, end: 1 } }));
    expect(readyKey(at)).not.toBe(readyKey({ ...at, contentId: 'd' }));
    expect(readyKey(at)).toBe(readyKey({ ...at, preset: structuredClone(timbre) }));
  });
});
