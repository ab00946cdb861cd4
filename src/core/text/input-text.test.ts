import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { charCount, cleanInputText } from "./input-text.ts";

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// eslint-disable-next-line no-control-regex
const HAS_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** Any text, with control characters (C0 but CR, DEL, C1) sprinkled in. */
const withControls = fc
  .array(
    fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 8 }),
      fc.integer({ min: 0, max: 0x9f }).map((c) => String.fromCharCode(c)),
    ),
    { maxLength: 20 },
  )
  .map((parts) => parts.join("").replace(/\r/g, ""));

describe("cleanInputText", () => {
  test("drops control characters, keeps tab, newline and everything else", () => {
    assert.equal(cleanInputText("a\u0000b\u0007c\u001bd\u007fe\u0085f\u009fg"), "abcdefg");
    assert.equal(cleanInputText("one\ttwo\nthree"), "one\ttwo\nthree");
    assert.equal(cleanInputText("Ünïcødé 😀 𠀀 עִבְרִית"), "Ünïcødé 😀 𠀀 עִבְרִית");
    assert.equal(cleanInputText("zero\u200dwidth joiner 👩‍👩‍👧"), "zero\u200dwidth joiner 👩‍👩‍👧");
  });

  test("CR LF and a lone CR become LF", () => {
    assert.equal(cleanInputText("one\r\ntwo\rthree\n\r\nfour"), "one\ntwo\nthree\n\nfour");
  });

  test("drops lone surrogates, keeps pairs", () => {
    assert.equal(cleanInputText("a\ud800b\udc00c😀"), "abc😀");
    assert.equal(cleanInputText("\udc00\ud83d\ude00\ud83d"), "😀");
  });

  test("property: text with control characters comes back as the same text without them", () => {
    fc.assert(
      fc.property(withControls, (text) => {
        const cleaned = cleanInputText(text);
        assert.equal(cleaned, text.replace(CONTROL, ""));
        assert.equal(cleanInputText(cleaned), cleaned);
      }),
      { numRuns: 500 },
    );
  });

  test("property: text without control characters is returned untouched", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 40 }), (text) => {
        fc.pre(!HAS_CONTROL.test(text));
        assert.equal(cleanInputText(text), text);
      }),
    );
  });
});

/** Any code points, lone surrogates included. */
const codePoints = fc
  .array(fc.integer({ min: 0, max: 0x10ffff }), { maxLength: 40 })
  .map((cps) => String.fromCodePoint(...cps));

describe("charCount", () => {
  test("counts code points, as a reader counts characters", () => {
    assert.equal(charCount(""), 0);
    assert.equal(charCount("abc"), 3);
    assert.equal(charCount("😀😀"), 2);
    assert.equal(charCount("𠀀x"), 2);
    assert.equal(charCount("\ud800"), 1);
  });

  test("property: equals the length of the string's code points", () => {
    fc.assert(
      fc.property(codePoints, (text) => {
        assert.equal(charCount(text), [...text].length);
      }),
    );
  });
});
