/** One subscription to several state fields: the same object while they are unchanged, a new one when any changes. */
import { describe, expect, it } from 'vitest';
import { initialState } from '../../../renderer/state/app-state';
import { fieldPicker } from '../../../renderer/state/pick-fields';

describe('fieldPicker', () => {
  it('picks the named fields, by reference', () => {
    const s = initialState();
    const picked = fieldPicker(['preset', 'region', 'takeIds'])(s);
    expect(Object.keys(picked).sort()).toEqual(['preset', 'region', 'takeIds']);
    expect(picked.preset).toBe(s.preset);
    expect(picked.takeIds).toBe(s.takeIds);
  });

  it('returns the same object while the picked fields are unchanged, whatever else changed', () => {
    const pick = fieldPicker(['preset', 'takeIds']);
    const s = initialState();
    const first = pick(s);
    expect(pick({ ...s })).toBe(first);
    expect(pick({ ...s, region: { start: 1, end: 2 }, view: { ...s.view, dbMin: -60 } })).toBe(first);
  });

  it('returns a new object when any picked field changed', () => {
    const pick = fieldPicker(['preset', 'takeIds']);
    const s = initialState();
    const first = pick(s);
    const next = pick({ ...s, takeIds: ['t1'] });
    expect(next).not.toBe(first);
    expect(next.takeIds).toEqual(['t1']);
    expect(next.preset).toBe(s.preset);
    // And is kept in turn.
    expect(pick({ ...s, takeIds: next.takeIds })).toBe(next);
  });
});
