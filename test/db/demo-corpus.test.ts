import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import type { DbHandle } from "../../src/core/db/index.ts";
import { EMPTY_HTML } from "../../src/core/text/sanitize.ts";
import { demoUsers } from "../../src/demo/generate.ts";
import { loadDemoCorpus, seedDemoIfEmpty } from "../../src/demo/seed.ts";
import { editDistance } from "../../src/demo/wrangle.ts";
import { describeEachEngine, openTestDb } from "../support/db.ts";
import { readingShape, wallOfText } from "../support/reading-shape.ts";

const CHEAP = { memoryCost: 256, timeCost: 1 };
const NOW = Date.UTC(2026, 10, 1);

async function snapshot(h: DbHandle) {
  const db = h.db;
  const tags = await db
    .selectFrom("work_tags")
    .innerJoin("tags", "tags.id", "work_tags.tag_id")
    .select(["work_tags.work_id", "work_tags.position", "tags.name", "tags.type"])
    .orderBy("work_tags.work_id")
    .orderBy("work_tags.position")
    .execute();
  return {
    works: await db.selectFrom("works").selectAll().orderBy("id").execute(),
    chapters: await db.selectFrom("chapters").selectAll().orderBy("id").execute(),
    creatorships: await db.selectFrom("creatorships").selectAll().orderBy("work_id").execute(),
    filters: await db
      .selectFrom("work_filter_tags")
      .innerJoin("tags", "tags.id", "work_filter_tags.tag_id")
      .select(["work_filter_tags.work_id", "tags.name"])
      .orderBy("work_filter_tags.work_id")
      .orderBy("tags.name")
      .execute(),
    counts: await db
      .selectFrom("tags")
      .select(["name", "taggings_count"])
      .orderBy("name")
      .execute(),
    tags,
  };
}

