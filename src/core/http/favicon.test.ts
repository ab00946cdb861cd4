import assert from "node:assert/strict";
import { test } from "node:test";
import { faviconIco, faviconPixel } from "./favicon.ts";

test("the icon is a folded page: transparent outside, paper inside, ink at the fold", () => {
  assert.equal(faviconPixel(0, 0)[3], 0); // outside the page
  assert.equal(faviconPixel(30, 3)[3], 0); // the corner folded away
  assert.deepEqual(faviconPixel(10, 8), [0xfd, 0xfd, 0xfb, 255]); // the page
  assert.deepEqual(faviconPixel(24, 7), [0x8a, 0x1c, 0x1c, 255]); // the fold
  assert.deepEqual(faviconPixel(6, 20), [0x8a, 0x1c, 0x1c, 255]); // the outline
});

test("the ICO holds one 32×32 32-bit image whose AND mask marks the transparent pixels", () => {
  const ico = faviconIco();
  assert.equal(ico.readUInt16LE(2), 1);
  assert.equal(ico.readUInt16LE(4), 1);
  assert.equal(ico.readUInt16LE(12), 32); // bits per pixel
  const offset = ico.readUInt32LE(18);
  assert.equal(ico.readUInt32LE(offset), 40); // BITMAPINFOHEADER
  assert.equal(ico.readInt32LE(offset + 8), 64); // height counts the mask
  const pixels = offset + 40;
  const mask = pixels + 32 * 32 * 4;
  // Rows are stored bottom-up: file row 31 is the icon's top row (y = 0).
  const top = pixels + 31 * 32 * 4;
  assert.equal(ico[top + 3], 0); // (0, 0) transparent
  assert.equal(ico[mask + 31 * 4]! & 0x80, 0x80);
  const at = (x: number, y: number) => pixels + ((31 - y) * 32 + x) * 4;
  assert.deepEqual([...ico.subarray(at(24, 7), at(24, 7) + 4)], [0x1c, 0x1c, 0x8a, 255]); // BGRA
});
