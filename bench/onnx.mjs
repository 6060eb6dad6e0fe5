// A tiny ONNX ModelProto writer (protobuf by hand) for the library comparison:
// a single Conv, or a whole ConvLens graph of conv/batchnorm/relu/pool/add/gap/
// flatten/linear layers. Only what bench/compare.bench.mjs needs.
//
// Field numbers are from onnx.proto (ModelProto, GraphProto, NodeProto,
// AttributeProto, TensorProto, ValueInfoProto, TypeProto, TensorShapeProto).

const FLOAT = 1;

class Writer {
  constructor() {
    this.bytes = [];
  }
  varint(value) {
    let v = BigInt(value);
    if (v < 0n) v += 1n << 64n;
    while (v >= 0x80n) {
      this.bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.bytes.push(Number(v));
    return this;
  }
  tag(field, wire) {
    return this.varint((field << 3) | wire);
  }
  int(field, value) {
    return this.tag(field, 0).varint(value);
  }
  bytesField(field, data) {
    this.tag(field, 2).varint(data.length);
    for (const b of data) this.bytes.push(b);
    return this;
  }
  string(field, s) {
    return this.bytesField(field, new TextEncoder().encode(s));
  }
  message(field, build) {
    const inner = new Writer();
    build(inner);
    return this.bytesField(field, inner.bytes);
  }
  done() {
    return Uint8Array.from(this.bytes);
  }
}

function attribute(w, name, value) {
  w.message(5, (a) => {
    a.string(1, name);
    if (Array.isArray(value)) {
      for (const v of value) a.int(8, v);
      a.int(20, 7); // INTS
    } else {
      a.int(3, value);
      a.int(20, 2); // INT
    }
  });
}

function valueInfo(w, field, name, shape) {
  w.message(field, (v) => {
    v.string(1, name);
    v.message(2, (t) =>
      t.message(1, (tt) => {
        tt.int(1, FLOAT);
        tt.message(2, (s) => {
          for (const d of shape) s.message(1, (dim) => dim.int(1, d));
        });
      }),
    );
  });
}

function initializer(w, name, shape, data) {
  w.message(5, (t) => {
    for (const d of shape) t.int(1, d);
    t.int(2, FLOAT);
    t.string(8, name);
    t.bytesField(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  });
}

/**
 * Builds a model from nodes `{ op, inputs, outputs, attrs }` and initializers
 * `{ name, shape, data: Float32Array }`, with one float input and output.
 */
export function onnxModel({ input, output, nodes, initializers }) {
  const w = new Writer();
  w.int(1, 8); // ir_version
  w.string(2, 'convlens-bench');
  w.message(7, (g) => {
    for (const n of nodes) {
      g.message(1, (node) => {
        for (const i of n.inputs) node.string(1, i);
        for (const o of n.outputs) node.string(2, o);
        node.string(4, n.op);
        for (const [k, v] of Object.entries(n.attrs ?? {})) attribute(node, k, v);
      });
    }
    g.string(2, 'graph');
    for (const t of initializers) initializer(g, t.name, t.shape, t.data);
    valueInfo(g, 11, input.name, input.shape);
    valueInfo(g, 12, output.name, output.shape);
  });
  w.message(8, (o) => {
    o.string(1, '');
    o.int(2, 13);
  });
  return w.done();
}

/** One Conv: X [1, C, H, W] → Y, weights W [Co, C/g, k, k] and bias B. */
export function convModel({ c, h, w: width, co, k, s, p, g }, weight, bias, outShape) {
  return onnxModel({
    input: { name: 'X', shape: [1, c, h, width] },
    output: { name: 'Y', shape: [1, ...outShape] },
    nodes: [{ op: 'Conv', inputs: ['X', 'W', 'B'], outputs: ['Y'], attrs: { kernel_shape: [k, k], strides: [s, s], pads: [p, p, p, p], dilations: [1, 1], group: g } }],
    initializers: [
      { name: 'W', shape: [co, c / g, k, k], data: weight },
      { name: 'B', shape: [co], data: bias },
    ],
  });
}

/**
 * A ConvLens graph (layers with kind/args/inputs and their parameters from
 * `params(layer, role)`) as ONNX. Supports what ResNet-18 uses.
 */
export function graphModel(graph, params) {
  const nodes = [];
  const initializers = [];
  const out = (id) => (id < 0 ? 'input' : `t${id}`);
  for (const layer of graph.layers) {
    const x = layer.inputs.map(out);
    const y = [out(layer.id)];
    const pair = (v) => (Array.isArray(v) ? v : [v, v]);
    switch (layer.kind) {
      case 'conv': {
        const weight = params(layer, 'weight');
        initializers.push({ name: `${layer.name}.weight`, shape: weight.shape, data: weight.data });
        const inputs = [x[0], `${layer.name}.weight`];
        if (layer.args.bias !== false) {
          const bias = params(layer, 'bias');
          initializers.push({ name: `${layer.name}.bias`, shape: bias.shape, data: bias.data });
          inputs.push(`${layer.name}.bias`);
        }
        const p = layer.args.padding ?? 0;
        nodes.push({ op: 'Conv', inputs, outputs: y, attrs: { kernel_shape: pair(layer.args.k), strides: pair(layer.args.stride ?? 1), pads: [...pair(p), ...pair(p)], dilations: pair(layer.args.dilation ?? 1), group: layer.args.groups ?? 1 } });
        break;
      }
      case 'batchnorm': {
        const names = ['weight', 'bias', 'running_mean', 'running_var'].map((role) => {
          const t = params(layer, role);
          initializers.push({ name: `${layer.name}.${role}`, shape: t.shape, data: t.data });
          return `${layer.name}.${role}`;
        });
        nodes.push({ op: 'BatchNormalization', inputs: [x[0], ...names], outputs: y, attrs: {} });
        break;
      }
      case 'relu':
        nodes.push({ op: 'Relu', inputs: x, outputs: y });
        break;
      case 'maxpool': {
        const p = layer.args.padding ?? 0;
        nodes.push({ op: 'MaxPool', inputs: x, outputs: y, attrs: { kernel_shape: pair(layer.args.k), strides: pair(layer.args.stride ?? layer.args.k), pads: [...pair(p), ...pair(p)] } });
        break;
      }
      case 'add':
        nodes.push({ op: 'Add', inputs: x, outputs: y });
        break;
      case 'gap':
        nodes.push({ op: 'GlobalAveragePool', inputs: x, outputs: y });
        break;
      case 'flatten':
        nodes.push({ op: 'Flatten', inputs: x, outputs: y, attrs: { axis: 1 } });
        break;
      case 'linear': {
        const weight = params(layer, 'weight');
        const bias = params(layer, 'bias');
        initializers.push({ name: `${layer.name}.weight`, shape: weight.shape, data: weight.data }, { name: `${layer.name}.bias`, shape: bias.shape, data: bias.data });
        nodes.push({ op: 'Gemm', inputs: [x[0], `${layer.name}.weight`, `${layer.name}.bias`], outputs: y, attrs: { transB: 1 } });
        break;
      }
      default:
        throw new Error(`onnx export: unsupported layer kind ${layer.kind}`);
    }
  }
  const last = graph.layers[graph.layers.length - 1];
  return onnxModel({
    input: { name: 'input', shape: [1, ...graph.inputShape] },
    output: { name: out(last.id), shape: [1, ...last.outputShape] },
    nodes,
    initializers,
  });
}
