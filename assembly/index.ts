// ConvLens's WebAssembly SIMD kernels. The host (src/core/wasm.ts) owns the memory
// layout: it grows the memory and places every buffer above heapBase().
export { packA, padInput, convGemm, gemv, sameBits } from './gemm';
export { winogradFilters, winogradInputs, winogradGemms, winogradOutputs, winogradCrop } from './winograd';

/** First byte the host may use: everything below is the module's static data. */
export function heapBase(): usize {
  return __heap_base;
}
export { depthwise3x3 } from './depthwise';
export { phaseSplit, phaseInputs, phaseGemms, phaseOutputs } from './phase';
