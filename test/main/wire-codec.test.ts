/** The WebSocket frame codec: typed arrays and non-finite numbers survive; bad frames are refused. */
import { describe, it, expect } from 'vitest';
import { encodeFrame, decodeFrame } from '../../common/wire-codec';

describe('wire codec', () => {
  it('round-trips nested messages with typed arrays of every kind, at any alignment', () => {
    const msg = {
      kind: 'reply',
      id: 3,
      value: {
        channels: [Float32Array.from([0.5, -1, 1e-8]), new Float32Array(0)],
        bytes: new Uint8Array([1, 2, 3]),
        f64: Float64Array.from([Math.PI]),
        i16: Int16Array.from([-32768, 32767]),
        nested: [{ a: 'x', b: null, c: true }],
        nan: NaN,
        inf: -Infinity,
      },
    };
    const back = decodeFrame(encodeFrame(msg)) as typeof msg;
    expect(back.value.channels[0]).toBeInstanceOf(Float32Array);
    expect(Array.from(back.value.channels[0])).toEqual(Array.from(msg.value.channels[0]));
    expect(back.value.channels[1].length).toBe(0);
    expect(back.value.bytes).toEqual(msg.value.bytes);
    expect(back.value.f64[0]).toBe(Math.PI);
    expect(Array.from(back.value.i16)).toEqual([-32768, 32767]);
    expect(back.value.nested).toEqual(msg.value.nested);
    expect(back.value.nan).toBeNaN();
    expect(back.value.inf).toBe(-Infinity);
    // A view into a larger buffer at an odd offset encodes only its own bytes.
    const view = new Uint8Array(new ArrayBuffer(16), 3, 5).fill(7);
    expect((decodeFrame(encodeFrame({ view })) as { view: Uint8Array }).view).toEqual(new Uint8Array(5).fill(7));
  });

  it('keeps __proto__ an ordinary key and never pollutes prototypes', () => {
    const json = new TextEncoder().encode('{"__proto__":{"polluted":1},"a":1}');
    const frame = new Uint8Array(8 + json.length);
    new DataView(frame.buffer).setUint32(0, json.length, true);
    frame.set(json, 4);
    const m = decodeFrame(frame) as Record<string, unknown>;
    expect(Object.keys(m)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(m)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses malformed frames with an error, never a crash', () => {
    const good = encodeFrame({ x: new Float32Array(4) });
    const cases: Uint8Array[] = [
      new Uint8Array(0),
      new Uint8Array([255, 255, 255, 255, 0]),
      good.subarray(0, good.length - 4),
      (() => {
        const f = good.slice();
        const jsonLen = new DataView(f.buffer).getUint32(0, true);
        new DataView(f.buffer).setUint32(4 + ((jsonLen + 7) & ~7), 1e9, true);
        return f;
      })(),
      (() => {
        const json = new TextEncoder().encode('{"x":{"$bin":5,"type":"Float32Array"}}');
        const f = new Uint8Array(8 + json.length);
        new DataView(f.buffer).setUint32(0, json.length, true);
        f.set(json, 4);
        return f;
      })(),
      (() => {
        const json = new TextEncoder().encode('['.repeat(100) + ']'.repeat(100));
        const f = new Uint8Array(8 + json.length);
        new DataView(f.buffer).setUint32(0, json.length, true);
        f.set(json, 4);
        return f;
      })(),
    ];
    for (const c of cases) expect(() => decodeFrame(c)).toThrow();
  });
});
