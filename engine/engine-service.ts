/**
 * The engine's request handlers: what the engine process serves, as plain functions so the
 * CLI and tests can call them without a process in between.
 */
import type { ApiHandlers, EventData, EventName } from '../common/rpc';
import { engineApi, type EngineApi } from '../common/engine-api';
import { GramophoneError } from '../common/errors';
import { decodeAudio } from './audio/decode';
import { displaySpectrogram } from './dsp/display-spectrogram';
import { render } from './render';
import { defaultBackendName, listBackends } from './objective/create-objective';
import { ENGINE_VERSION } from './version';

export type EngineEmit = <E extends EventName<EngineApi>>(event: E, data: EventData<EngineApi, E>) => void;

/**
 * Handlers for every engine method. Jobs run one at a time per call but may overlap; each is
 * cancelled by id.
 */
export function createEngineService(emit: EngineEmit): ApiHandlers<EngineApi> {
  const running = new Map<string, { cancelled: boolean }>();
  return {
    async info() {
      return { version: ENGINE_VERSION, defaultBackend: await defaultBackendName(), backends: await listBackends() };
    },
    async decode({ name, bytes }) {
      const d = await decodeAudio(bytes, name);
      const format = d.format;
      return {
        info: {
          name,
          sampleRate: d.sampleRate,
          channels: d.channels.length,
          frames: d.frames,
          duration: d.frames / d.sampleRate,
          format,
          warnings: d.warnings.slice(0, 20).map((w) => w.slice(0, 500)),
        },
        channels: d.channels,
      };
    },
    spectrogram({ samples, sampleRate, nFft, hop, maxFrames }) {
      if (samples.length === 0) throw new GramophoneError('INVALID_INPUT', 'No samples to analyse');
      return displaySpectrogram(samples, sampleRate, nFft, hop, maxFrames);
    },
    async render(req) {
      if (running.has(req.jobId)) throw new GramophoneError('INVALID_INPUT', `A job with id ${req.jobId} is already running`);
      const state = { cancelled: false };
      running.set(req.jobId, state);
      try {
        const take = await render(req, { onProgress: (p) => emit('progress', p), isCancelled: () => state.cancelled });
        emit('log', { level: 'info', message: `render ${req.jobId} done on ${take.metrics.backend} in ${take.metrics.seconds.total.toFixed(2)} s` });
        return take;
      } finally {
        running.delete(req.jobId);
      }
    },
    cancel({ jobId }) {
      const state = running.get(jobId);
      if (!state) return { cancelled: false };
      state.cancelled = true;
      return { cancelled: true };
    },
  };
}

export { engineApi };
