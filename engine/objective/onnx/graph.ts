/**
 * A tiny builder for ONNX graphs: named values, ops with attributes, constants. It keeps
 * the objective's graph code close to the maths it computes.
 */
import { DataType, encodeModel, type AttrValue, type DataTypeCode, type GraphSpec, type NodeSpec, type TensorSpec, type ValueSpec } from './proto';

/** Builds one graph; every method returns the name of the value it produced. */
export class GraphBuilder {
  private readonly nodes: NodeSpec[] = [];
  private readonly inputs: ValueSpec[] = [];
  private readonly outputs: ValueSpec[] = [];
  private readonly initializers: TensorSpec[] = [];
  private counter = 0;

  constructor(private readonly name: string) {}

  private fresh(hint: string) {
    return `${hint}_${this.counter++}`;
  }

  /** Declare a graph input (string dims are symbolic). */
  input(name: string, dims: readonly (number | string)[], dataType: DataTypeCode = DataType.FLOAT): string {
    this.inputs.push({ name, dataType, dims });
    return name;
  }

  /** Expose `value` as a graph output called `name`. */
  output(value: string, name: string, dims: readonly (number | string)[], dataType: DataTypeCode = DataType.FLOAT) {
    if (value !== name) this.nodes.push({ op: 'Identity', inputs: [value], outputs: [name] });
    this.outputs.push({ name, dataType, dims });
  }

  /** A float32 constant of the given shape (a number gives a scalar). */
  floats(data: Float32Array | number, dims: readonly number[] = []): string {
    const name = this.fresh('c');
    const arr = typeof data === 'number' ? Float32Array.of(data) : data;
    this.initializers.push({ name, dataType: DataType.FLOAT, dims, data: arr });
    return name;
  }

  /** An int64 vector constant (shapes, axes, pads, slice bounds). */
  ints(values: readonly number[]): string {
    const name = this.fresh('i');
    this.initializers.push({ name, dataType: DataType.INT64, dims: [values.length], data: BigInt64Array.from(values, BigInt) });
    return name;
  }

  /** An int64 constant of any shape (gather indices). */
  intsShaped(values: readonly number[], dims: readonly number[]): string {
    const name = this.fresh('i');
    this.initializers.push({ name, dataType: DataType.INT64, dims, data: BigInt64Array.from(values, BigInt) });
    return name;
  }

  /**
   * Add a node with one output. Empty-string inputs mark omitted optional inputs; `domain`
   * names a non-standard operator set (proto.ts MS_DOMAIN).
   */
  op(op: string, inputs: readonly string[], attrs?: Record<string, AttrValue>, domain?: string): string {
    const out = this.fresh(op.toLowerCase());
    this.nodes.push({ op, inputs, outputs: [out], attrs, ...(domain ? { domain } : {}) });
    return out;
  }

  /** Add a node with `count` outputs (e.g. MaxPool's values and indices); returns their names. */
  opOutputs(op: string, inputs: readonly string[], count: number, attrs?: Record<string, AttrValue>): string[] {
    const outs = Array.from({ length: count }, () => this.fresh(op.toLowerCase()));
    this.nodes.push({ op, inputs, outputs: outs, attrs });
    return outs;
  }

  /** The finished graph, as data. */
  spec(): GraphSpec {
    return { name: this.name, nodes: this.nodes, inputs: this.inputs, outputs: this.outputs, initializers: this.initializers };
  }

  /** The finished graph as ONNX model bytes. */
  encode(): Uint8Array {
    return encodeModel(this.spec());
  }
}
