// Static int8 quantization of a float32 CNN of Conv/Relu/Add/MaxPool blocks (the Keras ResNet50) in QDQ form:
// activations uint8 per tensor (ranges measured by calibrate.ts), weights int8 symmetric per output channel, biases
// int32 at input scale × weight scale. onnxruntime fuses each DQ → op → Q group into QLinearConv / QLinearAdd at load
// time. A Relu that is the only consumer of a Conv or Add is dropped: its output's range starts at 0, so the Q's
// zero point 0 clamps negatives exactly as the Relu did. Pure and deterministic: same model + same ranges → same bytes.
import { DT, decodeModel, dimsOf, encodeModel, floats, graphOf, node, onnx, tensor, type Node, type Tensor } from './onnx.ts';

export type Ranges = Record<string, [number, number]>;

/** What calibration measured: each activation's [min, max], and the per-channel means of the Conv inputs. */
export interface Calibrated {
  ranges: Ranges;
  /** When present, each Conv's bias absorbs the mean shift its weight rounding causes (bias correction). */
  means?: Record<string, number[]>;
}

interface QParams {
  scale: number;
  zp: number;
}

/** uint8 asymmetric parameters for [lo, hi], widened to contain 0 so that zero (padding) is exact. */
export function activationParams([lo, hi]: [number, number]): QParams {
  const a = Math.min(lo, 0);
  const b = Math.max(hi, 0);
  const scale = Math.fround(b > a ? (b - a) / 255 : 1);
  return { scale, zp: Math.min(255, Math.max(0, Math.round(-a / scale))) };
}

/** int8 symmetric per-output-channel weights ([-127, 127], zero point 0). */
export function quantizeWeights(w: Float32Array, channels: number): { q: Int8Array; scales: Float32Array } {
  const per = w.length / channels;
  const q = new Int8Array(w.length);
  const scales = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    let amax = 0;
    for (let i = c * per; i < (c + 1) * per; i++) amax = Math.max(amax, Math.abs(w[i]));
    scales[c] = amax > 0 ? amax / 127 : 1;
    const s = scales[c];
    for (let i = c * per; i < (c + 1) * per; i++) q[i] = Math.max(-127, Math.min(127, Math.round(w[i] / s)));
  }
  return { q, scales };
}

/**
 * Rounding the weights shifts each output channel's mean by Σ (w_q − w) · E[x] over its inputs; subtracting that
 * from the bias removes the shift (Nagel et al. 2019, "Data-free quantization", bias correction). E[x] per input
 * channel comes from calibration (the border zeros of padded convs are ignored: a small second-order error).
 */
function biasCorrected(bias: Float32Array, w: Float32Array, q: Int8Array, scales: Float32Array, dims: number[], mean?: number[]): Float32Array {
  if (!mean) return bias;
  const [out, inC] = dims;
  if (mean.length !== inC) throw new Error(`bias correction: ${mean.length} channel means for a conv with ${inC} input channels`);
  const per = w.length / out;
  const k = per / inC;
  const b = Float32Array.from(bias);
  for (let o = 0; o < out; o++) {
    let shift = 0;
    for (let i = 0; i < per; i++) shift += (q[o * per + i] * scales[o] - w[o * per + i]) * mean[Math.floor(i / k)];
    b[o] -= shift;
  }
  return b;
}

export interface QdqInfo {
  /** Metadata written into the model (source file, ranges) so a file says where it came from. */
  metadata: Record<string, string>;
  /**
   * Keep the residual stream (each Add, its Relu and the shortcut) in float: only the Conv inputs are quantized, so
   * the stream is not rounded to 8 bits again at every block (16 times in ResNet50). Costs float Adds; see README.
   */
  floatResidual?: boolean;
}

