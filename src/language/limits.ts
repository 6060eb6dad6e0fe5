/** Explicit bounds, so no input can make analysis run away. */
export const LIMITS = {
  /** Layers after expanding blocks and repeats. */
  maxLayers: 200_000,
  /** A single `repeat` count. */
  maxRepeat: 10_000,
  /** Nested block calls. */
  maxCallDepth: 64,
  /** Elements in one tensor (2^31, beyond which no framework would allocate it anyway). */
  maxElements: 2 ** 31,
  /** Statements executed, counting every repeat iteration: bounds work that emits no layers. */
  maxSteps: 2_000_000,
  /** Expansions of one block call site recorded in `CallSummary.firstExpansions`. */
  expansionsRecorded: 16,
} as const;
