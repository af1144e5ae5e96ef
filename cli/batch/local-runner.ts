/**
 * Jobs rendered by a pool of engine processes on this machine.
 */
import type { JobRunner } from './run-batch';
import type { EnginePool } from './engine-pool';
import { takeFile } from './take-file';

/** A runner over `pool`; the engine's job id is the job's position ("job7"). */
export function localRunner(pool: EnginePool): JobRunner {
  return {
    description: `${pool.size} local engine ${pool.size === 1 ? 'process' : 'processes'}`,
    async run(job, listener) {
      let worker = 'local';
      const take = await pool.render(
        { jobId: `job${job.spec.index}`, content: { name: job.content.name, bytes: job.content.bytes }, style: { name: job.style.name, bytes: job.style.bytes }, preset: job.spec.preset },
        {
          onProgress: (p) => listener.progress({ phase: p.phase, iteration: p.iteration, total: p.total, eta: p.eta }),
          onStart: (pid) => listener.started((worker = `local pid ${pid ?? '?'}`)),
        },
      );
      return { wav: takeFile(take, job.content.name, job.style.name, job.format), metrics: take.metrics, warnings: take.warnings, worker };
    },
    cancelAll: () => pool.cancelAll(),
  };
}
