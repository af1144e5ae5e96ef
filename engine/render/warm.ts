/**
 * A render readied before it is asked for: while the musician sets up, the style is decoded at
 * the preset's rate as a render decodes it, transcribed into the engine's notes cache, and
 * its notes tracked (the note template keeps them by the samples' bits), so the first segment
 * of the next render of this style pays for neither: about 1.1 CPU s of the demo's 6 s style,
 * and seconds for a long one, before the first sound.
 */
import type { Region } from '../../common/audio';
import type { AudioFile } from '../../common/engine-api';
import { isCancel } from '../../common/errors';
import { usesNoteTemplate, type Preset } from '../../common/preset';
import type { NoteEvent } from '../../common/notes';
import { audioFileBytes } from '../io/audio-file';
import { analyseSignal } from '../objective/front-ends/analyse';
import { trackStyleAhead } from '../objective/notes/note-template';
import { styleSample } from './chunked';
import type { NotesCache } from './notes-cache';
import type { FirstSegmentAhead } from './ahead';
import { prepareInput, prepareRender } from './prepare';
import { soundingFrames } from './render';
import { streamSegments } from './stream';

/**
 * Ready the next render of `style` with `preset` (see the file comment); nothing to do for a
 * preset without a note template.
 * @returns whether anything was readied
 * @throws GramophoneError as `prepareInput` for a style that cannot be rendered (the render
 *   would say the same); a transcriber that cannot run is left for the render to report
 */
export async function readyStyle(style: AudioFile, preset: Preset, notes: NotesCache): Promise<boolean> {
  if (!usesNoteTemplate(preset)) return false;
  const { sampleRate: rate, nFft, hop } = preset.analysis;
  const input = await prepareInput(await audioFileBytes(style, 'style'), style.name, rate, nFft);
  const sample = styleSample(input.samples, rate);
  let heard: NoteEvent[] | undefined;
  try {
    heard = await notes.notesOf(sample, rate);
  } catch {
    // As the render hears it then: notes tracked one at a time, with a warning it gives.
    heard = undefined;
  }
  const s = analyseSignal(sample, preset);
  trackStyleAhead({ samples: sample, spec: s.spec, sounding: soundingFrames(s.spec), heard }, rate, hop);
  return true;
}

/** What a render is readied for: as `render`'s request, the content optional. */
export interface ReadyRequest {
  style: AudioFile;
  preset: Preset;
  content?: AudioFile;
  region?: Region;
}

/**
 * Ready the next streaming render of `req`: the style as `readyStyle` does, then, given the
 * content, the stream's first segment rendered and kept in `ahead` (./ahead.ts), decoded and
 * cut exactly as the render will (./prepare.ts, ./stream.ts), so the render finds it.
 * @returns whether the style was readied, and the segment too when a content was given
 *   (false when another readying or a render for other inputs stopped it)
 * @throws GramophoneError as `prepareRender` for inputs that cannot be rendered
 */
export async function readyRender(req: ReadyRequest, notes: NotesCache, ahead: FirstSegmentAhead): Promise<boolean> {
  if (!(await readyStyle(req.style, req.preset, notes))) return false;
  if (!req.content) return true;
  const job = await prepareRender({ jobId: 'ahead', content: req.content, style: req.style, preset: req.preset, ...(req.region ? { region: req.region } : {}) });
  const [first] = streamSegments(job.content.samples.length, job.preset).segments;
  const stretch = job.content.samples.subarray(first.start, first.end);
  // Digital silence is never rendered (./run-segments.ts): nothing to ready.
  if (stretch.every((v) => v === 0)) return true;
  const style = { name: job.style.name, samples: styleSample(job.style.samples, job.preset.analysis.sampleRate) };
  try {
    await ahead.ready(job, stretch, style, notes.hear);
    return true;
  } catch (e) {
    // Stopped for another readying or a render: nothing kept, and nothing wrong.
    if (isCancel(e)) return false;
    throw e;
  }
}
