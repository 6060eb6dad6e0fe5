// The memory contract between the WebAssembly kernels (assembly/) and their host
// (src/core/wasm.ts). Both compile this file, AssemblyScript into the module and
// TypeScript into the host, so a byte offset or a panel width changed here changes
// on both sides at once. Plain integer constants only: the file must be valid in
// both languages (AssemblyScript reads each as an i32).

/** Rows of a packed weight (A) panel of the SIMD GEMM. */
export const MR = 4;
/** Columns of a packed column (B) panel of the SIMD GEMM: two f32x4 vectors. */
export const NR = 8;

// The conv geometry record that the host writes and `convGemm` reads (assembly/gemm.ts):
// one i32 per field, at these byte offsets. The axes are the host's Geometry3 (D, H, W).
export const GEO_IN_D = 0;
export const GEO_IN_H = 4;
export const GEO_IN_W = 8;
export const GEO_OUT_D = 12;
export const GEO_OUT_H = 16;
export const GEO_OUT_W = 20;
export const GEO_K_D = 24;
export const GEO_K_H = 28;
export const GEO_K_W = 32;
export const GEO_S_D = 36;
export const GEO_S_H = 40;
export const GEO_S_W = 44;
export const GEO_D_D = 48;
export const GEO_D_H = 52;
export const GEO_D_W = 56;
export const GEO_P_D = 60;
export const GEO_P_H = 64;
export const GEO_P_W = 68;
/** Input channels per group. */
export const GEO_C_IN = 72;
/** Size of the record. */
export const GEO_BYTES = 76;

/**
 * Columns a depthwise 3×3 scratch plane has past the padded window
 * (assembly/depthwise.ts): its vector loads read up to four values beyond.
 */
export const DEPTHWISE_EXTRA_COLUMNS = 4;
