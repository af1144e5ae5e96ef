/**
 * The benchmark's records: one JSON row per system × pair, merged across runs, and the
 * markdown table of per-system means with their ratios to the match EQ and to the truth.
 */
import type { SetName } from './melodies';
import { TRUTH_SOURCES, type TruthSource } from './renderers';
import type { Scores } from './score';
import type { SystemKind } from './systems';

/** One JSON line: a system's take of one pair, scored. */
export interface ScoreRow extends Scores {
  corpus: string;
  pair: string;
  system: string;
  kind: SystemKind;
  /** What made the pair's truth; absent in older rows = FluidR3. */
  source?: TruthSource;
  /** Seconds the system took for this 10 s pair. */
  wallS: number;
  /** CPU seconds it used, all threads. */
  cpuS: number;
  /** 1-minute load average when it finished: above the core count, other work stretched wallS. */
  load: number;
  /** Presets only: iterations the optimiser ran and the backend it ran on. */
  iterations?: number;
  backend?: string;
  /** ISO time the row was measured. */
  time: string;
}

/** A default preset's targets, relative to the match EQ and to the truth. */
export interface Targets {
  /** LTAS distance ≤ this × the match EQ's. */
  ltasVsEq: number;
  /** Frame-wise log-mel distance ≤ this × the match EQ's. */
  frameVsEq: number;
  /** Pitch accuracy (where defined) and onset F ≥ this × the truth's. */
  vsTruth: number;
  /** Frame-level multi-pitch F ≥ this × the truth's (the detector's ceiling); undefined = no target. */
  multiPitchVsTruth?: number;
  /** Chroma similarity to the truth ≥ this; undefined = no target. */
  chroma?: number;
  /** Wall seconds for 10 s of audio. */
  wallS: number;
}

/** The issue 18 targets per set (single lines: issue 8's, in 10 s instead of 15). */
export const TARGETS: Record<SetName, Targets> = {
  single: { ltasVsEq: 0.8, frameVsEq: 0.85, vsTruth: 0.95, wallS: 10 },
  poly: { ltasVsEq: 0.8, frameVsEq: 0.85, vsTruth: 0.95, multiPitchVsTruth: 0.9, chroma: 0.8, wallS: 10 },
};

const key = (r: Pick<ScoreRow, 'system' | 'pair'>) => `${r.system}\u0000${r.pair}`;

/** `older` with every row that `newer` re-measures (same system and pair) replaced. */
export function mergeRows(older: readonly ScoreRow[], newer: readonly ScoreRow[]): ScoreRow[] {
  const fresh = new Map(newer.map((r) => [key(r), r]));
  const kept = older.filter((r) => !fresh.has(key(r)));
  return [...kept, ...fresh.values()];
}

/** Rows from JSON-lines text; blank lines are skipped. @throws Error naming the bad line */
export function parseRows(text: string): ScoreRow[] {
  return text
    .split('\n')
    .map((l, i) => [l.trim(), i + 1] as const)
    .filter(([l]) => l)
    .map(([l, n]) => {
      try {
        const r = JSON.parse(l) as ScoreRow;
        if (typeof r.system !== 'string' || typeof r.pair !== 'string') throw new Error('no system or pair');
        return r;
      } catch (e) {
        throw new Error(`line ${n} is not a score row: ${(e as Error).message}`);
      }
    });
}

export const formatRows = (rows: readonly ScoreRow[]): string => rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '');

