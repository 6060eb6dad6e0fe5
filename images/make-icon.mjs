// Renders images/icon.png (the Marketplace icon, 128×128) from the same shapes as
// images/cnn.svg: three stacked feature maps, the front one split by a 3×3 kernel grid.
// Run: node images/make-icon.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const size = 128;
const supersample = 4;

/** Shapes in a 32×32 design space, painted back to front. */
const shapes = [
  { x: 1, y: 1, w: 30, h: 30, r: 6, fill: [30, 41, 59] },
  { x: 12, y: 5, w: 15, h: 15, r: 2, fill: [244, 114, 182] },
  { x: 9, y: 8, w: 15, h: 15, r: 2, fill: [129, 140, 248] },
  { x: 6, y: 11, w: 15, h: 15, r: 2, fill: [56, 189, 248] },
];
const gridLines = { x: 6, y: 11, w: 15, h: 15, width: 0.8, fill: [30, 41, 59] };

function insideRoundedRect(px, py, s) {
  const cx = Math.min(Math.max(px, s.x + s.r), s.x + s.w - s.r);
  const cy = Math.min(Math.max(py, s.y + s.r), s.y + s.h - s.r);
  return (px - cx) ** 2 + (py - cy) ** 2 <= s.r ** 2 && px >= s.x && px <= s.x + s.w && py >= s.y && py <= s.y + s.h;
}

function onGrid(px, py) {
  const g = gridLines;
  if (px < g.x || px > g.x + g.w || py < g.y || py > g.y + g.h) return false;
  for (const t of [1 / 3, 2 / 3]) {
    if (Math.abs(px - (g.x + t * g.w)) < g.width / 2 || Math.abs(py - (g.y + t * g.h)) < g.width / 2) return true;
  }
  return false;
}

function sample(px, py) {
  let color = null;
  for (const s of shapes) if (insideRoundedRect(px, py, s)) color = s.fill;
  if (color && onGrid(px, py)) color = gridLines.fill;
  return color;
}

const rows = [];
for (let y = 0; y < size; y++) {
  const row = Buffer.alloc(1 + size * 4);
  for (let x = 0; x < size; x++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < supersample; sy++) {
      for (let sx = 0; sx < supersample; sx++) {
        const px = ((x + (sx + 0.5) / supersample) * 32) / size;
        const py = ((y + (sy + 0.5) / supersample) * 32) / size;
        const c = sample(px, py);
        if (c) { r += c[0]; g += c[1]; b += c[2]; a += 1; }
      }
    }
    const n = supersample * supersample;
    const o = 1 + x * 4;
    if (a > 0) { row[o] = Math.round(r / a); row[o + 1] = Math.round(g / a); row[o + 2] = Math.round(b / a); }
    row[o + 3] = Math.round((255 * a) / n);
  }
  rows.push(row);
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(size, 0);
header.writeUInt32BE(size, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(Buffer.concat(rows))),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('./icon.png', import.meta.url), png);
