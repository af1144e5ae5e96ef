/** A small Standard MIDI File reader for tests: formats 0 and 1, no running status (what our writer makes). */

export interface SmfTrack {
  name?: string;
  /** Notes paired from note-on / note-off, in ticks. */
  notes: { channel: number; pitch: number; velocity: number; on: number; off: number }[];
  /** Pitch-bend events: tick and the 14-bit wheel value (8192 = centre). */
  bends: { tick: number; value: number }[];
  /** Controller events: tick, controller, value. */
  controllers: { tick: number; cc: number; value: number }[];
}

export interface Smf {
  format: number;
  division: number;
  tempoUs?: number;
  tracks: SmfTrack[];
}

/** The variable-length quantity starting at `bytes[at]`, and where the next field starts. */
export function readVariableLength(bytes: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  let b: number;
  do {
    b = bytes[at++];
    value = (value << 7) | (b & 0x7f);
  } while (b & 0x80);
  return { value, next: at };
}

/** Parse `bytes`; throws Error when a chunk or event is malformed. */
export function readSmf(bytes: Uint8Array): Smf {
  const text = (o: number) => String.fromCharCode(...bytes.subarray(o, o + 4));
  const u32 = (o: number) => ((bytes[o] << 24) | (bytes[o + 1] << 16) | (bytes[o + 2] << 8) | bytes[o + 3]) >>> 0;
  if (text(0) !== 'MThd' || u32(4) !== 6) throw new Error('not a Standard MIDI File');
  const smf: Smf = { format: (bytes[8] << 8) | bytes[9], division: (bytes[12] << 8) | bytes[13], tracks: [] };
  const count = (bytes[10] << 8) | bytes[11];
  let o = 14;
  for (let n = 0; n < count; n++) {
    if (text(o) !== 'MTrk') throw new Error(`track ${n} has no MTrk chunk`);
    const end = o + 8 + u32(o + 4);
    if (end > bytes.length) throw new Error(`track ${n} runs past the file`);
    o += 8;
    const track: SmfTrack = { notes: [], bends: [], controllers: [] };
    const open = new Map<string, { on: number; velocity: number }>();
    let tick = 0;
    const vlq = () => {
      const { value, next } = readVariableLength(bytes, o);
      o = next;
      return value;
    };
    while (o < end) {
      tick += vlq();
      const status = bytes[o++];
      if (status === 0xff) {
        const type = bytes[o++];
        const len = vlq();
        const data = bytes.subarray(o, o + len);
        o += len;
        if (type === 0x03) track.name = new TextDecoder().decode(data);
        if (type === 0x51) smf.tempoUs = (data[0] << 16) | (data[1] << 8) | data[2];
        continue;
      }
      const kind = status & 0xf0;
      const channel = status & 0x0f;
      if (kind === 0xc0 || kind === 0xd0) {
        o += 1;
        continue;
      }
      const [a, b] = [bytes[o], bytes[o + 1]];
      o += 2;
      if (kind === 0x90 && b > 0) open.set(`${channel}:${a}`, { on: tick, velocity: b });
      else if (kind === 0x80 || kind === 0x90) {
        const on = open.get(`${channel}:${a}`);
        if (!on) throw new Error(`note-off without note-on: ${a} at ${tick}`);
        open.delete(`${channel}:${a}`);
        track.notes.push({ channel, pitch: a, velocity: on.velocity, on: on.on, off: tick });
      } else if (kind === 0xe0) track.bends.push({ tick, value: a | (b << 7) });
      else if (kind === 0xb0) track.controllers.push({ tick, cc: a, value: b });
      else throw new Error(`unexpected status ${status.toString(16)}`);
    }
    if (open.size) throw new Error(`track ${n} leaves notes on`);
    smf.tracks.push(track);
    o = end;
  }
  return smf;
}
