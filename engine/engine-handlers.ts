/**
 * The engine's request handlers: what the engine process serves, as plain functions so the
 * CLI and tests can call them without a process in between.
 */
import type { ApiHandlers, EventData, EventName } from '../common/rpc';
import type { EngineApi } from '../common/engine-api';
import { GramophoneError } from '../common/errors';
import { decodeAudio } from './audio/decode';
import { audioFileBytes } from './io/audio-file';
import { encodeStem } from './audio/stem';
import { mixdown } from './dsp/mixdown';
import { displaySpectrogram } from './dsp/display-spectrogram';
import { transcribe } from './analysis/transcribe';
import { writeNotesMidi } from './analysis/midi-file';
import { integratedLoudness, samplePeak } from './dsp/loudness';
import { blendTake } from './dsp/blend';
import { renderRequest } from './render/render-request';
import { createNotesCache, warmTranscriber } from './render/notes-cache';
import { readyRender } from './render/warm';
import { createFirstSegmentAhead } from './render/ahead';
import { defaultBackendName, listBackends } from './objective/create-objective';
import { ENGINE_VERSION } from './version';
import { memoryBudget } from './render/budget';

/** A track's loudness as the contract carries it. */
const measure = (channels: Float32Array[], sampleRate: number) => ({ lufs: integratedLoudness(channels, sampleRate), peak: samplePeak(channels) });

export type EngineEmit = <E extends EventName<EngineApi>>(event: E, data: EventData<EngineApi, E>) => void;

/**
 * Handlers for every engine method. Renders may overlap; each stops when its own call is
 * aborted (the signal the RPC hands its handler), so no job table is kept here.
 */
export function createEngineHandlers(emit: EngineEmit, options: { warmTranscriber?: boolean } = {}): ApiHandlers<EngineApi> {
  // Streams and live-loop re-renders of the same inputs transcribe each input once per process.
  const notes = createNotesCache();
  // The next Render's first segment, rendered while the musician sets up (render/ahead.ts).
  const ahead = createFirstSegmentAhead();
  // A process that decodes for display serves a workstation, whose first Render should sound
  // soon: the transcriber is loaded once the first decode has answered (in the engine
  // process only: in-process callers, the CLI and tests, would wait behind it).
  let warmed = !options.warmTranscriber;
  const warmSoon = () => {
    if (warmed) return;
    warmed = true;
    setTimeout(() => void warmTranscriber(), 0);
  };
  return {
    async info() {
      // A budget set wrongly is said by the render that uses it; here the default stands in.
      let budget: number;
      try {
        budget = memoryBudget();
      } catch {
        budget = memoryBudget({});
      }
      return { version: ENGINE_VERSION, defaultBackend: await defaultBackendName(), backends: await listBackends(), memoryBudget: budget };
    },
    async decode(file) {
      warmSoon();
      const { name } = file;
      const d = await decodeAudio(await audioFileBytes(file, 'audio'), name);
      return {
        info: {
          name,
          sampleRate: d.sampleRate,
          channels: d.channels.length,
          frames: d.frames,
          duration: d.frames / d.sampleRate,
          format: d.format,
          warnings: d.warnings.slice(0, 20).map((w) => w.slice(0, 500)),
          loudness: measure(d.channels, d.sampleRate),
        },
        channels: d.channels,
      };
    },
    spectrogram({ channels, sampleRate, nFft, hop, maxFrames }) {
      const mono = mixdown(channels);
      if (mono.length === 0) throw new GramophoneError('INVALID_INPUT', 'No samples to analyse');
      return displaySpectrogram(mono, sampleRate, nFft, hop, maxFrames);
    },
    async transcribe({ channels, sampleRate }, { signal }) {
      const mono = mixdown(channels);
      return { notes: (await transcribe(mono, sampleRate, { signal })).notes };
    },
    notesMidi: ({ lanes }) => ({ bytes: writeNotesMidi(lanes) }),
    async render(req, { signal }) {
      // Only a stream can take a first segment readied ahead: any other render stops it.
      if (!req.stream) ahead.drop();
      const take = await renderRequest(req, { onProgress: (p) => emit('progress', p), isCancelled: () => signal.aborted }, { hear: notes.hear, ahead: ahead.take, onChunk: (c) => emit('chunk', c) });
      emit('log', { level: 'info', message: `render ${req.jobId} done on ${take.metrics.backend} in ${take.metrics.seconds.total.toFixed(2)} s` });
      // Measured once here, so every A/B can match the take without touching its audio again.
      return { ...take, loudness: measure([take.samples], take.sampleRate) };
    },
    async readyRender(req) {
      return { readied: await readyRender(req, notes, ahead) };
    },
    encodeStem({ samples, sampleRate, format, comment, title, blend }) {
      const mono = blend ? blendTake(samples, sampleRate, blend.dry, blend.sampleRate, blend.offset, blend.wet, blend.dryGain) : samples;
      return { bytes: encodeStem(mono, sampleRate, format, { comment, title }) };
    },
  };
}