describeEachEngine("demo corpus", (engine) => {
  test("the bulk loader stores exactly what the posting commands store", async () => {
    const viaCommands = await openTestDb(engine);
    const viaBulk = await openTestDb(engine);
    try {
      const opts = {
        works: 120,
        bodies: "short" as const,
        passwordHashCost: CHEAP,
        now: NOW,
        batch: 50,
      };
      await loadDemoCorpus(viaCommands.db, engine, { ...opts, mode: "commands" });
      await loadDemoCorpus(viaBulk.db, engine, { ...opts, mode: "bulk" });
      const a = await snapshot(viaCommands);
      const b = await snapshot(viaBulk);
      assert.equal(a.works.length, 120);
      assert.ok(a.chapters.length > 120, "some works have several chapters");
      assert.deepEqual(b.works, a.works);
      assert.deepEqual(b.chapters, a.chapters);
      assert.deepEqual(b.creatorships, a.creatorships);
      assert.deepEqual(b.tags, a.tags);
      assert.deepEqual(b.filters, a.filters);
      assert.deepEqual(b.counts, a.counts);
    } finally {
      await viaCommands.close();
      await viaBulk.close();
    }
  });

  test("the first-start demo is wrangled: canonical fandoms under media, typos as synonyms", async () => {
    const h = await openTestDb(engine);
    try {
      const seeded = await seedDemoIfEmpty(h.db, engine, {
        works: 200,
        passwordHashCost: CHEAP,
        now: NOW,
      });
      assert.equal(seeded?.works, 200);
      assert.equal(
        await seedDemoIfEmpty(h.db, engine, { works: 200, passwordHashCost: CHEAP }),
        null,
        "only once",
      );
      const fandoms = await h.db
        .selectFrom("tags")
        .select("id")
        .where("type", "=", "fandom")
        .where("canonical", "=", 1)
        .execute();
      assert.ok(fandoms.length >= 5, `${fandoms.length} canonical fandoms`);
      const filed = await h.db
        .selectFrom("tag_parents")
        .innerJoin("tags as c", "c.id", "tag_parents.child_id")
        .innerJoin("tags as p", "p.id", "tag_parents.parent_id")
        .select("c.id")
        .where("c.type", "=", "fandom")
        .where("p.type", "=", "media")
        .execute();
      assert.equal(filed.length, fandoms.length);
      const relationships = await h.db
        .selectFrom("tags")
        .select("id")
        .where("type", "=", "relationship")
        .where("canonical", "=", 1)
        .execute();
      assert.ok(relationships.length > 10);
      const freeforms = await h.db
        .selectFrom("tags")
        .select("id")
        .where("type", "=", "freeform")
        .where("canonical", "=", 1)
        .execute();
      assert.ok(freeforms.length > 10);
      // Every work is still reachable through each of its fandoms' canonical tags.
      const unreachable = await h.db
        .selectFrom("works")
        .select("id")
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom("work_filter_tags")
                .select("work_id")
                .whereRef("work_filter_tags.work_id", "=", "works.id"),
            ),
          ),
        )
        .execute();
      assert.equal(unreachable.length, 0);

      // Readers came: kudos, comments with replies, bookmarks, hits; every counter matches
      // the rows it counts.
      const count = async (table: "kudos" | "comments" | "bookmarks") =>
        Number(
          (
            await h.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<number | string>().as("n"))
              .executeTakeFirstOrThrow()
          ).n,
        );
      assert.ok((await count("kudos")) > 200, "kudos");
      assert.ok((await count("comments")) > 50, "comments");
      assert.ok((await count("bookmarks")) > 50, "bookmarks");
      const replies = await h.db
        .selectFrom("comments")
        .select("id")
        .where("parent_id", "is not", null)
        .execute();
      assert.ok(replies.length > 10, "the authors answer");
      const stats = await h.db
        .selectFrom("work_stats")
        .select((eb) => [
          eb.fn.sum<number | string>("kudos").as("kudos"),
          eb.fn.sum<number | string>("comments").as("comments"),
          eb.fn.sum<number | string>("hits").as("hits"),
        ])
        .executeTakeFirstOrThrow();
      assert.equal(Number(stats.kudos), await count("kudos"));
      assert.equal(Number(stats.comments), await count("comments"));
      assert.ok(Number(stats.hits) > 1_000, `${stats.hits} hits`);
    } finally {
      await h.close();
    }
  });

  test("the 200-work demo has every rating, multi-chapter works, notes, bold and italics", async () => {
    const h = await openTestDb(engine);
    try {
      const result = await loadDemoCorpus(h.db, engine, {
        works: 200,
        passwordHashCost: CHEAP,
        now: NOW,
      });
      assert.equal(result.works, 200);
      assert.equal(result.users, 12);
      const ratings = await h.db
        .selectFrom("works")
        .innerJoin("tags", "tags.id", "works.rating_id")
        .select("tags.name")
        .distinct()
        .execute();
      assert.equal(ratings.length, 5);
      const multi = await h.db
        .selectFrom("works")
        .select("id")
        .where("chapter_count", ">", 1)
        .execute();
      assert.ok(multi.length > 10, `${multi.length} multi-chapter works`);
      const chapters = await h.db
        .selectFrom("chapters")
        .select(["work_id", "position", "text_html"])
        .orderBy("work_id")
        .orderBy("position")
        .execute();
      // Issue #11: every stored chapter reads in paragraphs (works 17 and 136 were walls of
      // text), and works whose notes say a POV is bold are bold paragraph by paragraph.
      const povWorks = new Set(
        (await h.db.selectFrom("works").select(["id", "notes_html"]).execute())
          .filter((w) => /bold/i.test(w.notes_html) && /POV|point of view/.test(w.notes_html))
          .map((w) => w.id),
      );
      assert.ok(povWorks.size > 0, "no POV-bold work");
      const boldIn = new Map<number, number>();
      for (const c of chapters) {
        const shape = readingShape(c.text_html);
        const where = `work ${c.work_id} chapter ${c.position}`;
        assert.equal(wallOfText(shape), null, `${where}: ${wallOfText(shape)}`);
        // A letter typed into plain text (works 17 and 136 of the issue) leaves the rest in
        // paragraphs too: those chapters had the letter's lines and one paragraph (6 in all).
        if (c.text_html.includes("<blockquote>")) {
          assert.ok(shape.paragraphs > 10, `${where}: ${shape.paragraphs} paragraphs`);
        }
        if (povWorks.has(c.work_id)) {
          assert.equal(
            shape.looseBold + shape.mixedParagraphs,
            0,
            `${where}: bold across paragraphs`,
          );
          boldIn.set(c.work_id, (boldIn.get(c.work_id) ?? 0) + shape.boldParagraphs);
        }
      }
      for (const id of povWorks) assert.ok((boldIn.get(id) ?? 0) >= 2, `work ${id}: bold POV`);
      assert.ok(
        chapters.some((c) => /<(b|strong)>/.test(c.text_html)),
        "bold",
      );
      assert.ok(
        chapters.some((c) => /<(i|em)>/.test(c.text_html)),
        "italics",
      );
      const noted = await h.db
        .selectFrom("works")
        .select("id")
        .where("notes_html", "!=", EMPTY_HTML)
        .execute();
      assert.ok(noted.length > 20);
      const fandoms = await h.db
        .selectFrom("tags")
        .select("id")
        .where("type", "=", "fandom")
        .execute();
      assert.ok(fandoms.length >= 5);
      // A new work posted afterwards gets a fresh id (sequences moved past the bulk rows).
      const next = await h.db
        .insertInto("works")
        .values({
          title: "After",
          sanitizer_version: 1,
          language: "en",
          expected_chapters: null,
          rating_id: 1,
          created_at: NOW,
          edited_at: NOW,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      assert.equal(next.id, 201);
    } finally {
      await h.close();
    }
  });
});

test("the demo account names printed in the README are the ones generated", async () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  for (const user of demoUsers(12)) assert.ok(readme.includes(`\`${user.login}\``), user.login);
});

test("edit distance counts a swap, a drop or a double letter as one", () => {
  assert.equal(editDistance("derek shepherd", "derek shepard"), 2);
  assert.equal(editDistance("lexie grey", "lexei grey"), 1);
  assert.equal(editDistance("lexie grey", "lexie grye"), 1);
  assert.equal(editDistance("mark sloan", "mark sloann"), 1);
  assert.equal(editDistance("mark sloan", "mark soan"), 1);
  assert.equal(editDistance("mark", "someone else entirely"), 3);
});
