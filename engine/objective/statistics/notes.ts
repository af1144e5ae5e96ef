/**
 * Note templates (ν): X against the template the render builds from both signals (the
 * style's notes transposed to the content's pitches and placed at its note times;
 * engine/objective/notes/note-template.ts): Ln = ‖X − Xn‖² / ‖Xn‖².
 */
import type { StatisticModule } from './statistic';

export const notes: StatisticModule = {
  term: 'notes',
  reads: () => [{ layer: 0, share: 1 }],
  source: () => 'style',
  accumulate: 'double',
  compute: (_ops, x) => [x],
  targetFromX(_x, _frames, ctx) {
    if (!ctx.noteTemplate) throw new Error('the note-template term needs the template the render builds');
    return [ctx.noteTemplate];
  },
};
