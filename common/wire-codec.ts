/**
 * Encodes RPC messages for a byte transport (the browser bridge's WebSocket) so that typed
 * arrays arrive as typed arrays: the message becomes JSON in which each typed array is a
 * placeholder `{ "$bin": index, "type": name }`, followed by the arrays' bytes.
 *
 * Frame layout (little-endian): u32 JSON byte length, the JSON (UTF-8), zero padding to a
 * multiple of 8, then each attachment as u32 byte length + bytes, padded to 8.
 * Decoding trusts nothing: every length is checked against the bytes really there and a
 * placeholder must name an attachment that exists. Pure: no DOM, no node:*.
 */
import { UPLOAD_CHUNK_BYTES } from './api/uploads';
import { MAX_PRESET_FILE_BYTES } from './api/presets';

const TYPED = {
  Uint8Array,
  Int8Array,
  Uint16Array,
  Int16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array,
} as const;
type TypedName = keyof typeof TYPED;
type Typed = InstanceType<(typeof TYPED)[TypedName]>;

/**
 * Largest request frame, in bytes: the largest file a request carries (an upload chunk, a
 * presets file) plus room for the message around it. Replies (a long track's audio) may be
 * larger: a client decodes its server's frames without this limit.
 */
export const MAX_FRAME_BYTES = Math.max(UPLOAD_CHUNK_BYTES, MAX_PRESET_FILE_BYTES) + 1024 * 1024;
/** Deepest nesting the encoder walks; deeper messages are refused, not overflowed. */
const MAX_DEPTH = 64;

const pad8 = (n: number) => (n + 7) & ~7;

function typedName(v: unknown): TypedName | null {
  if (!ArrayBuffer.isView(v) || v instanceof DataView) return null;
  const name = (v as Typed).constructor?.name;
  return name && Object.prototype.hasOwnProperty.call(TYPED, name) ? (name as TypedName) : null;
}

/** Encode a structured message (plain objects, arrays, primitives, typed arrays). */
export function encodeFrame(message: unknown): Uint8Array {
  const attachments: Typed[] = [];
  const walk = (v: unknown, depth: number): unknown => {
    if (depth > MAX_DEPTH) throw new Error('message nests too deeply');
    if (v === null || typeof v !== 'object') {
      if (typeof v === 'number' && !Number.isFinite(v)) return { $num: String(v) };
      return v;
    }
    const name = typedName(v);
    if (name) {
      attachments.push(v as Typed);
      return { $bin: attachments.length - 1, type: name };
    }
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = walk(x, depth + 1);
    return out;
  };
  const json = new TextEncoder().encode(JSON.stringify(walk(message, 0)));
  let size = 4 + pad8(json.byteLength);
  for (const a of attachments) size += 4 + pad8(a.byteLength);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, json.byteLength, true);
  out.set(json, 4);
  let at = 4 + pad8(json.byteLength);
  for (const a of attachments) {
    view.setUint32(at, a.byteLength, true);
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at + 4);
    at += 4 + pad8(a.byteLength);
  }
  return out;
}

/**
 * Decode a frame made by `encodeFrame`.
 * @param maxBytes largest frame accepted (a server: MAX_FRAME_BYTES)
 * @throws Error with a short reason on any malformed frame.
 */
export function decodeFrame(frame: Uint8Array, maxBytes = MAX_FRAME_BYTES): unknown {
  if (frame.byteLength > maxBytes) throw new Error('frame too large');
  if (frame.byteLength < 4) throw new Error('frame too short');
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const jsonLen = view.getUint32(0, true);
  if (4 + jsonLen > frame.byteLength) throw new Error('frame header overruns the frame');
  const parsed: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(frame.subarray(4, 4 + jsonLen)));
  const attachments: Uint8Array[] = [];
  let at = 4 + pad8(jsonLen);
  while (at < frame.byteLength) {
    if (at + 4 > frame.byteLength) throw new Error('attachment header overruns the frame');
    const len = view.getUint32(at, true);
    if (at + 4 + len > frame.byteLength) throw new Error('attachment overruns the frame');
    attachments.push(frame.subarray(at + 4, at + 4 + len));
    at += 4 + pad8(len);
  }
  const revive = (v: unknown, depth: number): unknown => {
    if (depth > MAX_DEPTH) throw new Error('message nests too deeply');
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((x) => revive(x, depth + 1));
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === '$num' && (o.$num === 'NaN' || o.$num === 'Infinity' || o.$num === '-Infinity')) {
      return Number(o.$num);
    }
    if (keys.length === 2 && typeof o.$bin === 'number' && typeof o.type === 'string') {
      const bytes = attachments[o.$bin];
      if (!bytes || !Object.prototype.hasOwnProperty.call(TYPED, o.type)) throw new Error('bad attachment reference');
      const Ctor = TYPED[o.type as TypedName];
      if (bytes.byteLength % Ctor.BYTES_PER_ELEMENT !== 0) throw new Error('attachment length does not fit its type');
      // Copy: the frame's buffer offset need not be aligned for the element type.
      const copy = bytes.slice();
      return new Ctor(copy.buffer, 0, copy.byteLength / Ctor.BYTES_PER_ELEMENT);
    }
    // JSON.parse makes "__proto__" an own key; copying into a null-prototype-free object
    // with defineProperty keeps it an ordinary (rejectable) key rather than a prototype.
    const out: Record<string, unknown> = {};
    for (const k of keys) Object.defineProperty(out, k, { value: revive(o[k], depth + 1), enumerable: true, writable: true, configurable: true });
    return out;
  };
  return revive(parsed, 0);
}
