/**
 * Readying the next render (issue 19): the page asks main to ready the style once the style
 * lane or the preset's analysis settle, never while a render runs (it does so after), and not
 * again for the same style and analysis; a preset without a note template readies nothing.
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

  it('readies the style once the lanes and the preset settle, after a running render, and once per style and analysis', async () => {
    vi.useFakeTimers();
    const asked: { styleId: string; preset: { name: string } }[] = [];
    const api = { readyRender: async (a: { styleId: string; preset: { name: string } }) => (asked.push(a), { readied: true }) } as unknown as GramophoneBridge;
    const store = createStore({ ...initialState(), contentId: 'c', styleId: 's1', preset: structuredClone(timbre) });
    const stop = readyRenders(api, store);
    store.dispatch(A.setField, { path: 'weights.style', value: 2 });
    store.dispatch(A.setField, { path: 'weights.style', value: 3 });
    await vi.advanceTimersByTimeAsync(100);
    expect(asked, 'not before the changes settle').toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(asked.map((a) => a.styleId)).toEqual(['s1']);
    // A weight does not change how the style is heard: nothing more to ready.
    store.dispatch(A.setField, { path: 'weights.content', value: 0.5 });
    await vi.advanceTimersByTimeAsync(1000);
    expect(asked).toHaveLength(1);
    // A new style while a render runs: readied only once the render is over.
    store.dispatch(A.enqueueRender, { jobId: 'j1' });
    store.dispatch(A.jobStarted, 'j1');
    store.dispatch((s, styleId: string) => ({ ...s, styleId }), 's2');
    await vi.advanceTimersByTimeAsync(1000);
    expect(asked).toHaveLength(1);
    store.dispatch(A.jobFailed, { jobId: 'j1', message: 'stopped', cancelled: true });
    await vi.advanceTimersByTimeAsync(1000);
    expect(asked.map((a) => a.styleId)).toEqual(['s1', 's2']);
    stop();
  });

  it('keys on the style and the analysis of a preset that plays a note template, and on nothing else', () => {
    expect(readyKey(null, timbre)).toBe('');
    expect(readyKey('s', { ...timbre, weights: { ...timbre.weights, notes: 0 }, init: 'content' })).toBe('');
    expect(readyKey('s', timbre)).not.toBe(readyKey('s', { ...timbre, analysis: { ...timbre.analysis, nFft: timbre.analysis.nFft * 2 } }));
    expect(readyKey('s', timbre)).toBe(readyKey('s', { ...timbre, weights: { ...timbre.weights, style: 9 } }));
  });
});