/** A system's means over its pairs and the ratios, each over the pairs both systems have. */
export interface SystemSummary {
  system: string;
  kind: SystemKind;
  pairs: number;
  ltasDb: number;
  mfccDb: number;
  frameDb: number;
  pitchAcc: number;
  onsetF: number;
  chroma: number;
  multiPitchF: number;
  nan: number;
  clipped: number;
  wallS: number;
  cpuS: number;
  /** mean(system) / mean(match-eq) over the common pairs; NaN without match-eq rows. */
  ltasVsEq: number;
  mfccVsEq: number;
  frameVsEq: number;
  /** mean(system) / mean(truth) over the common pairs; NaN without truth rows. */
  pitchVsTruth: number;
  onsetVsTruth: number;
  multiPitchVsTruth: number;
  /** Targets missed (empty when all are met); only for presets. */
  missed: string[];
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

function ratio(rows: ScoreRow[], ref: ScoreRow[], field: 'ltasDb' | 'mfccDb' | 'frameDb' | 'pitchAcc' | 'onsetF' | 'multiPitchF'): number {
  const byPair = new Map(ref.map((r) => [r.pair, r]));
  const common = rows.filter((r) => byPair.has(r.pair));
  const value = (r: ScoreRow) => r[field] ?? NaN;
  return mean(common.map(value)) / mean(common.map((r) => value(byPair.get(r.pair)!)));
}

/**
 * Per-system means (over the pairs each system has), in the order systems first appear in
 * `order`, then any others by name.
 */
export function summarise(rows: readonly ScoreRow[], order: readonly string[] = [], set: SetName = 'single'): SystemSummary[] {
  const targets = TARGETS[set];
  const groups = new Map<string, ScoreRow[]>();
  for (const r of rows) groups.set(r.system, [...(groups.get(r.system) ?? []), r]);
  const eq = groups.get('match-eq') ?? [];
  const truth = groups.get('truth') ?? [];
  const rank = (s: string) => (order.includes(s) ? order.indexOf(s) : order.length);
  const names = [...groups.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return names.map((system) => {
    const g = groups.get(system)!;
    const m = (f: keyof Scores | 'wallS' | 'cpuS') => mean(g.map((r) => r[f] ?? NaN));
    const s: SystemSummary = {
      system,
      kind: g[0].kind,
      pairs: g.length,
      ltasDb: m('ltasDb'),
      mfccDb: m('mfccDb'),
      frameDb: m('frameDb'),
      pitchAcc: m('pitchAcc'),
      onsetF: m('onsetF'),
      chroma: m('chroma'),
      multiPitchF: m('multiPitchF'),
      nan: g.reduce((a, r) => a + r.nan, 0),
      clipped: g.reduce((a, r) => a + r.clipped, 0),
      wallS: m('wallS'),
      cpuS: m('cpuS'),
      ltasVsEq: ratio(g, eq, 'ltasDb'),
      mfccVsEq: ratio(g, eq, 'mfccDb'),
      frameVsEq: ratio(g, eq, 'frameDb'),
      pitchVsTruth: ratio(g, truth, 'pitchAcc'),
      onsetVsTruth: ratio(g, truth, 'onsetF'),
      multiPitchVsTruth: ratio(g, truth, 'multiPitchF'),
      missed: [],
    };
    if (s.kind === 'preset') {
      if (targets.chroma !== undefined && !(s.chroma >= targets.chroma)) s.missed.push('chroma');
      if (targets.multiPitchVsTruth !== undefined && !(s.multiPitchVsTruth >= targets.multiPitchVsTruth)) s.missed.push('multi-pitch');
      if (!(s.ltasVsEq <= targets.ltasVsEq)) s.missed.push('LTAS');
      if (!(s.frameVsEq <= targets.frameVsEq)) s.missed.push('frame');
      // Pitch accuracy is undefined (NaN) where notes overlap: no target there.
      if (Number.isFinite(s.pitchAcc) && !(s.pitchVsTruth >= targets.vsTruth)) s.missed.push('pitch');
      if (!(s.onsetVsTruth >= targets.vsTruth)) s.missed.push('onset');
      if (s.nan || s.clipped) s.missed.push('NaN/clip');
      if (!(s.wallS <= targets.wallS)) s.missed.push('time');
    }
    return s;
  });
}

const fmt = (v: number, digits: number) => (Number.isFinite(v) ? v.toFixed(digits) : '—');

/** The targets in words, for under a table. */
export function targetsLine(set: SetName): string {
  const t = TARGETS[set];
  const harmony = [t.chroma !== undefined ? `chroma ≥ ${t.chroma}` : '', t.multiPitchVsTruth !== undefined ? `multi-pitch F ×truth ≥ ${t.multiPitchVsTruth}` : ''].filter(Boolean);
  return `Targets (issue 18, ${set === 'poly' ? 'polyphonic content' : 'single lines'}): ${[...harmony, `LTAS ×EQ ≤ ${t.ltasVsEq}`, `frame ×EQ ≤ ${t.frameVsEq}`, `pitch (single lines) and onset ×truth ≥ ${t.vsTruth}`, 'no NaN or clipped sample', `≤ ${t.wallS} s wall per 10 s pair`].join(', ')}.`;
}

/** The markdown table of `summarise`; `title` heads it. */
export function markdownTable(title: string, summary: readonly SystemSummary[], set: SetName = 'single'): string {
  const lines = [
    `${title}: means over pairs; ×EQ = mean / the match EQ's mean, ×truth = mean / the truth's mean, over the same pairs. Pitch acc is — where notes overlap (YIN follows one pitch).`,
    '',
    targetsLine(set),
    '',
    'Wall and CPU seconds are per 10 s pair; CPU counts every thread, and the JSON lines carry the load average (wall time stretches when other work shares the cores).',
    '',
    '| system | pairs | chroma | multi-pitch F | ×truth | LTAS dB | ×EQ | MFCC dB | ×EQ | frame-wise log-mel dB | ×EQ | pitch acc | ×truth | onset F | ×truth | NaN/clipped | wall s | CPU s | targets missed |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const s of summary) {
    lines.push(
      `| ${s.system} | ${s.pairs} | ${fmt(s.chroma, 3)} | ${fmt(s.multiPitchF, 3)} | ${fmt(s.multiPitchVsTruth, 2)} | ${fmt(s.ltasDb, 2)} | ${fmt(s.ltasVsEq, 2)} | ${fmt(s.mfccDb, 2)} | ${fmt(s.mfccVsEq, 2)} | ${fmt(s.frameDb, 2)} | ${fmt(s.frameVsEq, 2)} | ` +
        `${fmt(s.pitchAcc, 3)} | ${fmt(s.pitchVsTruth, 2)} | ${fmt(s.onsetF, 3)} | ${fmt(s.onsetVsTruth, 2)} | ${s.nan}/${s.clipped} | ${fmt(s.wallS, 1)} | ${fmt(s.cpuS, 1)} | ` +
        `${s.kind === 'preset' ? s.missed.join(', ') || 'none' : ''} |`,
    );
  }
  return lines.join('\n') + '\n';
}

/**
 * One table per truth source that has rows (FluidR3, other sound font, STK, in that order),
 * each under a "###" heading, then one over every source.
 * @param heading e.g. "poly dev"
 */
export function tablesBySource(heading: string, rows: readonly ScoreRow[], order: readonly string[], set: SetName): string {
  const parts: string[] = [];
  for (const source of TRUTH_SOURCES) {
    const mine = rows.filter((r) => (r.source ?? 'FluidR3') === source);
    if (!mine.length) continue;
    const pairs = new Set(mine.map((r) => r.pair)).size;
    parts.push(`### ${heading}, truths from ${source} (${pairs} pair${pairs === 1 ? '' : 's'})\n\n${markdownTable(`\`${heading}\`, ${source} truths`, summarise(mine, order, set), set)}`);
  }
  if (parts.length > 1) parts.push(`### ${heading}, every truth source\n\n${markdownTable(`\`${heading}\`, every truth source`, summarise(rows, order, set), set)}`);
  return parts.join('\n');
}
