import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { renderToString } from "preact-render-to-string";
import { RenderCtx, type RenderContext } from "../../core/views/context.ts";
import type { SanitizedHtml } from "../../core/text/sanitize.ts";
import { ANONYMOUS, type WorkView } from "../present.ts";
import { PageBytes } from "../../core/views/page-bytes.ts";
import { blurbHtml, blurbsHtml, keepBlurbParts, type BlurbPartsHolder } from "./blurb-html.ts";
import { WorkBlurb } from "./blurb.tsx";

const ctx: RenderContext = {
  viewer: { user: null } as unknown as RenderContext["viewer"],
  csrfToken: "t",
  path: "/",
  assetUrl: (name) => `/assets/${name}?v="1"&x`,
};

const rendered = (work: WorkView) =>
  renderToString(
    <RenderCtx.Provider value={ctx}>
      <WorkBlurb work={work} />
    </RenderCtx.Provider>,
  );

const base: WorkView = {
  id: 7,
  url: "/works/7",
  title: "A <Title> & \"quotes\" 'too'",
  creators: [{ name: "alice", url: "/users/alice/pseuds/alice" }],
  creatorUserIds: [1],
  rating: { name: "Explicit", url: "/tags/Explicit/works" },
  warnings: [{ name: "No Archive Warnings Apply", url: "/tags/No%20Archive/works" }],
  categories: [{ name: "F/M", url: "/tags/F*s*M/works" }],
  fandoms: [
    { name: "Fandom & Co", url: "/tags/Fandom%20&%20Co/works" },
    { name: "Other", url: "/tags/Other/works" },
  ],
  relationships: [{ name: "A/B", url: "/tags/A*s*B/works" }],
  characters: [{ name: "A", url: "/tags/A/works" }],
  freeforms: [
    { name: "Fluff", url: "/tags/Fluff/works" },
    { name: "<script>", url: "/tags/%3Cscript%3E/works" },
  ],
  language: { code: "en", name: "English" },
  summaryHtml: "<p>Summary &amp; more</p>" as SanitizedHtml,
  notesHtml: "" as SanitizedHtml,
  endNotesHtml: "" as SanitizedHtml,
  published: "2026-01-02",
  status: null,
  words: "1,234",
  chapters: "1/1",
  chapterCount: 1,
  complete: true,
  restricted: false,
  draft: false,
  hiddenReason: null,
  anonymous: false,
  unrevealed: false,
  gated: false,
  canEdit: false,
};

describe("blurbHtml", () => {
  it("builds what WorkBlurb renders, in every shape a blurb takes", () => {
    const shapes: WorkView[] = [
      base,
      { ...base, summaryHtml: "" as SanitizedHtml, warnings: [], freeforms: [] },
      {
        ...base,
        creators: [ANONYMOUS],
        restricted: true,
        draft: true,
        complete: false,
        status: { label: "Updated", date: "2026-02-03" },
        rating: { name: "Unknown rating", url: "/tags/X/works" },
      },
      {
        ...base,
        creators: [
          { name: "b (bob)", url: "/users/bob/pseuds/b" },
          { name: "carol", url: "/users/carol/pseuds/carol" },
        ],
        gifts: [
          { name: "dave", url: "/users/dave/pseuds/dave/gifts" },
          { name: "Someone & Else", url: null },
        ],
        series: [
          { url: "/series/3", title: "Series <one>", position: 2 },
          { url: "/series/4", title: "Two", position: 11 },
        ],
        counts: { kudos: 1200, comments: 3, bookmarks: 1, hits: 123456 },
      },
      { ...base, gifts: [], series: [], counts: { kudos: 0, comments: 0, bookmarks: 0, hits: 0 } },
    ];
    for (const work of shapes)
      assert.equal(blurbHtml(work, ctx.assetUrl("lock.svg")), rendered(work));
  });

  it("escapes any text as the renderer does", () => {
    const text = fc.string({ unit: fc.constantFrom("a", " ", "&", "<", ">", '"', "'", "é", "·") });
    fc.assert(
      fc.property(text, text, text, (title, name, tag) => {
        const work: WorkView = {
          ...base,
          title,
          creators: [{ name, url: `/users/${name}` }],
          freeforms: [{ name: tag, url: `/tags/${tag}/works` }],
          language: { code: tag, name },
          series: [{ url: `/series/${tag}`, title, position: 1 }],
        };
        assert.equal(blurbHtml(work, ctx.assetUrl("lock.svg")), rendered(work));
      }),
    );
  });
  it("reuses a view's kept parts, and a copy of the view builds its own", () => {
    const lock = ctx.assetUrl("lock.svg");
    const holder: BlurbPartsHolder = { parts: null };
    const view: WorkView = { ...base, counts: { kudos: 2, comments: 0, bookmarks: 0, hits: 9 } };
    keepBlurbParts(view, holder);
    const first = blurbHtml(view, lock);
    assert.equal(first, rendered(view));
    assert.notEqual(holder.parts, null);
    const kept = holder.parts;
    assert.equal(blurbHtml(view, lock), first);
    assert.equal(holder.parts, kept);
    const copy: WorkView = { ...view, title: "Another title" };
    assert.equal(blurbHtml(copy, lock), rendered(copy));
  });

  it("sends a kept blurb's middle as its bytes: the page is the same, as UTF-8", () => {
    const lock = ctx.assetUrl("lock.svg");
    const works: WorkView[] = [
      {
        ...base,
        title: "Ünïcode ♥ title",
        summaryHtml: "<p>“Quoted” — em dash</p>" as SanitizedHtml,
      },
      { ...base, id: 8, url: "/works/8" },
      { ...base, id: 9, url: "/works/9", freeforms: [{ name: "日本語", url: "/tags/x/works" }] },
    ];
    // The second is not kept: built as text among the others' bytes.
    keepBlurbParts(works[0]!, { parts: null });
    keepBlurbParts(works[2]!, { parts: null });
    const text = blurbsHtml(works, lock);
    for (let round = 0; round < 2; round++) {
      const bytes = new PageBytes();
      const page = `<ol>${blurbsHtml(works, lock, bytes)}</ol>`;
      assert.equal(bytes.count, 2, "the two kept blurbs' middles");
      const sent = bytes.join(page);
      assert.ok(Buffer.isBuffer(sent));
      assert.equal(sent.toString("utf8"), `<ol>${text}</ol>`);
    }
  });
});
