/**
 * The benchmark's records: one JSON row per system × pair, merged across runs, and the
 * markdown table of per-system means with their ratios to the match EQ and to the truth.
 */
import type { Scores } from './score';
import type { SystemKind } from './systems';

/** One JSON line: a system's take of one pair, scored. */
export interface ScoreRow extends Scores {
  corpus: string;
  pair: string;
  system: string;
  kind: SystemKind;
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

/** The issue 8 targets for a default preset, relative to the match EQ and to the truth. */
export const TARGETS = {
  /** LTAS distance ≤ 0.8 × the match EQ's. */
  ltasVsEq: 0.8,
  /** Frame-wise log-mel distance ≤ 0.85 × the match EQ's. */
  frameVsEq: 0.85,
  /** Pitch accuracy and onset F ≥ 0.95 × the truth's. */
  vsTruth: 0.95,
  /** Wall seconds for 10 s of audio. */
  wallS: 15,
} as const;

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
  /** Issue 8 targets missed (empty when all are met); only for presets. */
  missed: string[];
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

function ratio(rows: ScoreRow[], ref: ScoreRow[], field: 'ltasDb' | 'mfccDb' | 'frameDb' | 'pitchAcc' | 'onsetF'): number {
  const byPair = new Map(ref.map((r) => [r.pair, r]));
  const common = rows.filter((r) => byPair.has(r.pair));
  return mean(common.map((r) => r[field])) / mean(common.map((r) => byPair.get(r.pair)![field]));
}

/**
 * Per-system means (over the pairs each system has), in the order systems first appear in
 * `order`, then any others by name.
 */
export function summarise(rows: readonly ScoreRow[], order: readonly string[] = []): SystemSummary[] {
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
      nan: g.reduce((a, r) => a + r.nan, 0),
      clipped: g.reduce((a, r) => a + r.clipped, 0),
      wallS: m('wallS'),
      cpuS: m('cpuS'),
      ltasVsEq: ratio(g, eq, 'ltasDb'),
      mfccVsEq: ratio(g, eq, 'mfccDb'),
      frameVsEq: ratio(g, eq, 'frameDb'),
      pitchVsTruth: ratio(g, truth, 'pitchAcc'),
      onsetVsTruth: ratio(g, truth, 'onsetF'),
      missed: [],
    };
    if (s.kind === 'preset') {
      if (!(s.ltasVsEq <= TARGETS.ltasVsEq)) s.missed.push('LTAS');
      if (!(s.frameVsEq <= TARGETS.frameVsEq)) s.missed.push('frame');
      if (!(s.pitchVsTruth >= TARGETS.vsTruth)) s.missed.push('pitch');
      if (!(s.onsetVsTruth >= TARGETS.vsTruth)) s.missed.push('onset');
      if (s.nan || s.clipped) s.missed.push('NaN/clip');
      if (!(s.wallS <= TARGETS.wallS)) s.missed.push('time');
    }
    return s;
  });
}

const fmt = (v: number, digits: number) => (Number.isFinite(v) ? v.toFixed(digits) : '—');

/** The markdown table of `summarise` for one corpus. */
export function markdownTable(corpus: string, summary: readonly SystemSummary[]): string {
  const lines = [
    `Quality benchmark, corpus \`${corpus}\`: means over pairs; ×EQ = mean / the match EQ's mean, ×truth = mean / the truth's mean, over the same pairs.`,
    '',
    `Targets (issue 8): LTAS ×EQ ≤ ${TARGETS.ltasVsEq}, frame ×EQ ≤ ${TARGETS.frameVsEq}, pitch and onset ×truth ≥ ${TARGETS.vsTruth}, no NaN or clipped sample, ≤ ${TARGETS.wallS} s wall per 10 s pair.`,
    '',
    'Wall and CPU seconds are per 10 s pair; CPU counts every thread, and the JSON lines carry the load average (wall time stretches when other work shares the cores).',
    '',
    '| system | pairs | LTAS dB | ×EQ | MFCC dB | ×EQ | frame-wise log-mel dB | ×EQ | pitch acc | ×truth | onset F | ×truth | NaN/clipped | wall s | CPU s | targets missed |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const s of summary) {
    lines.push(
      `| ${s.system} | ${s.pairs} | ${fmt(s.ltasDb, 2)} | ${fmt(s.ltasVsEq, 2)} | ${fmt(s.mfccDb, 2)} | ${fmt(s.mfccVsEq, 2)} | ${fmt(s.frameDb, 2)} | ${fmt(s.frameVsEq, 2)} | ` +
        `${fmt(s.pitchAcc, 3)} | ${fmt(s.pitchVsTruth, 2)} | ${fmt(s.onsetF, 3)} | ${fmt(s.onsetVsTruth, 2)} | ${s.nan}/${s.clipped} | ${fmt(s.wallS, 1)} | ${fmt(s.cpuS, 1)} | ` +
        `${s.kind === 'preset' ? s.missed.join(', ') || 'none' : ''} |`,
    );
  }
  return lines.join('\n') + '\n';
}
