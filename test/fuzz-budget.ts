/**
 * The fuzz suites' budget. `npm test` runs each fuzz suite with its bounded
 * default; `npm run fuzz` sets CONVLENS_FUZZ_SCALE to run every suite many
 * times longer. CONVLENS_FUZZ_SEED replaces a suite's default seed, so that a
 * failure found in a long run can be replayed.
 */
export function fuzzRuns(defaultRuns: number): number {
  const scale = Number(process.env.CONVLENS_FUZZ_SCALE ?? 1);
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`CONVLENS_FUZZ_SCALE must be a positive number, not ${process.env.CONVLENS_FUZZ_SCALE}`);
  return Math.max(1, Math.round(defaultRuns * scale));
}

/** The seed a fuzz suite starts from: CONVLENS_FUZZ_SEED when set, else the suite's own. */
export function fuzzSeed(defaultSeed: number): number {
  const seed = process.env.CONVLENS_FUZZ_SEED;
  return seed === undefined ? defaultSeed : Number(seed);
}
