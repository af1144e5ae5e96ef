/**
 * A finished take as the file a musician gets: the stem in the chosen format with the full
 * preset embedded, so every take says how it was made. The command line, the local pool and
 * queue workers all write takes through here, which is what makes their files identical.
 */
import type { ExportFormat, TakeResult } from '../../common/audio';
import type { AudioShape } from '../../engine/audio/probe';
import { encodeStem } from '../../engine/audio/stem';

/** The format choices a command line may make; what it leaves out follows the content. */
export interface FormatChoice {
  format?: ExportFormat['encoding'];
  /** 'content' (the default) follows the content file. */
  rate?: ExportFormat['sampleRate'] | 'content';
  channels?: ExportFormat['channels'];
}

/** The take's export format: the choices given, else pcm24 at the content's rate and width (1 if mono, else 2). */
export function exportFormat(o: FormatChoice, content: AudioShape): ExportFormat {
  return {
    encoding: o.format ?? 'pcm24',
    sampleRate: o.rate === undefined || o.rate === 'content' ? content.sampleRate : o.rate,
    channels: o.channels ?? (content.channels >= 2 ? 2 : 1),
  };
}

/** The WAV bytes of `take`, titled "content × style". */
export const takeFile = (take: TakeResult, contentName: string, styleName: string, format: ExportFormat): Uint8Array =>
  encodeStem(take.samples, take.sampleRate, format, { comment: JSON.stringify(take.preset), title: `${contentName} × ${styleName}` });
