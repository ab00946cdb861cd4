import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import fc from "fast-check";
import { sql } from "kysely";
import type { DbHandle, Engine } from "../../src/core/db/index.ts";
import { refusalMessage } from "../../src/core/result.ts";
import { parseTextQuery, type TextQuery } from "../../src/search/text/query.ts";
import {
  indexWorkText,
  removeWorkText,
  unindexedWorks,
  worksWithTags,
} from "../../src/search/text/entry-queries.ts";
import { PART_WORDS } from "../../src/search/text/postgres-tsvector.ts";
import { searchWorkText } from "../../src/search/text/search-queries.ts";
import { workSnippets } from "../../src/search/text/snippet-queries.ts";
import { makeSynonym, renameTag, setCanonical } from "../../src/tags/commands.ts";
import { findOrCreateTags, findTagByName } from "../../src/tags/queries.ts";
import {
  addChapter,
  deleteWork,
  editChapter,
  postDraftChapter,
  postDraftWork,
} from "../../src/works/commands.ts";
import { ChapterInput } from "../../src/works/schemas.ts";
import { describeEachEngine, openTestDb } from "../support/db.ts";
import { buildUser, buildWork } from "../support/factories.ts";

const parse = (text: string): TextQuery => {
  const parsed = parseTextQuery(text);
  if (!parsed.ok) throw new Error(`"${text}": ${parsed.message}`);
  return parsed.query;
};

const chapter = (text: string, extra: Record<string, string> = {}) =>
  ChapterInput.parse({ text, action: "post", ...extra });

/** Indexes what the change log would have named: every work there is. */
async function indexAll(h: DbHandle) {
  const ids = (await h.db.selectFrom("works").select("id").execute()).map((r) => r.id);
  await indexWorkText(h.db, h.engine, ids);
}

