/** The front-end registry: one line per kind of `FRONT_ENDS` (common/preset.ts). */
import type { Preset } from '../../../common/preset';
import { bandedFrontEnd } from './banded';
import { logFrequencyFilterbank, melFilterbank } from '../../dsp/filterbank';
import type { FrontEnd } from './front-end';
import { linearFrontEnd } from './linear';
import { mfccFrontEnd } from './mfcc';

/** The front end a preset asks for, at its analysis settings. */
export function createFrontEnd(preset: Preset): FrontEnd {
  const { sampleRate: sr, nFft } = preset.analysis;
  const fe = preset.frontEnd;
  switch (fe.kind) {
    case 'linear':
      return linearFrontEnd(sr, nFft);
    case 'mel':
      return bandedFrontEnd(melFilterbank(fe.bands, fe.fMin, fe.fMax || sr / 2, sr, nFft));
    case 'mfcc':
      return mfccFrontEnd(melFilterbank(fe.bands, fe.fMin, fe.fMax || sr / 2, sr, nFft), fe.coefficients);
    case 'logfreq':
      return bandedFrontEnd(logFrequencyFilterbank(fe.binsPerOctave, fe.fMin, sr, nFft));
  }
}

export type { FrontEnd } from './front-end';
