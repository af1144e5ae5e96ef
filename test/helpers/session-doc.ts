/**
 * Session documents (`session.json` of a session file) for the tests and the bench that craft
 * session files: one content input and `takes` takes of the first built-in preset.
 */
import { BUILTIN_PRESETS } from '../../common/preset';
import { takeMetrics } from '../fixtures/metrics';

/** What to vary: how many takes, each take's audio file and id, the saved UI state. */
export interface SessionDocOptions {
  takes?: number;
  file?: (i: number) => string;
  id?: (i: number) => string;
  ui?: unknown;
}

/** A version-1 session document: input `c1` (audio/c.wav) and takes t0… (audio/t.wav unless `file` says). */
export function sessionDoc(o: SessionDocOptions = {}) {
  const takes = Array.from({ length: o.takes ?? 0 }, (_, i) => ({
    id: o.id?.(i) ?? `t${i}`,
    name: `Take ${i + 1}`,
    file: o.file?.(i) ?? 'audio/t.wav',
    jobId: `j${i}`,
    preset: BUILTIN_PRESETS[0],
    metrics: takeMetrics(),
    warnings: [],
    contentName: 'c.wav',
    styleName: 's.wav',
    contentId: 'c1',
    exported: false,
  }));
  return { format: 'gramophone-session', version: 1, inputs: [{ id: 'c1', lane: 'content', name: 'c.wav', file: 'audio/c.wav' }], takes, ui: o.ui ?? null };
}
