import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { SanitizedHtml } from "../text/sanitize.ts";
import { GUEST } from "../viewer.ts";
import { PageBytes } from "./page-bytes.ts";
import { page, renderPage } from "./render.tsx";
import { BuiltHtmlIn, UserHtml, type BuiltHtml } from "./trusted-html.tsx";

const ctx = () => ({
  viewer: GUEST,
  csrfToken: "t",
  path: "/",
  assetUrl: (n: string) => `/a/${n}`,
});

describe("PageBytes", () => {
  it("puts each fragment's bytes where its marker was, in order", () => {
    const text = fc.string({ unit: fc.constantFrom("a", "<", "é", "♥", "日", "\u0000", "-->") });
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text), { maxLength: 5 }), text, (pieces, last) => {
        const bytes = new PageBytes();
        let page = "";
        let expected = "";
        for (const [before, kept] of pieces) {
          page += before + bytes.add(Buffer.from(kept, "utf8"));
          expected += before + kept;
        }
        const sent = bytes.join(page + last);
        const out = typeof sent === "string" ? sent : sent.toString("utf8");
        assert.equal(out, expected + last);
        assert.equal(
          typeof sent === "string",
          pieces.length === 0,
          "a string only without fragments",
        );
      }),
    );
  });

  it("refuses a page whose markers do not match its fragments", () => {
    const bytes = new PageBytes();
    bytes.add(Buffer.from("kept"));
    assert.throws(() => bytes.join("no marker"), /0 markers rendered for 1 fragments/);
  });
});

describe("renderPage with kept bytes", () => {
  it("sends the same page as rendering the text would", () => {
    const chapter = "<p>Mark’s POV is <b>bold</b> — Lexie’s is plain ♥</p>" as SanitizedHtml;
    const options = "<option>العربية</option><option>日本語</option>" as BuiltHtml;
    const body = (kept: boolean) => (
      <div>
        <p>Before “it”</p>
        <UserHtml html={chapter} utf8={kept ? Buffer.from(chapter) : undefined} />
        <BuiltHtmlIn as="select" html={options} utf8={kept ? Buffer.from(options) : undefined} />
        <p>After</p>
      </div>
    );
    const asText = renderPage(page("Title é", body(false)), ctx());
    const asBytes = renderPage(page("Title é", body(true)), ctx());
    assert.equal(typeof asText, "string");
    assert.ok(Buffer.isBuffer(asBytes));
    assert.equal(asBytes.toString("utf8"), asText);
    assert.ok((asText as string).includes(chapter) && (asText as string).includes(options));
  });
});
