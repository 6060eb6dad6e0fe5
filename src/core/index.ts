/** The ConvLens numeric core: tensors, window geometry and every layer kernel. Pure: no Node, no DOM. */
export * from './tensor';
export * from './geometry';
export { axisValues, paddingFromOption, resolveWindow, type PaddingOption, type PerAxis, type Geometry3 } from './kernels/window';
export * from './kernels/conv';
export * from './kernels/pool';
export * from './kernels/norm';
export * from './kernels/activation';
export * from './kernels/tensor-ops';
export * from './kernels/linear';
export * from './kernels/resize';
export * from './graph';
export * from './layer-op';
export * from './prng';
export * from './safetensors';
export * from './weights';
export * from './execute';
export * from './image';
export * from './image-header';
