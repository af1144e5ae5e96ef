/**
 * A small protobuf encoder for the subset of onnx.proto the objective graphs need
 * (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto).
 * Field numbers follow onnx/onnx.proto (IR version 8). Encoding only: the engine builds
 * graphs and hands the bytes to onnxruntime, it never reads a model.
 */

/** TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, INT64: 7, DOUBLE: 11 } as const;
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

const AttrType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;

/** An attribute value: number (int unless `float` is set), int list, string or tensor. */
export type AttrValue = number | number[] | string | TensorSpec | { float: number };

/** A constant tensor: raw little-endian data of `dataType` with shape `dims`. */
export interface TensorSpec {
  name?: string;
  dataType: DataTypeCode;
  dims: readonly number[];
  data: Float32Array | Float64Array | BigInt64Array;
}

export interface NodeSpec {
  op: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  attrs?: Record<string, AttrValue>;
  /** Operator set domain; default the standard ONNX one. */
  domain?: string;
}

/** A graph input or output: name, element type and shape (a string dim is symbolic). */
export interface ValueSpec {
  name: string;
  dataType: DataTypeCode;
  dims: readonly (number | string)[];
}

export interface GraphSpec {
  name: string;
  nodes: readonly NodeSpec[];
  inputs: readonly ValueSpec[];
  outputs: readonly ValueSpec[];
  initializers: readonly TensorSpec[];
}

/** Growable byte sink with protobuf primitives. */
class Writer {
  private buf = new Uint8Array(256);
  private len = 0;

  private reserve(n: number) {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** Unsigned varint; values up to 2^53 (int64 fields here are shapes and counts, never negative beyond -1). */
  varint(v: number) {
    this.reserve(10);
    if (v < 0) {
      // Negative int64: two's complement over 64 bits, always 10 bytes.
      let big = BigInt.asUintN(64, BigInt(v));
      for (let i = 0; i < 10; i++) {
        const byte = Number(big & 0x7fn);
        big >>= 7n;
        this.buf[this.len++] = big ? byte | 0x80 : byte;
        if (!big) return;
      }
      return;
    }
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.len++] = v;
  }

  tag(field: number, wire: 0 | 1 | 2 | 5) {
    this.varint(field * 8 + wire);
  }

  bytes(field: number, b: Uint8Array) {
    this.tag(field, 2);
    this.varint(b.length);
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  string(field: number, s: string) {
    this.bytes(field, new TextEncoder().encode(s));
  }

  int(field: number, v: number) {
    this.tag(field, 0);
    this.varint(v);
  }

  float(field: number, v: number) {
    this.tag(field, 5);
    this.reserve(4);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.len, 4).setFloat32(0, v, true);
    this.len += 4;
  }

  /** A packed repeated varint field. */
  packedInts(field: number, vs: readonly number[]) {
    const inner = new Writer();
    for (const v of vs) inner.varint(v);
    this.bytes(field, inner.finish());
  }

  message(field: number, write: (w: Writer) => void) {
    const inner = new Writer();
    write(inner);
    this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}

function writeTensor(w: Writer, t: TensorSpec) {
  w.packedInts(1, t.dims as number[]);
  w.int(2, t.dataType);
  if (t.name) w.string(8, t.name);
  // Typed arrays are little-endian on every platform Node runs on, which is what raw_data wants.
  w.bytes(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
}

function writeAttr(w: Writer, name: string, v: AttrValue) {
  w.string(1, name);
  if (typeof v === 'number') {
    w.int(3, v);
    w.int(20, AttrType.INT);
  } else if (typeof v === 'string') {
    w.bytes(4, new TextEncoder().encode(v));
    w.int(20, AttrType.STRING);
  } else if (Array.isArray(v)) {
    w.packedInts(8, v);
    w.int(20, AttrType.INTS);
  } else if ('float' in v) {
    w.float(2, v.float);
    w.int(20, AttrType.FLOAT);
  } else {
    w.message(5, (m) => writeTensor(m, v));
    w.int(20, AttrType.TENSOR);
  }
}

function writeValueInfo(w: Writer, v: ValueSpec) {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, v.dataType);
      tensor.message(2, (shape) => {
        for (const d of v.dims) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      });
    }),
  );
}

function writeNode(w: Writer, n: NodeSpec) {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  if (n.name) w.string(3, n.name);
  w.string(4, n.op);
  for (const [k, v] of Object.entries(n.attrs ?? {})) w.message(5, (a) => writeAttr(a, k, v));
  if (n.domain) w.string(7, n.domain);
}

/** IR version 8 is read by every onnxruntime since 1.10; opset 17 has every op used here. */
export const IR_VERSION = 8;
export const OPSET = 17;
/** onnxruntime's own operators (FusedMatMul: batched MatMul with a transposed operand). */
export const MS_DOMAIN = 'com.microsoft';

/**
 * Serialise a graph as an ONNX ModelProto (default domain, opset 17; com.microsoft version 1
 * when a node uses it).
 * @returns the model bytes for `InferenceSession.create`
 */
export function encodeModel(g: GraphSpec): Uint8Array {
  const w = new Writer();
  w.int(1, IR_VERSION);
  w.string(2, 'gramophone');
  w.message(7, (graph) => {
    for (const n of g.nodes) graph.message(1, (m) => writeNode(m, n));
    graph.string(2, g.name);
    for (const t of g.initializers) graph.message(5, (m) => writeTensor(m, t));
    for (const v of g.inputs) graph.message(11, (m) => writeValueInfo(m, v));
    for (const v of g.outputs) graph.message(12, (m) => writeValueInfo(m, v));
  });
  w.message(8, (op) => {
    op.string(1, '');
    op.int(2, OPSET);
  });
  if (g.nodes.some((n) => n.domain === MS_DOMAIN)) {
    w.message(8, (op) => {
      op.string(1, MS_DOMAIN);
      op.int(2, 1);
    });
  }
  return w.finish();
}
