import assert from "node:assert/strict";
import fc from "fast-check";
import { sql } from "kysely";
import { after, before, test } from "node:test";
import type { DbHandle } from "../../src/core/db/index.ts";
import { refusalMessage, type Result } from "../../src/core/result.ts";
import { GUEST } from "../../src/core/viewer.ts";
import {
  addParent,
  makeSynonym,
  removeParent,
  removeSynonym,
  renameTag,
  setCanonical,
  wrangleMany,
} from "../../src/tags/commands.ts";
import { findTagByName, refreshFilterTags } from "../../src/tags/queries.ts";
import { listWorks } from "../../src/works/queries.ts";
import { describeEachEngine, openTestDb } from "../support/db.ts";
import { buildUser, buildWork } from "../support/factories.ts";

describeEachEngine("tag wrangling", (engine) => {
  let h: DbHandle;
  let pseudId: number;
  before(async () => {
    h = await openTestDb(engine);
    pseudId = (await buildUser(h.db)).pseudId;
  });
  after(() => h.close());

  const tag = async (name: string) => {
    const t = await findTagByName(h.db, name);
    assert.ok(t, `tag ${name}`);
    return t;
  };
  const titlesUnder = async (name: string) => {
    const t = await tag(name);
    const { works } = await listWorks(
      h.db,
      GUEST,
      { kind: "tag", tagId: t.id },
      { number: 1, size: 100 },
    );
    return works.map((w) => w.title).sort();
  };
  // Wrangling only stamps the change log with it.
  const now = Date.now();
  const ok = (r: Result) => assert.ok(r.ok, r.ok ? "" : refusalMessage(r));
  const refused = (r: Result, message: RegExp) => {
    assert.equal(r.ok, false);
    assert.match(refusalMessage(r), message);
  };

  test("the seed case: Derek Shepard becomes a synonym of Derek Shepherd", async () => {
    await buildWork(h.db, {
      pseudId,
      title: "Misspelled",
      fandoms: "Grey's Anatomy",
      characters: "Derek Shepard",
    });
    await buildWork(h.db, {
      pseudId,
      title: "Spelled right",
      fandoms: "Grey's Anatomy",
      characters: "Derek Shepherd",
    });
    ok(
      await setCanonical(h.db, {
        tagId: (await tag("Derek Shepherd")).id,
        canonical: true,
        now,
      }),
    );
    assert.deepEqual(await titlesUnder("Derek Shepherd"), ["Spelled right"]);
    ok(
      await makeSynonym(h.db, {
        tagId: (await tag("Derek Shepard")).id,
        canonicalName: "derek shepherd",
        now,
      }),
    );
    assert.deepEqual(await titlesUnder("Derek Shepherd"), ["Misspelled", "Spelled right"]);
    // The work still carries the tag its author typed.
    const typed = await h.db
      .selectFrom("work_tags")
      .innerJoin("tags", "tags.id", "work_tags.tag_id")
      .innerJoin("works", "works.id", "work_tags.work_id")
      .select("tags.name")
      .where("works.title", "=", "Misspelled")
      .where("tags.type", "=", "character")
      .execute();
    assert.deepEqual(
      typed.map((t) => t.name),
      ["Derek Shepard"],
    );
    // New works tagged with the synonym fold at once.
    await buildWork(h.db, {
      pseudId,
      title: "Later typo",
      fandoms: "Grey's Anatomy",
      characters: "Derek Shepard",
    });
    assert.deepEqual(await titlesUnder("Derek Shepherd"), [
      "Later typo",
      "Misspelled",
      "Spelled right",
    ]);
    ok(await removeSynonym(h.db, { tagId: (await tag("Derek Shepard")).id, now }));
    assert.deepEqual(await titlesUnder("Derek Shepherd"), ["Spelled right"]);
  });

  test("synonym chains, non-canonical targets and other types are refused with clear messages", async () => {
    await buildWork(h.db, {
      pseudId,
      fandoms: "Greys Anatomy, Grey's Anatomy (TV)",
      characters: "Meredith Grey, Mer",
      freeforms: "Meredith Grey AU",
    });
    const greys = await tag("Grey's Anatomy");
    ok(await setCanonical(h.db, { tagId: greys.id, canonical: true, now }));
    ok(
      await makeSynonym(h.db, {
        tagId: (await tag("Greys Anatomy")).id,
        canonicalName: "Grey's Anatomy",
        now,
      }),
    );
    refused(
      await makeSynonym(h.db, {
        tagId: (await tag("Grey's Anatomy (TV)")).id,
        canonicalName: "Greys Anatomy",
        now,
      }),
      /is itself a synonym; choose its canonical tag instead/,
    );
    refused(
      await makeSynonym(h.db, {
        tagId: (await tag("Mer")).id,
        canonicalName: "Meredith Grey",
        now,
      }),
      /is not canonical/,
    );
    ok(
      await setCanonical(h.db, {
        tagId: (await tag("Meredith Grey")).id,
        canonical: true,
        now,
      }),
    );
    refused(
      await makeSynonym(h.db, {
        tagId: (await tag("Meredith Grey AU")).id,
        canonicalName: "Meredith Grey",
        now,
      }),
      /is an additional tag and "Meredith Grey" is a character: a synonym must be of the same type/,
    );
    refused(
      await makeSynonym(h.db, {
        tagId: (await tag("Mer")).id,
        canonicalName: "Nobody At All",
        now,
      }),
      /There is no tag named "Nobody At All"/,
    );
    refused(
      await makeSynonym(h.db, {
        tagId: (await tag("Explicit")).id,
        canonicalName: "Mature",
        now,
      }),
      /fixed tags/,
    );
    refused(await setCanonical(h.db, { tagId: greys.id, canonical: false, now }), /has synonyms/);
    refused(
      await setCanonical(h.db, {
        tagId: (await tag("Greys Anatomy")).id,
        canonical: true,
        now,
      }),
      /is a synonym/,
    );
  });

  test("subtags fold into their metatag; loops are refused", async () => {
    await buildWork(h.db, {
      pseudId,
      title: "Hospital AU",
      freeforms: "Alternate Universe - Hospital",
    });
    await buildWork(h.db, { pseudId, title: "Plain AU", freeforms: "Alternate Universe" });
    await buildWork(h.db, {
      pseudId,
      title: "Night shift",
      freeforms: "Alternate Universe - Hospital - Night Shift",
    });
    for (const n of [
      "Alternate Universe",
      "Alternate Universe - Hospital",
      "Alternate Universe - Hospital - Night Shift",
    ]) {
      ok(await setCanonical(h.db, { tagId: (await tag(n)).id, canonical: true, now }));
    }
    const hospital = await tag("Alternate Universe - Hospital");
    const night = await tag("Alternate Universe - Hospital - Night Shift");
    ok(
      await addParent(h.db, {
        tagId: hospital.id,
        parentName: "Alternate Universe",
        now,
      }),
    );
    ok(
      await addParent(h.db, {
        tagId: night.id,
        parentName: "Alternate Universe - Hospital",
        now,
      }),
    );
    assert.deepEqual(await titlesUnder("Alternate Universe"), [
      "Hospital AU",
      "Night shift",
      "Plain AU",
    ]);
    assert.deepEqual(await titlesUnder("Alternate Universe - Hospital"), [
      "Hospital AU",
      "Night shift",
    ]);
    refused(
      await addParent(h.db, {
        tagId: (await tag("Alternate Universe")).id,
        parentName: "Alternate Universe - Hospital - Night Shift",
        now,
      }),
      /would make a loop/,
    );
    refused(
      await addParent(h.db, {
        tagId: hospital.id,
        parentName: "Alternate Universe - Hospital",
        now,
      }),
      /its own parent/,
    );
    ok(
      await removeParent(h.db, {
        tagId: hospital.id,
        parentId: (await tag("Alternate Universe")).id,
        now,
      }),
    );
    assert.deepEqual(await titlesUnder("Alternate Universe"), ["Plain AU"]);
  });

  test("links follow the types: fandoms, media, a relationship's characters", async () => {
    await buildWork(h.db, {
      pseudId,
      fandoms: "Link Fandom",
      relationships: "Ann/Bo",
      characters: "Ann",
      freeforms: "Link Trope",
    });
    ok(
      await addParent(h.db, {
        tagId: (await tag("Ann")).id,
        parentName: "Link Fandom",
        now,
      }),
    );
    ok(
      await addParent(h.db, {
        tagId: (await tag("Ann/Bo")).id,
        parentName: "Ann",
        now,
      }),
    );
    ok(
      await addParent(h.db, {
        tagId: (await tag("Link Trope")).id,
        parentName: "Link Fandom",
        now,
      }),
    );
    ok(
      await addParent(h.db, {
        tagId: (await tag("Link Fandom")).id,
        parentName: "TV Shows",
        now,
      }),
    );
    refused(
      await addParent(h.db, {
        tagId: (await tag("Link Fandom")).id,
        parentName: "Ann",
        now,
      }),
      /A fandom can't be placed under a character/,
    );
    refused(
      await addParent(h.db, {
        tagId: (await tag("Ann")).id,
        parentName: "Link Trope",
        now,
      }),
      /A character can't be placed under an additional tag/,
    );
    refused(
      await addParent(h.db, {
        tagId: (await tag("Ann")).id,
        parentName: "Derek Shepherd",
        now,
      }),
      /Only canonical tags can be subtags/,
    );
  });

  test("merging a canonical tag moves its synonyms and keeps every work reachable", async () => {
    await buildWork(h.db, { pseudId, title: "Coffee", freeforms: "Coffee Shop AU" });
    await buildWork(h.db, { pseudId, title: "Cafe", freeforms: "Café AU" });
    await buildWork(h.db, {
      pseudId,
      title: "Barista",
      freeforms: "Alternate Universe - Coffee Shops & Cafés",
    });
    ok(
      await setCanonical(h.db, {
        tagId: (await tag("Coffee Shop AU")).id,
        canonical: true,
        now,
      }),
    );
    ok(
      await makeSynonym(h.db, {
        tagId: (await tag("Café AU")).id,
        canonicalName: "Coffee Shop AU",
        now,
      }),
    );
    ok(
      await setCanonical(h.db, {
        tagId: (await tag("Alternate Universe - Coffee Shops & Cafés")).id,
        canonical: true,
        now,
      }),
    );
    ok(
      await makeSynonym(h.db, {
        tagId: (await tag("Coffee Shop AU")).id,
        canonicalName: "Alternate Universe - Coffee Shops & Cafés",
        now,
      }),
    );
    assert.equal(
      (await tag("Café AU")).merger_id,
      (await tag("Alternate Universe - Coffee Shops & Cafés")).id,
    );
    assert.deepEqual(await titlesUnder("Alternate Universe - Coffee Shops & Cafés"), [
      "Barista",
      "Cafe",
      "Coffee",
    ]);
  });

  test("renaming keeps every work; a clash with another tag is refused", async () => {
    await buildWork(h.db, { pseudId, title: "Renamed", freeforms: "slow burn" });
    await buildWork(h.db, { pseudId, freeforms: "Slow Burn Fic" });
    const t = await tag("slow burn");
    ok(await renameTag(h.db, { tagId: t.id, newName: "Slow Burn", now }));
    assert.equal((await tag("Slow Burn")).id, t.id);
    assert.deepEqual(await titlesUnder("Slow Burn"), ["Renamed"]);
    refused(
      await renameTag(h.db, { tagId: t.id, newName: "slow burn fic", now }),
      /already a tag named "Slow Burn Fic"/,
    );
    refused(await renameTag(h.db, { tagId: t.id, newName: "Bad*Name", now }), /contains \*/);
  });

  test("mass wrangling applies one action to many tags, or none on a refusal", async () => {
    await buildWork(h.db, {
      pseudId,
      fandoms: "Mass Fandom",
      characters: "Mass One, Mass Two, Mass Three",
    });
    const ids = await Promise.all(["Mass One", "Mass Two"].map(async (n) => (await tag(n)).id));
    ok(
      await wrangleMany(h.db, {
        tagIds: ids,
        action: { kind: "fandom", fandom: "Mass Fandom" },
        now,
      }),
    );
    const links = await h.db
      .selectFrom("tag_parents")
      .select("child_id")
      .where("parent_id", "=", (await tag("Mass Fandom")).id)
      .execute();
    assert.deepEqual(links.map((l) => l.child_id).sort(), [...ids].sort());
    const three = (await tag("Mass Three")).id;
    const r = await wrangleMany(h.db, {
      tagIds: [three, (await tag("Explicit")).id],
      action: {
        kind: "fandom",
        fandom: "Mass Fandom",
      },
      now,
    });
    assert.equal(r.ok, false);
    const after = await h.db
      .selectFrom("tag_parents")
      .select("child_id")
      .where("child_id", "=", three)
      .execute();
    assert.equal(after.length, 0, "rolled back");
  });

  test("Unicode tag names wrangle and fold", async () => {
    await buildWork(h.db, {
      pseudId,
      title: "JP",
      characters: "東京タワー, Тёмный Лорд, ليلى, 🌙 Moon Child",
    });
    await buildWork(h.db, { pseudId, title: "JP2", characters: "東京タワー (Tokyo Tower)" });
    ok(
      await setCanonical(h.db, {
        tagId: (await tag("東京タワー")).id,
        canonical: true,
        now,
      }),
    );
    ok(
      await makeSynonym(h.db, {
        tagId: (await tag("東京タワー (Tokyo Tower)")).id,
        canonicalName: "東京タワー",
        now,
      }),
    );
    assert.deepEqual(await titlesUnder("東京タワー"), ["JP", "JP2"]);
    ok(
      await renameTag(h.db, {
        tagId: (await tag("тёмный лорд")).id,
        newName: "ТЁМНЫЙ ЛОРД",
        now,
      }),
    );
    assert.ok(await findTagByName(h.db, "Тёмный Лорд"));
    assert.ok(await findTagByName(h.db, "🌙 moon child"));
  });

  test("property: refolding only the touched filter rows equals recomputing every work", async () => {
    const names = ["P0", "P1", "P2", "P3", "P4", "P5"];
    const works: number[] = [];
    for (let i = 0; i < 18; i++) {
      const picked = names.filter((_, j) => (i >> j) % 2 === 1 || j === i % names.length);
      works.push((await buildWork(h.db, { pseudId, freeforms: picked.join(", ") })).workId);
    }
    const ids = await Promise.all(names.map(async (n) => (await tag(n)).id));
    const snapshot = async () =>
      (
        await h.db
          .selectFrom("work_filter_tags")
          .select(["work_id", "tag_id"])
          .where("work_id", "in", works)
          .orderBy("work_id")
          .orderBy("tag_id")
          .execute()
      ).map((r) => `${r.work_id}:${r.tag_id}`);
    const op = fc.oneof(
      fc.record({ kind: fc.constant("canonical" as const), a: fc.nat(5), on: fc.boolean() }),
      fc.record({ kind: fc.constant("synonym" as const), a: fc.nat(5), b: fc.nat(5) }),
      fc.record({ kind: fc.constant("unsynonym" as const), a: fc.nat(5) }),
      fc.record({ kind: fc.constant("parent" as const), a: fc.nat(5), b: fc.nat(5) }),
      fc.record({ kind: fc.constant("unparent" as const), a: fc.nat(5), b: fc.nat(5) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), async (ops) => {
        for (const o of ops) {
          const a = ids[o.a]!;
          if (o.kind === "canonical") await setCanonical(h.db, { tagId: a, canonical: o.on, now });
          else if (o.kind === "synonym")
            await makeSynonym(h.db, { tagId: a, canonicalName: names[o.b]!, now });
          else if (o.kind === "unsynonym") await removeSynonym(h.db, { tagId: a, now });
          else if (o.kind === "parent")
            await addParent(h.db, { tagId: a, parentName: names[o.b]!, now });
          else await removeParent(h.db, { tagId: a, parentId: ids[o.b]!, now });
        }
        const incremental = await snapshot();
        await refreshFilterTags(h.db, sql`select id from works`);
        assert.deepEqual(incremental, await snapshot());
      }),
      { numRuns: 25, seed: 4242 },
    );
  });
});
