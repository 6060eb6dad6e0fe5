// The five reference conv layers of issue 4 and their seeded inputs, shared by compare.bench.mjs and conv.bench.mjs.
export const LAYERS = [
  { name: '64×56×56 → 64, 3×3, pad 1', c: 64, h: 56, w: 56, co: 64, k: 3, s: 1, p: 1, g: 1 },
  { name: '3×224×224 → 64, 7×7, stride 2, pad 3', c: 3, h: 224, w: 224, co: 64, k: 7, s: 2, p: 3, g: 1 },
  { name: 'depthwise 144×56×56, 3×3, pad 1', c: 144, h: 56, w: 56, co: 144, k: 3, s: 1, p: 1, g: 144 },
  { name: '256×14×14 → 256, 3×3, pad 1', c: 256, h: 14, w: 14, co: 256, k: 3, s: 1, p: 1, g: 1 },
  { name: '1×1, 256 → 64 at 56×56', c: 256, h: 56, w: 56, co: 64, k: 1, s: 1, p: 0, g: 1 },
];

/** n seeded uniform values in [-0.5, 0.5) (an LCG): the same inputs and weights for every library. */
export function rand(n, seed) {
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    a[i] = s / 2 ** 32 - 0.5;
  }
  return a;
}
