/**
 * Words for how a take was made: the short weight line a lane header has room for, and the
 * full parameter list its tooltip shows. Pure, so the wording is tested without a DOM.
 */
import type { Preset } from '../../common/preset';
import type { TakeMetrics } from '../../common/audio';

/** A weight as a musician reads it: 3 significant digits, 0 as "off". */
export const formatWeight = (w: number): string => (w === 0 ? 'off' : String(Number(w.toPrecision(3))));

/** The four weights as [symbol, term, formatted value], in slider order α β γ δ. */
export function weightParts(p: Preset): [string, string, string][] {
  return [
    ['α', 'content', formatWeight(p.weights.content)],
    ['β', 'style', formatWeight(p.weights.style)],
    ['γ', 'energy envelope', formatWeight(p.weights.energy)],
    ['δ', 'timbral envelope', formatWeight(p.weights.timbre)],
  ];
}

/** "12 it · L-BFGS · 256 filters": the second line under the weights. */
export function settingsLine(p: Preset): string {
  const opt = p.optimizer.kind === 'lbfgs' ? 'L-BFGS' : 'Adam';
  return `${p.optimizer.iterations} it · ${opt} · ${p.network.filters} filters`;
}

/** Every parameter of a take, one group a line, for its tooltip. */
export function takeTooltip(p: Preset, m?: TakeMetrics): string {
  const w = weightParts(p)
    .map(([sym, term, v]) => `${sym} ${term} ${v}`)
    .join(', ');
  const lines = [
    p.name,
    `Weights: ${w}`,
    `Network: ${p.network.filters} filters, kernel ${p.network.kernel}, ${p.network.activation}, seed ${p.network.seed}`,
    `Analysis: ${(p.analysis.sampleRate / 1000).toFixed(p.analysis.sampleRate % 1000 ? 2 : 0)} kHz, FFT ${p.analysis.nFft}, hop ${p.analysis.hop}`,
    `Optimiser: ${p.optimizer.kind === 'lbfgs' ? 'L-BFGS' : 'Adam'}, ${p.optimizer.iterations} iterations, learning rate ${p.optimizer.learningRate}, from ${p.init}`,
    `Reconstruction: Griffin-Lim ${p.griffinLim.iterations} iterations, momentum ${p.griffinLim.momentum}`,
    `Output: ${p.output.normalize ? `normalised to ${p.output.peakDb} dBFS` : 'not normalised'}, backend ${p.backend}`,
  ];
  if (m) {
    lines.push(
      `Result: style loss ×${m.styleLossRatio.toPrecision(2)}, spectral convergence ${m.spectralConvergenceDb.toFixed(1)} dB, ${m.seconds.total.toFixed(1)} s on ${m.backend}`,
    );
  }
  return lines.join('\n');
}