export function quantizeQdq(fp32: Uint8Array, { ranges, means }: Calibrated, info: QdqInfo): Uint8Array {
  const model = decodeModel(fp32);
  const g = graphOf(model);
  const inits = new Map(g.initializer.map((t) => [t.name, t]));
  const consumers = new Map<string, Node[]>();
  for (const n of g.node) for (const i of n.input) consumers.set(i, [...(consumers.get(i) ?? []), n]);
  const graphOutputs = new Set(g.output.map((o) => o.name));

  const nodes: Node[] = [];
  const newInits: Tensor[] = [];
  const quantized = new Map<string, QParams>();
  const floatAvailable = new Set(g.input.map((i) => i.name));
  const dropped = new Set<Node>();
  let dqCount = 0;

  const params = (name: string): QParams => {
    const r = ranges[name];
    if (!r || r.length !== 2 || !r.every(Number.isFinite)) throw new Error(`no calibrated range for tensor '${name}' (run the calibration again)`);
    return activationParams(r);
  };
  const addQParams = (name: string, p: QParams) => {
    newInits.push(tensor(`${name}__scale`, DT.FLOAT, [], new Float32Array([p.scale])), tensor(`${name}__zp`, DT.UINT8, [], new Uint8Array([p.zp])));
  };
  const quantize = (floatName: string, name: string, p: QParams) => {
    addQParams(name, p);
    nodes.push(node('QuantizeLinear', [floatName, `${name}__scale`, `${name}__zp`], [`${name}__q`], `${name}__Q`));
    quantized.set(name, p);
  };
  const dequantize = (name: string): string => {
    if (!quantized.has(name)) throw new Error(`tensor '${name}' is not quantized where it is used`);
    const out = `${name}__dq${dqCount++}`;
    nodes.push(node('DequantizeLinear', [`${name}__q`, `${name}__scale`, `${name}__zp`], [out], `${out}__DQ`));
    return out;
  };
  const asFloat = (name: string): string => (floatAvailable.has(name) ? name : dequantize(name));
  /** A Conv's input: quantized where it was produced, or here (once) when it comes from the float stream. */
  const ensureQuantized = (name: string) => {
    if (!quantized.has(name) && floatAvailable.has(name)) quantize(name, name, params(name));
  };
  /** A Conv or Add whose only consumer is a Relu that is not itself a graph output: the Relu is folded into the Q. */
  const fusedOutput = (n: Node): string => {
    const out = n.output[0];
    const next = consumers.get(out) ?? [];
    if (n.opType === 'Add' && info.floatResidual) return out;
    if (next.length === 1 && next[0].opType === 'Relu' && !graphOutputs.has(out)) {
      dropped.add(next[0]);
      return next[0].output[0];
    }
    return out;
  };

  const input = g.input[0].name;
  quantize(input, input, params(input));

  for (const n of g.node) {
    if (dropped.has(n)) continue;
    const where = `${n.opType} node '${n.name}'`;
    if (n.opType === 'Conv') {
      const [x, wName, bName] = n.input;
      const w = inits.get(wName);
      if (!w) throw new Error(`${where}: weight '${wName}' is not an initializer`);
      const dims = dimsOf(w);
      const { q, scales } = quantizeWeights(floats(w), dims[0]);
      ensureQuantized(x);
      const xs = quantized.get(x)?.scale;
      if (xs === undefined) throw new Error(`${where}: input '${x}' is not quantized`);
      newInits.push(
        tensor(`${wName}__q`, DT.INT8, dims, q),
        tensor(`${wName}__scale`, DT.FLOAT, [dims[0]], scales),
        tensor(`${wName}__zp`, DT.INT8, [dims[0]], new Int8Array(dims[0])),
      );
      const wdq = `${wName}__dq`;
      nodes.push(node('DequantizeLinear', [`${wName}__q`, `${wName}__scale`, `${wName}__zp`], [wdq], `${wdq}__DQ`, { axis: 0 }));
      const convInputs = [dequantize(x), wdq];
      if (bName) {
        const b = inits.get(bName);
        if (!b) throw new Error(`${where}: bias '${bName}' is not an initializer`);
        const bf = biasCorrected(floats(b), floats(w), q, scales, dims, means?.[x]);
        const bs = scales.map((s) => Math.fround(xs * s));
        const bq = Int32Array.from(bf, (v, c) => Math.max(-2147483647, Math.min(2147483647, Math.round(v / bs[c]))));
        newInits.push(
          tensor(`${bName}__q`, DT.INT32, [bq.length], bq),
          tensor(`${bName}__scale`, DT.FLOAT, [bq.length], bs),
          tensor(`${bName}__zp`, DT.INT32, [bq.length], new Int32Array(bq.length)),
        );
        nodes.push(node('DequantizeLinear', [`${bName}__q`, `${bName}__scale`, `${bName}__zp`], [`${bName}__dq`], `${bName}__DQ`, { axis: 0 }));
        convInputs.push(`${bName}__dq`);
      }
      const out = fusedOutput(n);
      nodes.push(onnx.NodeProto.create({ ...n, input: convInputs, output: [`${out}__f`] }));
      quantize(`${out}__f`, out, params(out));
    } else if (n.opType === 'Add' && info.floatResidual) {
      nodes.push(onnx.NodeProto.create({ ...n, input: n.input.map(asFloat) }));
      floatAvailable.add(n.output[0]);
    } else if (n.opType === 'Relu') {
      // Only a Relu that could not be folded (after a float Add) gets here.
      nodes.push(onnx.NodeProto.create({ ...n, input: n.input.map(asFloat) }));
      floatAvailable.add(n.output[0]);
    } else if (n.opType === 'Add') {
      const ins = n.input.map((i) => dequantize(i));
      const out = fusedOutput(n);
      nodes.push(onnx.NodeProto.create({ ...n, input: ins, output: [`${out}__f`] }));
      quantize(`${out}__f`, out, params(out));
    } else if (n.opType === 'MaxPool') {
      // Max commutes with a monotonic quantizer: the output keeps the input's scale and zero point (uint8 MaxPool).
      const x = n.input[0];
      const out = n.output[0];
      const ins = [dequantize(x)];
      nodes.push(onnx.NodeProto.create({ ...n, input: ins, output: [`${out}__f`] }));
      quantize(`${out}__f`, out, quantized.get(x)!);
    } else if (n.opType === 'GlobalAveragePool') {
      // The embedding (`features`) stays float: an average of uint8 values would round it to 256 levels.
      nodes.push(onnx.NodeProto.create({ ...n, input: [asFloat(n.input[0])] }));
      floatAvailable.add(n.output[0]);
    } else if (['Flatten', 'Gemm', 'Softmax'].includes(n.opType)) {
      for (const i of n.input) {
        if (inits.has(i)) newInits.push(inits.get(i)!);
        else if (!floatAvailable.has(i)) throw new Error(`${where}: input '${i}' is only available quantized`);
      }
      nodes.push(n);
      for (const o of n.output) floatAvailable.add(o);
    } else {
      throw new Error(`${where}: operator ${n.opType} is not supported by this quantizer`);
    }
  }
  for (const o of g.output) if (!floatAvailable.has(o.name)) throw new Error(`graph output '${o.name}' is not produced in float`);

  const out = onnx.ModelProto.create({
    irVersion: model.irVersion,
    opsetImport: model.opsetImport,
    producerName: 'sightline scripts/quantize.ts',
    producerVersion: '1',
    metadataProps: Object.entries(info.metadata).map(([key, value]) => onnx.StringStringEntryProto.create({ key, value })),
    graph: onnx.GraphProto.create({ name: `${g.name || 'model'}_qdq`, input: g.input, output: g.output, initializer: newInits, node: nodes }),
  });
  return encodeModel(out);
}
