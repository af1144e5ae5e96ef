import { describe, expect, it } from 'vitest';
import { formatRows, markdownTable, mergeRows, parseRows, summarise, tablesBySource, type ScoreRow } from '../../../bench/quality/report';
import type { SystemKind } from '../../../bench/quality/systems';

const row = (system: string, pair: string, kind: SystemKind, v: Partial<ScoreRow> = {}): ScoreRow => ({
  corpus: 'dev',
  pair,
  system,
  kind,
  ltasDb: 0,
  mfccDb: 0,
  frameDb: 0,
  pitchAcc: 1,
  chroma: 1,
  multiPitchF: 1,
  multiPitchPrecision: 1,
  multiPitchRecall: 1,
  onsetF: 1,
  onsetPrecision: 1,
  onsetRecall: 1,
  nan: 0,
  clipped: 0,
  wallS: 0,
  cpuS: 0,
  load: 0,
  time: '2026-01-01T00:00:00.000Z',
  ...v,
});

describe('quality report', () => {
  it('merges a re-run into earlier rows by system and pair, and round-trips JSON lines', () => {
    const old = [row('match-eq', 'a', 'baseline', { ltasDb: 5 }), row('match-eq', 'b', 'baseline', { ltasDb: 6 })];
    const merged = mergeRows(old, [row('match-eq', 'b', 'baseline', { ltasDb: 7 }), row('P', 'b', 'preset')]);
    expect(merged.map((r) => [r.system, r.pair, r.ltasDb])).toEqual([
      ['match-eq', 'a', 5],
      ['match-eq', 'b', 7],
      ['P', 'b', 0],
    ]);
    expect(parseRows(formatRows(merged))).toEqual(merged);
    expect(() => parseRows('{"system":"x","pair":"a"}\nnot json')).toThrow(/line 2/);
  });

  it('means per system, ratios to the match EQ and the truth over the pairs both have, and the targets', () => {
    const rows = [
      row('truth', 'a', 'reference', { pitchAcc: 0.8, onsetF: 0.9 }),
      row('truth', 'b', 'reference', { pitchAcc: 1, onsetF: 0.7 }),
      row('match-eq', 'a', 'baseline', { ltasDb: 4, mfccDb: 2, frameDb: 10 }),
      row('match-eq', 'b', 'baseline', { ltasDb: 6, mfccDb: 4, frameDb: 12 }),
      row('Good', 'a', 'preset', { ltasDb: 3, mfccDb: 1, frameDb: 8, pitchAcc: 0.8, onsetF: 0.9, wallS: 8 }),
      row('Good', 'b', 'preset', { ltasDb: 3, mfccDb: 2, frameDb: 9, pitchAcc: 0.95, onsetF: 0.7, wallS: 9 }),
      row('Partial', 'b', 'preset', { ltasDb: 6, frameDb: 12, pitchAcc: 0.5, onsetF: 0.7, clipped: 3, wallS: 30 }),
    ];
    const s = summarise(rows, ['truth', 'match-eq', 'Good', 'Partial']);
    expect(s.map((x) => x.system)).toEqual(['truth', 'match-eq', 'Good', 'Partial']);
    const good = s[2];
    expect(good.ltasDb).toBe(3);
    expect(good.ltasVsEq).toBeCloseTo(3 / 5, 12);
    expect(good.frameVsEq).toBeCloseTo(8.5 / 11, 12);
    expect(good.pitchVsTruth).toBeCloseTo(0.875 / 0.9, 12);
    expect(good.missed).toEqual([]);
    // Partial has only pair b: its ratios use b's match EQ and truth.
    const partial = s[3];
    expect(partial.pairs).toBe(1);
    expect(partial.ltasVsEq).toBe(1);
    expect(partial.pitchVsTruth).toBe(0.5);
    expect(partial.missed).toEqual(['LTAS', 'frame', 'pitch', 'NaN/clip', 'time']);
    const md = markdownTable('dev', s);
    expect(md).toContain(
      '| system | pairs | chroma | multi-pitch F | ×truth | LTAS dB | ×EQ | MFCC dB | ×EQ | frame-wise log-mel dB | ×EQ | pitch acc | ×truth | onset F | ×truth | NaN/clipped | wall s | CPU s |',
    );
    expect(md).toContain('| Good | 2 | 1.000 | 1.000 | 1.00 | 3.00 | 0.60 | 1.50 | 0.50 | 8.50 | 0.77 | 0.875 | 0.97 | 0.800 | 1.00 | 0/0 | 8.5 | 0.0 | none |');
    expect(md).toContain('| Partial | 1 | 1.000 | 1.000 | 1.00 | 6.00 | 1.00 |');
  });

  it('polyphonic targets: chroma and multi-pitch F against the truth; pitch accuracy undefined where notes overlap', () => {
    const rows = [
      row('truth', 'a', 'reference', { pitchAcc: NaN, multiPitchF: 0.8, onsetF: 0.9 }),
      row('match-eq', 'a', 'baseline', { ltasDb: 10, frameDb: 10, pitchAcc: NaN }),
      row('Keeps', 'a', 'preset', { ltasDb: 7, frameDb: 8, pitchAcc: NaN, chroma: 0.85, multiPitchF: 0.76, onsetF: 0.9, wallS: 5 }),
      row('Loses', 'a', 'preset', { ltasDb: 7, frameDb: 8, pitchAcc: NaN, chroma: 0.55, multiPitchF: 0.4, onsetF: 0.9, wallS: 5 }),
    ];
    const [, , keeps, loses] = summarise(rows, ['truth', 'match-eq', 'Keeps', 'Loses'], 'poly');
    expect(keeps.multiPitchVsTruth).toBeCloseTo(0.95, 12);
    expect(keeps.missed).toEqual([]);
    expect(loses.missed).toEqual(['chroma', 'multi-pitch']);
    // The same figures on single lines: no harmony targets, pitch accuracy counts again.
    expect(summarise(rows, [], 'single').find((s) => s.system === 'Loses')!.missed).toEqual([]);
  });

  it('one table per truth source, in a fixed order, then one over all', () => {
    const rows = [row('truth', 'a', 'reference'), row('truth', 'a@musescore', 'reference', { source: 'other sound font' }), row('truth', 'a-stk', 'reference', { source: 'STK' })];
    const md = tablesBySource('poly dev', rows, ['truth'], 'poly');
    const headings = md.split('\n').filter((l) => l.startsWith('### '));
    expect(headings).toEqual([
      '### poly dev, truths from FluidR3 (1 pair)',
      '### poly dev, truths from other sound font (1 pair)',
      '### poly dev, truths from STK (1 pair)',
      '### poly dev, every truth source',
    ]);
    expect(
      tablesBySource('single dev', rows.slice(0, 1), ['truth'], 'single')
        .split('\n')
        .filter((l) => l.startsWith('### ')),
    ).toEqual(['### single dev, truths from FluidR3 (1 pair)']);
  });
});
