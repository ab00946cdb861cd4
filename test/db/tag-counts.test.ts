import assert from "node:assert/strict";
import fc from "fast-check";
import { after, before, test } from "node:test";
import { migrateToLatest, type DbHandle } from "../../src/core/db/index.ts";
import { COUNT_EVERY_MS, TagAutocomplete } from "../../src/tags/autocomplete.ts";
import { addParent, makeSynonym, setCanonical } from "../../src/tags/commands.ts";
import { tagsShownTo, type Audience } from "../../src/tags/count-queries.ts";
import { findTagByName, recountTaggings } from "../../src/tags/queries.ts";
import { deleteWork, editWork, postDraftWork } from "../../src/works/commands.ts";
import { WorkMetaInput } from "../../src/works/schemas.ts";
import { describeEachEngine, openTestDb, scanningCatalog } from "../support/db.ts";
import { buildUser, buildWork } from "../support/factories.ts";

describeEachEngine("tag use counts by audience", (engine) => {
  let h: DbHandle;
  let pseudId: number;
  before(async () => {
    h = await openTestDb(engine);
    pseudId = (await buildUser(h.db)).pseudId;
  });
  after(() => h.close());

  const tag = async (name: string) => {
    const t = await findTagByName(h.db, name);
    assert.ok(t, name);
    return t;
  };
  const meta = (fields: Record<string, string>) =>
    WorkMetaInput.parse({
      title: "Edited",
      rating: "General Audiences",
      warnings: ["No Archive Warnings Apply"],
      fandoms: "Count Fandom",
      language: "en",
      ...fields,
    });
  const shownNames = async (audience: Audience, names: string[]) =>
    (await tagsShownTo(h.db, audience, await Promise.all(names.map(tag)))).map((t) => t.name);

  test("counts stay exact through posting, drafts, edits, restriction, deletion and wrangling", async () => {
    let run = 0;
    const op = fc.oneof(
      fc.record({
        kind: fc.constant("post" as const),
        tags: fc.subarray([0, 1, 2, 3]),
        draft: fc.boolean(),
        restricted: fc.boolean(),
      }),
      fc.record({
        kind: fc.constant("edit" as const),
        work: fc.nat(9),
        tags: fc.subarray([0, 1, 2, 3]),
        restricted: fc.boolean(),
      }),
      fc.record({ kind: fc.constant("publish" as const), work: fc.nat(9) }),
      fc.record({ kind: fc.constant("delete" as const), work: fc.nat(9) }),
      fc.record({ kind: fc.constant("synonym" as const), a: fc.nat(3), b: fc.nat(3) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 10 }), async (ops) => {
        run += 1;
        const names = [0, 1, 2, 3].map((i) => `Count ${run} ${i}`);
        // The model: each live work's tags (indexes into `names`) and who may see it.
        const works: { id: number; tags: number[]; posted: boolean; restricted: boolean }[] = [];
        const live = (i: number) => works.filter((w) => w.id > 0)[i % Math.max(1, works.length)];
        for (const o of ops) {
          if (o.kind === "post") {
            const { workId } = await buildWork(h.db, {
              pseudId,
              freeforms: o.tags.map((i) => names[i]).join(", "),
              action: o.draft ? "draft" : "post",
              restricted: o.restricted ? "1" : "",
            });
            works.push({ id: workId, tags: o.tags, posted: !o.draft, restricted: o.restricted });
            continue;
          }
          const w = live(o.kind === "synonym" ? 0 : o.work);
          if (o.kind === "synonym") {
            await setCanonical(h.db, {
              tagId: (await findTagByName(h.db, names[o.b]!))?.id ?? 0,
              canonical: true,
              now: Date.now(),
            });
            await makeSynonym(h.db, {
              tagId: (await findTagByName(h.db, names[o.a]!))?.id ?? 0,
              canonicalName: names[o.b]!,
              now: Date.now(),
            });
          } else if (!w) continue;
          else if (o.kind === "edit") {
            const input = meta({
              freeforms: o.tags.map((i) => names[i]).join(", "),
              restricted: o.restricted ? "1" : "",
            });
            assert.ok((await editWork(h.db, { workId: w.id, input, now: Date.now() })).ok);
            Object.assign(w, { tags: o.tags, restricted: o.restricted });
          } else if (o.kind === "publish") {
            await postDraftWork(h.db, { workId: w.id, now: Date.now() });
            w.posted = true;
          } else {
            await deleteWork(h.db, { workId: w.id, now: Date.now() });
            w.id = 0;
          }
        }
        for (const [i, name] of names.entries()) {
          const t = await findTagByName(h.db, name);
          const carrying = works.filter((w) => w.id > 0 && w.tags.includes(i));
          const expected = {
            all: carrying.length,
            members: carrying.filter((w) => w.posted).length,
            public: carrying.filter((w) => w.posted && !w.restricted).length,
          };
          const actual = {
            all: t?.taggings_count ?? 0,
            members: t?.members_count ?? 0,
            public: t?.public_count ?? 0,
          };
          assert.deepEqual(actual, expected, name);
        }
      }),
      { numRuns: 15, seed: 1206 },
    );
    const before = await h.db
      .selectFrom("tags")
      .select(["id", "taggings_count", "members_count", "public_count"])
      .orderBy("id")
      .execute();
    await recountTaggings(h.db);
    const recounted = await h.db
      .selectFrom("tags")
      .select(["id", "taggings_count", "members_count", "public_count"])
      .orderBy("id")
      .execute();
    assert.deepEqual(before, recounted, "the bulk recount agrees with the kept counts");
  });

  test("a canonical tag exists for guests through a synonym or subtag with public works", async () => {
    await buildWork(h.db, { pseudId, freeforms: "Shown Synonym, Shown Subtag" });
    await buildWork(h.db, { pseudId, freeforms: "Members Synonym", restricted: "1" });
    await buildWork(h.db, { pseudId, freeforms: "Draft Synonym", action: "draft" });
    for (const name of ["Via Synonym", "Via Subtag", "Members Canon", "Draft Canon"])
      await buildWork(h.db, { pseudId, freeforms: name, action: "draft" });
    for (const name of [
      "Via Synonym",
      "Via Subtag",
      "Shown Subtag",
      "Members Canon",
      "Draft Canon",
    ])
      assert.ok(
        (
          await setCanonical(h.db, {
            tagId: (await tag(name)).id,
            canonical: true,
            now: Date.now(),
          })
        ).ok,
        name,
      );
    const wrangled = [
      makeSynonym(h.db, {
        tagId: (await tag("Shown Synonym")).id,
        canonicalName: "Via Synonym",
        now: Date.now(),
      }),
      addParent(h.db, {
        tagId: (await tag("Shown Subtag")).id,
        parentName: "Via Subtag",
        now: Date.now(),
      }),
      makeSynonym(h.db, {
        tagId: (await tag("Members Synonym")).id,
        canonicalName: "Members Canon",
        now: Date.now(),
      }),
      makeSynonym(h.db, {
        tagId: (await tag("Draft Synonym")).id,
        canonicalName: "Draft Canon",
        now: Date.now(),
      }),
    ];
    for (const r of wrangled) assert.ok((await r).ok);
    const names = [
      "Via Synonym",
      "Via Subtag",
      "Members Canon",
      "Members Synonym",
      "Draft Canon",
      "Draft Synonym",
      "Explicit",
    ];
    assert.deepEqual(await shownNames("public", names), ["Via Synonym", "Via Subtag", "Explicit"]);
    assert.deepEqual(
      await shownNames("members", names),
      ["Via Synonym", "Via Subtag", "Members Canon", "Members Synonym", "Draft Canon", "Explicit"],
      "logged-in readers also get every canonical tag, never a synonym only drafts carry",
    );
  });

  test("autocomplete follows use counts within a second of a work changing", async () => {
    const clock = { now: 1_000_000 };
    const index = new TagAutocomplete(h.db, () => clock.now);
    const { workId } = await buildWork(h.db, { pseudId, characters: "Moving Person" });
    assert.ok(
      (
        await setCanonical(h.db, {
          tagId: (await tag("Moving Person")).id,
          canonical: true,
          now: Date.now(),
        })
      ).ok,
    );
    const uses = async (audience: Audience) =>
      (await index.search("character", "moving", audience)).map((s) => s.uses);
    assert.deepEqual(await uses("public"), [1]);
    const restrict = meta({ characters: "Moving Person", restricted: "1" });
    assert.ok((await editWork(h.db, { workId, input: restrict, now: Date.now() })).ok);
    clock.now += COUNT_EVERY_MS;
    assert.deepEqual(await uses("public"), [], "no public work carries it now");
    assert.deepEqual(await uses("members"), [1]);
    await deleteWork(h.db, { workId, now: Date.now() });
    clock.now += COUNT_EVERY_MS;
    assert.deepEqual(await uses("members"), [0], "still a canonical tag to choose");
  });
});

