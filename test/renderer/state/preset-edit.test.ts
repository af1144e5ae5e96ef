import { afterEach, describe, expect, it, vi } from 'vitest';
import { PresetSchema } from '../../../common/preset';
import { initialState } from '../../../renderer/state/app-state';
import * as A from '../../../renderer/state/actions';
import { problemsOf } from '../../../renderer/state/preset-edit';

afterEach(() => vi.restoreAllMocks());

describe('problemsOf', () => {
  it('validates a preset object once, however often a render re-renders the panel, and again after an edit', () => {
    const parse = vi.spyOn(PresetSchema, 'safeParse');
    let s = A.jobStarted(A.enqueueRender({ ...initialState(), contentId: 'c', styleId: 's' }, { jobId: 'j1' }), 'j1');
    expect(problemsOf(s.preset)).toBeNull();
    // Progress events change the render queue, not the preset: no validation repeats.
    for (let i = 1; i <= 50; i++) {
      s = A.jobProgress(s, { jobId: 'j1', phase: 'optimise', iteration: i, total: 50, elapsed: i / 10 });
      expect(problemsOf(s.preset)).toBeNull();
    }
    expect(parse).toHaveBeenCalledTimes(1);
    // An edit makes a new preset: it is checked, and a bad value is said in words.
    s = A.editField(s, { path: 'optimizer.iterations', value: -3, at: 0 });
    expect(problemsOf(s.preset)).toMatch(/optimizer\.iterations/);
    expect(parse).toHaveBeenCalledTimes(2);
  });
});
