// What the tests of the layer definitions share.
import { analyze } from '../../../src/language/analyze';

/** Runs one layer line on an input and returns the layer's figures and the diagnostic codes. */
export function layer(input: string, line: string) {
  const a = analyze(`model M {\n  input x: ${input}\n  ${line}\n}\n`);
  const l = a.layers.at(-1);
  return { shape: l?.outputShape, shapes: l?.outputShapes, params: l?.params, macs: l?.macs, codes: a.diagnostics.map((d) => d.code), messages: a.diagnostics.map((d) => d.message) };
}
