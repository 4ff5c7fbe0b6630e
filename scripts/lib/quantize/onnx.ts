// Small helpers over onnx-proto (protobufjs classes generated from onnx.proto): read weights, make tensors and nodes.
import onnxProto from 'onnx-proto';

export const { onnx } = onnxProto;
export type Model = InstanceType<typeof onnx.ModelProto>;
export type Node = InstanceType<typeof onnx.NodeProto>;
export type Tensor = InstanceType<typeof onnx.TensorProto>;
export type ValueInfo = InstanceType<typeof onnx.ValueInfoProto>;
/** A decoded graph: protobufjs fills repeated fields with arrays and strings with '', so these fields are never null. */
export interface Graph {
  name: string;
  node: Node[];
  initializer: Tensor[];
  input: ValueInfo[];
  output: ValueInfo[];
}

export function graphOf(m: Model): Graph {
  if (!m.graph) throw new Error('the model has no graph');
  return m.graph as unknown as Graph;
}

export const DT = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6 } as const;

export function decodeModel(bytes: Uint8Array): Model {
  try {
    return onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new Error(`not an ONNX model (${(e as Error).message})`, { cause: e });
  }
}

export const encodeModel = (m: Model): Uint8Array => onnx.ModelProto.encode(m).finish();

export const dimsOf = (t: Tensor): number[] => t.dims.map((d) => Number(d));

/** An initializer's float32 values, whether stored as raw bytes or as float_data. */
export function floats(t: Tensor): Float32Array {
  if (t.dataType !== DT.FLOAT) throw new Error(`initializer ${t.name} is type ${t.dataType}, expected float32`);
  const n = dimsOf(t).reduce((a, b) => a * b, 1);
  if (t.rawData?.length) {
    if (t.rawData.length !== n * 4) throw new Error(`initializer ${t.name} has ${t.rawData.length} bytes for ${n} floats`);
    // Copy: raw_data may sit at an unaligned offset inside the file's buffer.
    return new Float32Array(Uint8Array.from(t.rawData).buffer);
  }
  if (t.floatData.length !== n) throw new Error(`initializer ${t.name} has ${t.floatData.length} values for ${n}`);
  return Float32Array.from(t.floatData);
}

/** A tensor initializer from typed data; raw_data is little-endian as ONNX requires (and as x86/ARM store it). */
export function tensor(name: string, dataType: number, dims: number[], data: Float32Array | Int8Array | Uint8Array | Int32Array): Tensor {
  return onnx.TensorProto.create({ name, dataType, dims, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
}

export function node(opType: string, inputs: string[], outputs: string[], name: string, attrs: Record<string, number | number[]> = {}): Node {
  const attribute = Object.entries(attrs).map(([k, v]) =>
    Array.isArray(v)
      ? onnx.AttributeProto.create({ name: k, type: onnx.AttributeProto.AttributeType.INTS, ints: v })
      : onnx.AttributeProto.create({ name: k, type: onnx.AttributeProto.AttributeType.INT, i: v }),
  );
  return onnx.NodeProto.create({ opType, input: inputs, output: outputs, name, attribute });
}

/** A graph output of float32 with unknown shape (enough for onnxruntime to return an intermediate tensor). */
export const floatOutput = (name: string) =>
  onnx.ValueInfoProto.create({ name, type: onnx.TypeProto.create({ tensorType: onnx.TypeProto.Tensor.create({ elemType: DT.FLOAT }) }) });
