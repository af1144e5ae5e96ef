/**
 * A finished take as the file a musician gets: the stem in the chosen format with the full
 * preset embedded, so every take says how it was made. The command line, the local pool and
 * queue workers all write takes through here, which is what makes their files identical.
 */
import type { ExportFormat, TakeResult } from '../../common/audio';
import type { AudioShape } from '../../engine/audio/probe';
import { encodeStem, writeStemFile } from '../../engine/audio/stem';

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

const takeMeta = (take: TakeResult, contentName: string, styleName: string) => ({ comment: JSON.stringify(take.preset), title: `${contentName} × ${styleName}` });

/** The WAV bytes of `take`, titled "content × style". */
export const takeFile = (take: TakeResult, contentName: string, styleName: string, format: ExportFormat): Uint8Array =>
  encodeStem(take.samples, take.sampleRate, format, takeMeta(take, contentName, styleName));

/**
 * Write the file `takeFile` makes straight to `out`, streamed and atomic, so a long take's
 * resampled samples and bytes are never held whole.
 * @returns the file's size in bytes
 */
export const writeTakeFile = (out: string, take: TakeResult, contentName: string, styleName: string, format: ExportFormat): Promise<number> =>
  writeStemFile(out, take.samples, take.sampleRate, format, takeMeta(take, contentName, styleName));
