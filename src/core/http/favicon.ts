/**
 * `/favicon.ico`: browsers ask for it on every site whatever the page links to, so it is served
 * (no 404 in every log) as a real ICO file. It is drawn here, pixel by pixel, as the same folded
 * page as `views/assets/favicon.svg` (which pages link to), so there is no binary in the tree.
 */

const SIZE = 32;
type Rgba = readonly [r: number, g: number, b: number, a: number];
const CLEAR: Rgba = [0, 0, 0, 0];
const INK: Rgba = [0x8a, 0x1c, 0x1c, 255]; // the header's red, as in favicon.svg
const PAPER: Rgba = [0xfd, 0xfd, 0xfb, 255];

/**
 * The colour at pixel (x, y), y down, in the SVG's 32×32 coordinates: a page from (6,2) to
 * (28,30) with a 2px outline, its top right corner folded down along x − y = 18, and three lines
 * of "text".
 */
export function faviconPixel(x: number, y: number): Rgba {
  const cx = x + 0.5;
  const cy = y + 0.5;
  const outer = cx >= 5 && cx <= 29 && cy >= 1 && cy <= 31 && cx - cy <= 18 + Math.SQRT2;
  if (!outer) return CLEAR;
  const inner = cx >= 7 && cx <= 27 && cy >= 3 && cy <= 29 && cx - cy <= 18 - Math.SQRT2;
  const fold = cx >= 19 && cy <= 11;
  const line =
    cx >= 9 &&
    ((cy >= 14 && cy < 16 && cx <= 25) ||
      (cy >= 18.5 && cy < 20.5 && cx <= 25) ||
      (cy >= 23 && cy < 25 && cx <= 20));
  return inner && !fold && !line ? PAPER : INK;
}

/** A 32×32, 32-bit ICO (one BMP image with alpha, and its AND mask for old readers). */
export function faviconIco(): Buffer {
  const rowMask = Math.ceil(SIZE / 32) * 4; // AND-mask rows are padded to 32 bits
  const pixels = SIZE * SIZE * 4;
  const mask = rowMask * SIZE;
  const image = 40 + pixels + mask;
  const out = Buffer.alloc(6 + 16 + image);
  // ICONDIR: reserved, type 1 (icon), one image.
  out.writeUInt16LE(0, 0);
  out.writeUInt16LE(1, 2);
  out.writeUInt16LE(1, 4);
  // ICONDIRENTRY: width, height, colours, reserved, planes, bits, size, offset.
  out.writeUInt8(SIZE, 6);
  out.writeUInt8(SIZE, 7);
  out.writeUInt8(0, 8);
  out.writeUInt8(0, 9);
  out.writeUInt16LE(1, 10);
  out.writeUInt16LE(32, 12);
  out.writeUInt32LE(image, 14);
  out.writeUInt32LE(22, 18);
  // BITMAPINFOHEADER; the height counts the image and its mask.
  let at = 22;
  out.writeUInt32LE(40, at);
  out.writeInt32LE(SIZE, at + 4);
  out.writeInt32LE(SIZE * 2, at + 8);
  out.writeUInt16LE(1, at + 12);
  out.writeUInt16LE(32, at + 14);
  out.writeUInt32LE(0, at + 16); // BI_RGB
  out.writeUInt32LE(pixels + mask, at + 20);
  at += 40;
  // Rows bottom-up, each pixel BGRA.
  for (let y = SIZE - 1; y >= 0; y--) {
    for (let x = 0; x < SIZE; x++) {
      const [r, g, b, a] = faviconPixel(x, y);
      out.writeUInt8(b, at);
      out.writeUInt8(g, at + 1);
      out.writeUInt8(r, at + 2);
      out.writeUInt8(a, at + 3);
      at += 4;
    }
  }
  // AND mask, bottom-up: a set bit is a transparent pixel.
  for (let y = SIZE - 1; y >= 0; y--) {
    for (let x = 0; x < SIZE; x++) {
      if (faviconPixel(x, y)[3] === 0) {
        const byte = at + (x >> 3);
        out.writeUInt8(out.readUInt8(byte) | (0x80 >> (x & 7)), byte);
      }
    }
    at += rowMask;
  }
  return out;
}