describeEachEngine("tag audience counts migration", (engine) => {
  test("backfills each tag's counts from the works that carry it", async () => {
    const h = await openTestDb(engine, { migrateTo: "2026-12-06T1400-form-submissions" });
    try {
      const tagId = async (name: string) =>
        (
          await h.db
            .insertInto("tags")
            .values({ name, name_key: name.toLowerCase(), type: "freeform", created_at: 1 })
            .returning("id")
            .executeTakeFirstOrThrow()
        ).id;
      const rating = await tagId("Rated");
      const [everywhere, draftOnly] = [await tagId("Everywhere"), await tagId("Draft only")];
      for (const [posted, restricted] of [
        [1, 0],
        [1, 1],
        [0, 0],
      ] as const) {
        const { id } = await h.db
          .insertInto("works")
          .values({
            title: "W",
            sanitizer_version: 1,
            language: "en",
            expected_chapters: 1,
            rating_id: rating,
            posted,
            restricted,
            published_at: null,
            revised_at: null,
            created_at: 1,
            edited_at: 1,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        const tags = posted ? [everywhere] : [everywhere, draftOnly];
        await h.db
          .insertInto("work_tags")
          .values(tags.map((tag_id) => ({ work_id: id, tag_id })))
          .execute();
      }
      await scanningCatalog(engine, () => migrateToLatest(h.db));
      const counts = await h.db
        .selectFrom("tags")
        .select(["name", "taggings_count", "members_count", "public_count"])
        .where("id", "in", [everywhere, draftOnly])
        .orderBy("id")
        .execute();
      assert.deepEqual(counts, [
        { name: "Everywhere", taggings_count: 3, members_count: 2, public_count: 1 },
        { name: "Draft only", taggings_count: 1, members_count: 0, public_count: 0 },
      ]);
    } finally {
      await h.close();
    }
  });
});
