/**
 * The match-EQ baseline: the engine's match EQ (engine/dsp/match-eq.ts) on a fine STFT, back
 * to audio with the content's phase.
 */
import { matchEq as matchEqSpectrum } from '../../engine/dsp/match-eq';
import { istft, stft, type StftShape } from '../../engine/dsp/stft';
import { normalisePeak } from '../../engine/render/render';

/** STFT of the baseline: nFft 2048, hop 512 (75 % overlap). */
export const MATCH_EQ_SHAPE: StftShape = { nFft: 2048, hop: 512 };
/** Output peak, as the presets' default, dBFS. */
const EQ_PEAK_DB = -1;

/**
 * The content with the style's long-term spectrum, peak-normalised to −1 dBFS.
 * @returns as many samples as the content
 */
export function matchEq(content: Float32Array, style: Float32Array): Float32Array {
  const spec = matchEqSpectrum(stft(content, MATCH_EQ_SHAPE), stft(style, MATCH_EQ_SHAPE));
  return normalisePeak(istft(spec, MATCH_EQ_SHAPE, content.length), true, EQ_PEAK_DB).samples;
}
