/**
 * A finished take as the file a musician gets: the stem in the chosen format with the full
 * preset embedded, so every take says how it was made. The command line, the local pool and
 * queue workers all write takes through here, which is what makes their files identical.
 */
import type { ExportFormat, TakeResult } from '../../common/audio';
import { encodeStem } from '../wav/stem';

/** The WAV bytes of `take`, titled "content × style". */
export const takeFile = (take: TakeResult, contentName: string, styleName: string, format: ExportFormat): Uint8Array =>
  encodeStem(take.samples, take.sampleRate, format, { comment: JSON.stringify(take.preset), title: `${contentName} × ${styleName}` });
