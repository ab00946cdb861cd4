import assert from "node:assert/strict";
import { test } from "node:test";
import { csvCell, toCsv } from "./csv.ts";

test("plain cells pass through; numbers are written as they are", () => {
  assert.equal(csvCell("A Study in Fog"), "A Study in Fog");
  assert.equal(csvCell(1234), "1234");
  assert.equal(csvCell(""), "");
});

test("quotes, commas and line breaks are quoted, inner quotes doubled", () => {
  assert.equal(csvCell('She said "hi"'), '"She said ""hi"""');
  assert.equal(csvCell("Fog, Lamps"), '"Fog, Lamps"');
  assert.equal(csvCell("two\nlines"), '"two\nlines"');
  assert.equal(csvCell("cr\rhere"), '"cr\rhere"');
});

test("text that a spreadsheet would run as a formula gets a leading apostrophe", () => {
  assert.equal(csvCell("=1+1"), "'=1+1");
  assert.equal(csvCell("+1"), "'+1");
  assert.equal(csvCell("-2+3"), "'-2+3");
  assert.equal(csvCell("@SUM(A1)"), "'@SUM(A1)");
  assert.equal(csvCell("\tTabbed"), "'\tTabbed");
  // Neutralised and quoted together: the apostrophe sits inside the quotes.
  assert.equal(csvCell('=HYPERLINK("http://x","y")'), `"'=HYPERLINK(""http://x"",""y"")"`);
  // Only a leading character matters, and our own numbers are never touched.
  assert.equal(csvCell("a=b"), "a=b");
  assert.equal(csvCell(-5), "-5");
});

test("a file is a BOM, a header and CRLF-terminated rows", () => {
  const text = toCsv(
    ["id", "title"],
    [
      [1, "One"],
      [2, "Two, too"],
    ],
  );
  assert.equal(text, '\uFEFFid,title\r\n1,One\r\n2,"Two, too"\r\n');
  assert.equal(toCsv(["a"], []), "\uFEFFa\r\n");
});
