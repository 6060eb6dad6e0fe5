// The five reference conv layers of issue 4, shared by compare.bench.mjs and conv.bench.mjs.
export const LAYERS = [
  { name: '64×56×56 → 64, 3×3, pad 1', c: 64, h: 56, w: 56, co: 64, k: 3, s: 1, p: 1, g: 1 },
  { name: '3×224×224 → 64, 7×7, stride 2, pad 3', c: 3, h: 224, w: 224, co: 64, k: 7, s: 2, p: 3, g: 1 },
  { name: 'depthwise 144×56×56, 3×3, pad 1', c: 144, h: 56, w: 56, co: 144, k: 3, s: 1, p: 1, g: 144 },
  { name: '256×14×14 → 256, 3×3, pad 1', c: 256, h: 14, w: 14, co: 256, k: 3, s: 1, p: 1, g: 1 },
  { name: '1×1, 256 → 64 at 56×56', c: 256, h: 56, w: 56, co: 64, k: 1, s: 1, p: 0, g: 1 },
];
