import { describe, expect, it } from 'vitest';
import { elideMiddle } from '../../../renderer/view/elide';

describe('elideMiddle', () => {
  it('leaves short text alone and cuts long text in the middle to the limit', () => {
    expect(elideMiddle('Take 1.wav', 30)).toBe('Take 1.wav');
    const s = elideMiddle('Take 1 - Quick preview (modified) (2).wav', 30);
    expect([...s]).toHaveLength(30);
    expect(s.startsWith('Take 1 - ')).toBe(true);
    expect(s.endsWith('(modified) (2).wav')).toBe(true);
    expect(s).toContain('…');
  });

  it('counts characters, not UTF-16 units', () => {
    const s = elideMiddle('αβγδ'.repeat(20), 11);
    expect([...s]).toHaveLength(11);
  });
});