describeEachEngine("work text index", (engine: Engine) => {
  let h: DbHandle;
  const id: Record<string, number> = {};
  const search = async (text: string) =>
    (await searchWorkText(h.db, engine, parse(text))).ids.sort((a, b) => a - b);
  const sorted = (...names: string[]) => names.map((n) => id[n]!).sort((a, b) => a - b);

  before(async () => {
    h = await openTestDb(engine);
    const orchard = await buildUser(h.db, { login: "holloworchard" });
    const other = await buildUser(h.db, { login: "paperthistle" });
    id.tower = (
      await buildWork(h.db, {
        pseudId: orchard.pseudId,
        title: "The Lighthouse Keeper",
        summary: "A keeper, a storm.",
        freeforms: "Slow Burn",
        text: "Éowyn climbed the stairs of the old tower. The sea was grey and the gulls were loud.",
      })
    ).workId;
    id.cafe = (
      await buildWork(h.db, {
        pseudId: other.pseudId,
        title: "Harbour Lights",
        summary: "A quiet morning by the water.",
        text: "She ordered a CAFÉ au lait and thought about the lighthouse keeper's daughter.",
      })
    ).workId;
    id.body = (
      await buildWork(h.db, {
        pseudId: other.pseudId,
        title: "Untitled",
        text: Array(12).fill("The lighthouse, the lighthouse, always the lighthouse.").join(" "),
      })
    ).workId;
    id.draft = (
      await buildWork(h.db, { title: "Secret", text: "A zanzibarian draft.", action: "draft" })
    ).workId;
    const serial = await buildWork(h.db, {
      pseudId: orchard.pseudId,
      title: "Breakfast Serial",
      text: "Toast came first, before everything else.",
      notes: "Thanks to my beta, Quillon.",
    });
    id.serial = serial.workId;
    await addChapter(h.db, {
      workId: serial.workId,
      input: chapter("Then came butter."),
      now: Date.now(),
    });
    await addChapter(h.db, {
      workId: serial.workId,
      input: chapter(
        "Long before noon the whole kitchen smelled of oranges, because somebody had decided, " +
          "against all advice, that today was the day for <b>marmalade</b> and nothing else " +
          "would do, not toast, not tea, not even the last of the biscuits in the tin.",
        { chapter_title: "Preserves" },
      ),
      now: Date.now(),
    });
    const drafted = await addChapter(h.db, {
      workId: serial.workId,
      input: chapter("A quetzalcoatl appears.", { action: "draft" }),
      now: Date.now(),
    });
    if (!drafted.ok) throw new Error("draft chapter");
    id.draftChapter = drafted.value.chapterId;
    id.tokyo = (
      await buildWork(h.db, { title: "夜景", text: "東京タワーの夜。静かな港町の灯り。" })
    ).workId;
    id.derek = (
      await buildWork(h.db, {
        title: "Surgeons",
        fandoms: "Grey's Anatomy",
        characters: "Derek Shepard",
        text: "Scrubs on.",
      })
    ).workId;
    await indexAll(h);
  });
  after(() => h.close());

  test("words are found ignoring case and accents", async () => {
    assert.deepEqual(await search("eowyn"), sorted("tower"));
    assert.deepEqual(await search("ÉOWYN"), sorted("tower"));
    assert.deepEqual(await search("cafe"), sorted("cafe"));
    assert.deepEqual(await search("Café"), sorted("cafe"));
    assert.deepEqual(await search("eowyn stairs"), sorted("tower"));
    assert.deepEqual(await search("eowyn butter"), []);
  });

  test("every word must match, each in any field", async () => {
    // "keeper" is in the title, "gulls" in the chapter, "burn" a tag, the author's login.
    assert.deepEqual(await search("keeper gulls burn holloworchard"), sorted("tower"));
    assert.deepEqual(await search("quillon toast"), sorted("serial"), "work notes count");
  });

  test("phrases", async () => {
    assert.deepEqual(await search('"sea was grey"'), sorted("tower"));
    assert.deepEqual(await search('"grey sea"'), []);
    assert.deepEqual(await search('"keeper\'s daughter"'), sorted("cafe"));
    // Tags and chapters are separate texts: no phrase across them.
    assert.deepEqual(await search('"toast came"'), sorted("serial"));
    assert.deepEqual(await search('"else then"'), [], "no phrase across chapters");
  });

  test("left-out words and phrases", async () => {
    assert.deepEqual(await search("lighthouse"), sorted("tower", "cafe", "body"));
    assert.deepEqual(await search("lighthouse -daughter"), sorted("tower", "body"));
    assert.deepEqual(await search('lighthouse -"always the"'), sorted("tower", "cafe"));
    assert.deepEqual(await search("lighthouse -title:keeper -daughter"), sorted("body"));
  });

  test("field prefixes", async () => {
    assert.deepEqual(await search("title:lighthouse"), sorted("tower"));
    assert.deepEqual(await search("author:holloworchard"), sorted("tower", "serial"));
    assert.deepEqual(await search("by:paperthistle lighthouse"), sorted("cafe", "body"));
    assert.deepEqual(await search("tag:burn"), sorted("tower"));
    assert.deepEqual(await search("summary:storm"), sorted("tower"));
    assert.deepEqual(await search("text:lighthouse"), sorted("cafe", "body"));
    assert.deepEqual(await search('title:"lighthouse keeper"'), sorted("tower"));
    assert.deepEqual(await search("title:holloworchard"), []);
  });

  test("a title hit ranks above chapter-only hits, however often they repeat", async () => {
    const { ids, scores } = await searchWorkText(h.db, engine, parse("lighthouse"));
    assert.equal(ids[0], id.tower);
    assert.ok(scores[0]! >= 1 && scores[1]! < 1);
    assert.deepEqual(
      [...scores].sort((a, b) => b - a),
      scores,
      "sorted best first",
    );
    const limited = await searchWorkText(h.db, engine, parse("lighthouse"), { limit: 1 });
    assert.deepEqual(limited.ids, [id.tower]);
    // Too many matches to rank: title, tag and summary hits still come first, the rest tie.
    const unranked = { rankLimits: { meta: 0, body: 0 } };
    for (const text of ["lighthouse", "keeper", "lighthouse -daughter", "author:holloworchard"]) {
      const ranked = await searchWorkText(h.db, engine, parse(text));
      const flat = await searchWorkText(h.db, engine, parse(text), unranked);
      assert.deepEqual([...flat.ids].sort(), [...ranked.ids].sort(), text);
    }
    const flat = await searchWorkText(h.db, engine, parse("lighthouse"), unranked);
    assert.deepEqual(flat.ids, [id.tower, id.body, id.cafe], "then newest first");
    assert.deepEqual(flat.scores, [1.5, 0, 0]);
    const byAuthor = await searchWorkText(h.db, engine, parse("author:holloworchard"), unranked);
    assert.deepEqual(byAuthor.scores, [0, 0], "creators do not rank");
  });

  test("CJK text is searched character by character", async () => {
    assert.deepEqual(await search("東京"), sorted("tokyo"));
    assert.deepEqual(await search("京東"), []);
    assert.deepEqual(await search("夜景"), sorted("tokyo"));
  });

  test("drafts and draft chapters are not indexed until posted", async () => {
    assert.deepEqual(await search("zanzibarian"), []);
    assert.deepEqual(await search("quetzalcoatl"), []);
    assert.deepEqual(await unindexedWorks(h.db, engine, 0, 100), []);
    await postDraftChapter(h.db, {
      workId: id.serial!,
      chapterId: id.draftChapter!,
      now: Date.now(),
    });
    await postDraftWork(h.db, { workId: id.draft!, now: Date.now() });
    assert.deepEqual(await unindexedWorks(h.db, engine, 0, 100), [id.draft]);
    await indexWorkText(h.db, engine, [id.serial!, id.draft!]);
    assert.deepEqual(await search("quetzalcoatl"), sorted("serial"));
    assert.deepEqual(await search("zanzibarian"), sorted("draft"));
    assert.deepEqual(await unindexedWorks(h.db, engine, 0, 100), []);
  });

  test("an edited chapter is indexed again; an unchanged one is kept", async () => {
    const [first] = await h.db
      .selectFrom("chapters")
      .select("id")
      .where("work_id", "=", id.body!)
      .execute();
    await editChapter(h.db, {
      workId: id.body!,
      chapterId: first!.id,
      input: chapter("A windmill now, no longer a lighthouse."),
      now: Date.now() + 1_000,
    });
    await indexWorkText(h.db, engine, [id.body!]);
    assert.deepEqual(await search("windmill"), sorted("body"));
    assert.deepEqual(await search('"always the lighthouse"'), []);
    await indexWorkText(h.db, engine, [id.body!, id.body!]);
    assert.deepEqual(await search("windmill"), sorted("body"), "idempotent");
    // Probe: with the body entry gone behind the indexer's back, indexing again does not
    // notice, because the chapters did not change (a tag rename costs no chapter reading).
    await sql`delete from work_text where ${sql.raw(engine === "sqlite" ? "rowid" : "work_id")} = ${id.body!}`.execute(
      h.db,
    );
    await indexWorkText(h.db, engine, [id.body!]);
    assert.deepEqual(await search("windmill"), []);
    await h.db
      .updateTable("work_text_state")
      .set({ format: 0 })
      .where("work_id", "=", id.body!)
      .execute();
    assert.deepEqual(
      await unindexedWorks(h.db, engine, 0, 100),
      [id.body],
      "an old format is redone",
    );
    await indexWorkText(h.db, engine, [id.body!]);
    assert.deepEqual(await search("windmill"), sorted("body"));
  });

  test("a work turned back into a draft, deleted, or posted again", async () => {
    const w = (await buildWork(h.db, { title: "Flicker", text: "Phosphorescent waves." })).workId;
    await indexWorkText(h.db, engine, [w]);
    assert.deepEqual(await search("phosphorescent"), [w]);
    await h.db.updateTable("works").set({ posted: 0 }).where("id", "=", w).execute();
    await indexWorkText(h.db, engine, [w]);
    assert.deepEqual(await search("phosphorescent"), []);
    await postDraftWork(h.db, { workId: w, now: Date.now() });
    await indexWorkText(h.db, engine, [w]);
    assert.deepEqual(await search("flicker phosphorescent"), [w]);
    await deleteWork(h.db, { workId: w, now: Date.now() });
    await indexWorkText(h.db, engine, [w]);
    assert.deepEqual(await search("phosphorescent"), []);
    const left = await h.db
      .selectFrom("work_text_state")
      .select("work_id")
      .where("work_id", "=", w)
      .execute();
    assert.deepEqual(left, []);
  });

  test("removeWorkText drops an entry; catching up restores it", async () => {
    await removeWorkText(h.db, engine, [id.tower!]);
    assert.deepEqual(await search("eowyn"), []);
    assert.deepEqual(await unindexedWorks(h.db, engine, 0, 100), [id.tower]);
    assert.deepEqual(await unindexedWorks(h.db, engine, id.tower!, 100), []);
    await indexWorkText(h.db, engine, await unindexedWorks(h.db, engine, 0, 100));
    assert.deepEqual(await search("eowyn"), sorted("tower"));
  });

  test("tag renames and synonyms reach the works through worksWithTags", async () => {
    const slow = await findTagByName(h.db, "Slow Burn");
    const renamed = await renameTag(h.db, {
      tagId: slow!.id,
      newName: "Slowest Burn",
      now: Date.now(),
    });
    assert.ok(renamed.ok);
    await indexWorkText(h.db, engine, await worksWithTags(h.db, [slow!.id]));
    assert.deepEqual(await search("slowest"), sorted("tower"));
    assert.deepEqual(await search('tag:"slow burn"'), []);

    const typo = await findTagByName(h.db, "Derek Shepard");
    const [right] = await findOrCreateTags(h.db, "character", ["Derek Shepherd"], Date.now());
    await setCanonical(h.db, { tagId: right!.id, canonical: true, now: Date.now() });
    const made = await makeSynonym(h.db, {
      tagId: typo!.id,
      canonicalName: "Derek Shepherd",
      now: Date.now(),
    });
    assert.ok(made.ok, made.ok ? "" : refusalMessage(made));
    assert.deepEqual(await search("shepherd"), []);
    await indexWorkText(h.db, engine, await worksWithTags(h.db, [typo!.id, right!.id]));
    assert.deepEqual(await search("derek shepherd"), sorted("derek"));
    assert.deepEqual(await search("shepard"), sorted("derek"), "the typed name still works");
    // A rename of the canonical reaches works tagged with its synonyms.
    assert.deepEqual(await worksWithTags(h.db, [right!.id]), [id.derek]);
  });

  test("snippets hold the match, from the chapter that has it", async () => {
    const q = parse("stairs marmalade keeper storm");
    const snippets = await workSnippets(h.db, engine, parse("marmalade"), [id.serial!]);
    const s = snippets.get(id.serial!);
    assert.equal(s?.where, "Chapter 3: Preserves");
    assert.deepEqual(
      s?.parts.filter((p) => p.hit).map((p) => p.text),
      ["marmalade"],
    );
    const text = s.parts.map((p) => p.text).join("");
    // 30 words, moved back so as to end with the chapter's last word (no "…" after).
    assert.match(text, /^… .*day for marmalade and nothing else.* in the tin\.$/);
    assert.ok(text.split(" ").length <= 34, text);

    const more = await workSnippets(h.db, engine, q, [id.tower!, id.serial!, id.cafe!]);
    const tower = more.get(id.tower!)!;
    assert.equal(tower.where, undefined, "a one-shot's chapter needs no label");
    assert.deepEqual(
      tower.parts.filter((p) => p.hit).map((p) => p.text),
      ["stairs"],
    );
    const cafe = more.get(id.cafe!)!;
    assert.deepEqual(
      cafe.parts.filter((p) => p.hit).map((p) => p.text),
      ["keeper"],
    );
    // Only the works asked for (FTS5 ignores a rowid bound as a REAL, as JS numbers are).
    assert.deepEqual(
      [...(await workSnippets(h.db, engine, parse("the"), [id.cafe!])).keys()],
      [id.cafe],
    );
    // Only in the summary: the summary is the passage.
    const summary = await workSnippets(h.db, engine, parse("storm"), [id.tower!]);
    assert.equal(summary.get(id.tower!)?.where, "Summary");
    // Only in the title: no passage.
    const none = await workSnippets(h.db, engine, parse("harbour"), [id.cafe!]);
    assert.equal(none.size, 0);
    // Accents and case in the text are kept; the hit is the original spelling.
    const accent = await workSnippets(h.db, engine, parse("eowyn cafe"), [id.tower!, id.cafe!]);
    assert.deepEqual(accent.get(id.tower!)?.parts.find((p) => p.hit)?.text, "Éowyn");
    assert.deepEqual(accent.get(id.cafe!)?.parts.find((p) => p.hit)?.text, "CAFÉ");
  });

  test("no query text ever makes an engine fail", async () => {
    const junk = [
      '"',
      '"""',
      "-",
      "- -",
      "***",
      "a*",
      "^lighthouse",
      "NEAR(lighthouse keeper)",
      "lighthouse AND OR NOT keeper",
      "lighthouse NOT",
      "title:",
      "title:*",
      ":",
      "::lighthouse::",
      "(lighthouse",
      "{title}: lighthouse",
      "'",
      "\\",
      "a'b''c",
      'lighthouse "unbalanced phrase',
      '-"x"',
      "lighthouse -",
      "lighthouse & ! | <-> :A",
      "col:lighthouse",
      "🏳️‍🌈 lighthouse",
      "\u0000lighthouse\u0001",
      "\ue000",
      "lighthouse \ue000",
      "x".repeat(300),
    ];
    for (const text of junk) {
      const parsed = parseTextQuery(text);
      if (!parsed.ok) continue;
      await searchWorkText(h.db, engine, parsed.query);
      await workSnippets(h.db, engine, parsed.query, [id.tower!, id.cafe!]);
    }
    // Operators are plain words: "and" is in both works.
    assert.deepEqual(await search("lighthouse AND keeper"), sorted("tower", "cafe"));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 40 }),
          fc.string({ unit: "grapheme", maxLength: 20 }),
          fc.string({
            unit: fc.constantFrom(..."lighthouse\"'-:*^(){}[]&|!<>ÉéA NEARORNOTtitle:author:"),
            maxLength: 30,
          }),
        ),
        async (text) => {
          const parsed = parseTextQuery(text);
          if (!parsed.ok) {
            assert.ok(parsed.message.length > 0);
            return;
          }
          await searchWorkText(h.db, engine, parsed.query);
          await workSnippets(h.db, engine, parsed.query, [id.tower!, id.serial!]);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describeEachEngine("work text index: a huge work", (engine: Engine) => {
  test("beyond tsvector's limits: every chapter found, phrases exact, split into parts", async () => {
    const h = await openTestDb(engine);
    try {
      // Three chapters near the 510,000-character limit of distinct made-up words: over 1 MB
      // of lexemes and far beyond 16,383 positions, the tsvector's limits.
      let n = 0;
      const word = () => `w${(n++).toString(36)}x`;
      const text = () => {
        const words: string[] = [];
        let length = 0;
        while (length < 500_000) {
          const w = word();
          words.push(w);
          length += w.length + 1;
        }
        return words.join(" ");
      };
      const first = text();
      const work = await buildWork(h.db, { title: "Enormous", text: first });
      const second = text();
      await addChapter(h.db, { workId: work.workId, input: chapter(second), now: Date.now() });
      const third = `${text()} the final farewell`;
      await addChapter(h.db, { workId: work.workId, input: chapter(third), now: Date.now() });
      await indexWorkText(h.db, engine, [work.workId]);

      const lastWords = third.split(" ").slice(-6, -3);
      assert.deepEqual((await searchWorkText(h.db, engine, parse(lastWords[0]!))).ids, [
        work.workId,
      ]);
      assert.deepEqual(
        (await searchWorkText(h.db, engine, parse(`"${lastWords.join(" ")}" "final farewell"`)))
          .ids,
        [work.workId],
      );
      assert.deepEqual(
        (await searchWorkText(h.db, engine, parse(`"${lastWords[1]} ${lastWords[0]}"`))).ids,
        [],
      );
      const middle = second.split(" ")[30_000]!;
      assert.deepEqual((await searchWorkText(h.db, engine, parse(middle))).ids, [work.workId]);
      const snippet = (await workSnippets(h.db, engine, parse(middle), [work.workId])).get(
        work.workId,
      );
      assert.equal(snippet?.where, "Chapter 2");
      assert.deepEqual(
        snippet?.parts.filter((p) => p.hit).map((p) => p.text),
        [middle],
      );
      if (engine === "postgres") {
        const { rows } = await sql<{
          parts: number | string;
        }>`select count(*) as parts from work_text where work_id = ${work.workId}`.execute(h.db);
        const words = n + 3;
        assert.equal(Number(rows[0]!.parts), Math.ceil(words / PART_WORDS));
      }
    } finally {
      await h.close();
    }
  });
});
