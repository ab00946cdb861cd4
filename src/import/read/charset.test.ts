import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ImportError } from "../types.ts";
import { declaredCharset, decodeText } from "./charset.ts";

const latin1 = (text: string) => Uint8Array.from([...text].map((c) => c.charCodeAt(0)));
const utf16 = (text: string, le: boolean) => {
  const out = [le ? 0xff : 0xfe, le ? 0xfe : 0xff];
  for (const c of text) {
    const code = c.charCodeAt(0);
    out.push(...(le ? [code & 0xff, code >> 8] : [code >> 8, code & 0xff]));
  }
  return Uint8Array.from(out);
};

describe("decodeText", () => {
  test("a byte-order mark decides, and is not part of the text", () => {
    const utf8 = decodeText(Uint8Array.from([0xef, 0xbb, 0xbf, ...Buffer.from("Café")]), {
      html: false,
    });
    assert.deepEqual(utf8, { text: "Café", encoding: { name: "utf-8", source: "bom" } });
    const le = decodeText(utf16("Lexie’s", true), { html: false });
    assert.deepEqual(le, { text: "Lexie’s", encoding: { name: "utf-16le", source: "bom" } });
    const be = decodeText(utf16("Mark—", false), { html: false });
    assert.deepEqual(be, { text: "Mark—", encoding: { name: "utf-16be", source: "bom" } });
  });

  test("HTML's <meta charset>, http-equiv and XML declaration are honoured; text files ignore them", () => {
    const body = "<p>d\xe9j\xe0 vu \x93quoted\x94</p>";
    const meta = latin1(`<html><head><meta charset="iso-8859-1"></head><body>${body}`);
    const decoded = decodeText(meta, { html: true });
    // ISO-8859-1 is read as windows-1252 (WHATWG), so 0x93/0x94 are curly quotes.
    assert.match(decoded.text, /déjà vu “quoted”/);
    assert.deepEqual(decoded.encoding, { name: "windows-1252", source: "meta" });

    const equiv = latin1(
      `<HTML><HEAD><META http-equiv="Content-Type" content="text/html; charset=windows-1251"></HEAD>\xc0`,
    );
    assert.deepEqual(decodeText(equiv, { html: true }).encoding, {
      name: "windows-1251",
      source: "meta",
    });
    assert.match(decodeText(equiv, { html: true }).text, /А$/); // Cyrillic A

    assert.equal(
      declaredCharset(latin1(`<?xml version="1.0" encoding="ISO-8859-15"?><html>`)),
      "ISO-8859-15",
    );
    // ASCII bytes cannot be UTF-16: WHATWG reads a file that says so as UTF-8.
    assert.equal(declaredCharset(latin1(`<meta charset="utf-16">`)), "utf-8");
    // In a text file, a meta tag is just text.
    assert.equal(decodeText(meta, { html: false }).encoding.source, "detected");
  });

  test("valid UTF-8 wins over guessing; Latin-1 bytes are detected as windows-1252", () => {
    assert.deepEqual(decodeText(Buffer.from("naïve café — “ok”"), { html: false }), {
      text: "naïve café — “ok”",
      encoding: { name: "utf-8", source: "utf-8" },
    });
    const prose = latin1(
      "It was a d\xe9nouement, a fianc\xe9 and a p\xe2t\xe9, said the employ\xe9 in \x93quotes\x94 \x97 and it cost \xa35. ".repeat(
        20,
      ),
    );
    const guessed = decodeText(prose, { html: false });
    assert.equal(guessed.encoding.source, "detected");
    assert.equal(guessed.encoding.name, "windows-1252");
    assert.match(
      guessed.text,
      /dénouement, a fiancé and a pâté, said the employé in “quotes” — and it cost £5/,
    );
  });

  test("a chosen charset overrides everything; an unknown one is a 422 naming the field", () => {
    const bytes = Buffer.from("Caf\xc3\xa9", "latin1"); // "Café" in UTF-8
    assert.deepEqual(decodeText(bytes, { html: false, chosen: "latin1" }), {
      text: "CafÃ©",
      encoding: { name: "windows-1252", source: "chosen" },
    });
    assert.throws(
      () => decodeText(bytes, { html: false, chosen: "klingon-8" }),
      (err: unknown) =>
        err instanceof ImportError && err.status === 422 && /^encoding:/.test(err.message),
    );
  });
});
