/**
 * Words for how a take was made: the headline a lane header has room for, and the full
 * parameter list its tooltip shows. Pure, so the wording is tested without a DOM.
 */
import type { Layer, Preset } from '../../common/preset';
import { STOP_REASONS, type TakeMetrics } from '../../common/audio';
import { LOSS_TERM_TABLE } from '../../common/loss-terms';
import { ACTIVATION_NAMES, FRONT_END_WORDS } from './objective-words';

/** A weight as a musician reads it: 3 significant digits, 0 as "off". */
export const formatWeight = (w: number): string => (w === 0 ? 'off' : String(Number(w.toPrecision(3))));

/**
 * The weights that are on, as [symbol, term, formatted value] in slider order.
 */
function weightParts(p: Preset): [string, string, string][] {
  return LOSS_TERM_TABLE.filter((t) => p.weights[t.name] > 0).map((t) => [t.symbol, t.label.toLowerCase(), formatWeight(p.weights[t.name])]);
}

/** One layer in a few characters: "conv1d 256×11", "conv2d 16 3×3", "relu", "max pool 2×2". */
function layerWords(l: Layer): string {
  switch (l.kind) {
    case 'conv1d':
      return `conv1d ${l.filters}×${l.kernel}`;
    case 'conv2d':
      return `conv2d ${l.channels} ${l.kernelTime}×${l.kernelFreq}`;
    case 'activation':
      return ACTIVATION_NAMES[l.fn];
    case 'pool':
      return `${l.mode} pool ${l.time}×${l.freq}`;
  }
}

/** How strongly a weight pulls, in a word: 0 none, under 0.1 light, under 1 moderate, else strong. */
function strength(w: number): string {
  return w === 0 ? 'no' : w < 0.1 ? 'light' : w < 1 ? 'moderate' : 'strong';
}

/**
 * A take's header in words: its method (the preset's name), how much of the content it
 * keeps, how hard it pulls to the style when that is on, and its optimiser steps —
 * "Timbre transfer · light content · 30 steps". The figures are in `takeTooltip`.
 */
export function takeHeadline(p: Preset): string {
  const parts = [p.name.replace(/ \(modified\)$/, ''), `${strength(p.weights.content)} content`];
  if (p.weights.style > 0) parts.push(`${strength(p.weights.style)} style`);
  parts.push(`${p.optimizer.iterations} step${p.optimizer.iterations === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

/** Every parameter of a take, one group a line, for its tooltip. */
export function takeTooltip(p: Preset, m?: TakeMetrics): string {
  const w = weightParts(p)
    .map(([sym, term, v]) => `${sym} ${term} ${v}`)
    .join(', ');
  const lines = [
    p.name,
    `Weights: ${w ? `${w}${w.split(', ').length < LOSS_TERM_TABLE.length ? ', the others off' : ''}` : 'every weight off'}`,
    `Front end: ${FRONT_END_WORDS[p.frontEnd.kind].label}${'bands' in p.frontEnd ? `, ${p.frontEnd.bands} bands` : ''}${'binsPerOctave' in p.frontEnd ? `, ${p.frontEnd.binsPerOctave} per octave` : ''}`,
    `Network: ${p.network.layers.map(layerWords).join(' → ')}, seed ${p.network.seed}`,
    `Analysis: ${(p.analysis.sampleRate / 1000).toFixed(p.analysis.sampleRate % 1000 ? 2 : 0)} kHz, FFT ${p.analysis.nFft}, window ${p.analysis.window}, hop ${p.analysis.hop}`,
    `Optimiser: ${p.optimizer.kind === 'lbfgs' ? 'L-BFGS' : 'Adam'}, ${p.optimizer.iterations} iterations, learning rate ${p.optimizer.learningRate}, from ${p.init}`,
    `Reconstruction: Griffin-Lim ${p.griffinLim.iterations} iterations, momentum ${p.griffinLim.momentum}`,
    `Output: ${p.output.normalize ? `normalised to ${p.output.peakDb} dBFS` : 'not normalised'}, backend ${p.backend}`,
  ];
  if (m) {
    lines.push(
      `Optimiser ${STOP_REASONS[m.stopReason]} after ${m.iterations} of ${p.optimizer.iterations} iterations`,
      `Result: style loss ×${m.styleLossRatio.toPrecision(2)}, spectral convergence ${m.spectralConvergenceDb.toFixed(1)} dB, ${m.seconds.total.toFixed(1)} s on ${m.backend}`,
    );
  }
  return lines.join('\n');
}

/** How each weighted term's result reads: the share of it matched. */
const RESULT_WORDS: Record<string, string> = {
  content: 'content match',
  style: 'style match',
  energy: 'loudness curve',
  timbre: 'timbre match',
  texture: 'texture match',
  envelope: 'envelope match',
  notes: 'note match',
};

/**
 * A take's result in words: "melody kept 88 %" (its pitch against the content's) when the
 * engine could judge it, then one part per weighted term, "style match 92 %" (100 % less the
 * term's relative error), in slider order. With the melody judged, the content term is left
 * to the tooltip: a light content weight matches the content's features only in part by
 * design, and "content match 21 %" beside a kept melody read as a failure.
 */
export function resultWords(p: Preset, m: TakeMetrics): string {
  const pct = (v: number) => `${Math.round(100 * Math.max(0, Math.min(1, v)))} %`;
  const melody = m.melodyKept === undefined ? [] : [`melody kept ${pct(m.melodyKept)}`];
  const shown = (name: string) => p.weights[name as keyof Preset['weights']] > 0 && !(name === 'content' && m.melodyKept !== undefined);
  const terms = LOSS_TERM_TABLE.filter((t) => shown(t.name)).map((t) => `${RESULT_WORDS[t.name] ?? t.label.toLowerCase()} ${pct(1 - m.termErrors[t.name])}`);
  return [...melody, ...terms].join(', ');
}

/** The raw figures behind `resultWords`, one a line, for its tooltip. */
export function resultFigures(m: TakeMetrics): string {
  const terms = LOSS_TERM_TABLE.map((t) => `${t.symbol} ${t.metric}: ${m.termErrors[t.name].toPrecision(3)} (term ${m.initialTerms[t.name].toPrecision(3)} → ${m.finalTerms[t.name].toPrecision(3)})`);
  const melody =
    m.melodyKept === undefined
      ? 'melody kept: not judged (the content has too little pitch)'
      : `melody kept: the take's pitch is within ±50 cents of the content's in ${(100 * m.melodyKept).toFixed(0)} % of its pitched frames`;
  return [
    melody,
    ...terms,
    `Total loss ${m.initialLoss.toPrecision(3)} → ${m.finalLoss.toPrecision(3)}; style loss ×${m.styleLossRatio.toPrecision(3)}`,
    `Griffin-Lim spectral convergence ${m.spectralConvergence.toPrecision(3)} (${m.spectralConvergenceDb.toFixed(1)} dB); peak ${m.peakDb.toFixed(1)} dBFS`,
    `${m.iterations} iterations on ${m.backend}: ${STOP_REASONS[m.stopReason]}; ${m.seconds.total.toFixed(1)} s`,
  ].join('\n');
}
