/**
 * "See what was heard" through the real handlers and a real engine process: a track's notes
 * for the piano-roll overlay, and "Export notes as MIDI" writing every lane's notes as one
 * Standard MIDI File, one track per lane.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { dispatch } from '../../common/rpc';
import { rendererApi, type Track } from '../../common/contract';
import { midiToHz, type NoteEvent } from '../../common/notes';
import { makeShell, wav16 } from './helpers/shell-fixture';
import { readSmf } from '../helpers/smf';

const fx = makeShell({ engine: 'real' });
afterAll(() => fx.shell.dispose());
const api = async (method: string, args: unknown) => {
  const r = await dispatch(rendererApi, fx.shell.handlers, method, args);
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
  return r.value as never;
};

/** `midis` held together from 0.2 s to 1.2 s at 16 kHz, every harmonic at 1/h. */
function chord(midis: number[], rate = 16000): Float32Array {
  const x = new Float32Array(Math.round(1.5 * rate));
  for (const m of midis) {
    for (let i = Math.round(0.2 * rate); i < Math.round(1.2 * rate); i++) {
      const t = i / rate - 0.2;
      for (let h = 1; h * midiToHz(m) < rate / 2 && h <= 8; h++) x[i] += (0.15 / h) * Math.exp(-2 * t) * Math.sin(2 * Math.PI * h * midiToHz(m) * t);
    }
  }
  return x;
}

let content: Track;
let style: Track;
beforeAll(async () => {
  content = await api('importAudio', { lane: 'content', name: 'chord.wav', bytes: wav16(chord([60, 64, 67]), 16000) });
  style = await api('importAudio', { lane: 'style', name: 'a.wav', bytes: wav16(chord([57]), 16000) });
}, 60_000);

describe('notes heard in the lanes', () => {
  it('gives a track’s notes for the overlay', async () => {
    const { notes } = (await api('getNotes', { trackId: content.id })) as { notes: NoteEvent[] };
    const held = notes.filter((n) => n.onsetS < 0.3 && n.offsetS > 1.0).map((n) => n.midi);
    expect(held).toEqual(expect.arrayContaining([60, 64, 67]));
  }, 60_000);

  it('exports every lane’s notes as one MIDI file, one named track per lane', async () => {
    // The web shell's dialogs save into its export folder under the name offered.
    const r = (await api('exportNotes', { trackIds: [content.id, style.id] })) as { path: string } | null;
    expect(r?.path).toBe(path.join(fx.exportDir, 'chord notes.mid'));
    const smf = readSmf(new Uint8Array(fs.readFileSync(r!.path)));
    expect(smf.tracks.map((t) => t.name)).toEqual([undefined, 'content: chord.wav', 'style: a.wav']);
    expect(smf.tracks[1].notes.map((n) => n.pitch)).toEqual(expect.arrayContaining([60, 64, 67]));
    expect(smf.tracks[2].notes.map((n) => n.pitch)).toContain(57);
  }, 60_000);
});
