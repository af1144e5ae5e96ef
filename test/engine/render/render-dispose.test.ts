/**
 * The render lets its objective go as soon as the optimiser is done, before Griffin-Lim
 * makes its arrays, so the two phases' memory does not add up in the job's peak (the PACE
 * bench measured 16–24 MB less for the small presets). Also after a failure: an objective is
 * never left holding its sessions.
 */
import { describe, expect, it, vi } from 'vitest';
import type { RenderProgress } from '../../../common/audio';
import { renderRequest } from '../../../engine/render/render-request';
import { demoFile, tinyPreset } from '../../helpers/demo';

/** What each objective the render made went through, in order. */
const log: string[] = [];

vi.mock('../../../engine/objective/create-objective', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../engine/objective/create-objective')>();
  return {
    ...real,
    createObjective: async (...args: Parameters<typeof real.createObjective>) => {
      const objective = await real.createObjective(...args);
      log.push('created');
      const dispose = objective.dispose.bind(objective);
      return Object.assign(objective, {
        dispose: () => {
          log.push('disposed');
          dispose();
        },
      });
    },
  };
});

describe('the objective of a render', () => {
  it('is disposed before the first Griffin-Lim step', async () => {
    log.length = 0;
    const onProgress = (p: RenderProgress) => {
      if (p.phase === 'reconstruct' && !log.includes('reconstruct')) log.push('reconstruct');
    };
    await renderRequest({ jobId: 'd', content: demoFile('content'), style: demoFile('style'), preset: tinyPreset(2) }, { onProgress });
    expect(log.slice(0, 3)).toEqual(['created', 'disposed', 'reconstruct']);
  }, 120_000);

  it('is disposed when the render is cancelled during optimisation', async () => {
    log.length = 0;
    let optimising = 0;
    const job = { jobId: 'c', content: demoFile('content'), style: demoFile('style'), preset: tinyPreset(3) };
    const run = renderRequest(job, { onProgress: (p) => void (p.phase === 'optimise' && optimising++), isCancelled: () => optimising > 2 });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(log).toContain('disposed');
    expect(log).not.toContain('reconstruct');
  }, 120_000);
});
