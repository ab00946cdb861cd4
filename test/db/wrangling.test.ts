import assert from "node:assert/strict";
import fc from "fast-check";
import { sql } from "kysely";
import { after, before, test } from "node:test";
import type { DbHandle } from "../../src/core/db/index.ts";
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
  const ok = (r: { ok: boolean; error?: string }) => assert.ok(r.ok, r.ok ? "" : r.error);
  const refused = (r: { ok: boolean; error?: string }, message: RegExp) => {
    assert.equal(r.ok, false);
    assert.match((r as { error: string }).error, message);
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
    ok(await setCanonical(h.db, (await tag("Derek Shepherd")).id, true));
    assert.deepEqual(await titlesUnder("Derek Shepherd"), ["Spelled right"]);
    ok(await makeSynonym(h.db, (await tag("Derek Shepard")).id, "derek shepherd"));
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
    ok(await removeSynonym(h.db, (await tag("Derek Shepard")).id));
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
    ok(await setCanonical(h.db, greys.id, true));
    ok(await makeSynonym(h.db, (await tag("Greys Anatomy")).id, "Grey's Anatomy"));
    refused(
      await makeSynonym(h.db, (await tag("Grey's Anatomy (TV)")).id, "Greys Anatomy"),
      /is itself a synonym; choose its canonical tag instead/,
    );
    refused(await makeSynonym(h.db, (await tag("Mer")).id, "Meredith Grey"), /is not canonical/);
    ok(await setCanonical(h.db, (await tag("Meredith Grey")).id, true));
    refused(
      await makeSynonym(h.db, (await tag("Meredith Grey AU")).id, "Meredith Grey"),
      /is an additional tag and "Meredith Grey" is a character: a synonym must be of the same type/,
    );
    refused(
      await makeSynonym(h.db, (await tag("Mer")).id, "Nobody At All"),
      /There is no tag named "Nobody At All"/,
    );
    refused(await makeSynonym(h.db, (await tag("Explicit")).id, "Mature"), /fixed tags/);
    refused(await setCanonical(h.db, greys.id, false), /has synonyms/);
    refused(await setCanonical(h.db, (await tag("Greys Anatomy")).id, true), /is a synonym/);
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
      ok(await setCanonical(h.db, (await tag(n)).id, true));
    }
    const hospital = await tag("Alternate Universe - Hospital");
    const night = await tag("Alternate Universe - Hospital - Night Shift");
    ok(await addParent(h.db, hospital.id, "Alternate Universe"));
    ok(await addParent(h.db, night.id, "Alternate Universe - Hospital"));
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
      await addParent(
        h.db,
        (await tag("Alternate Universe")).id,
        "Alternate Universe - Hospital - Night Shift",
      ),
      /would make a loop/,
    );
    refused(await addParent(h.db, hospital.id, "Alternate Universe - Hospital"), /its own parent/);
    ok(await removeParent(h.db, hospital.id, (await tag("Alternate Universe")).id));
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
    ok(await addParent(h.db, (await tag("Ann")).id, "Link Fandom"));
    ok(await addParent(h.db, (await tag("Ann/Bo")).id, "Ann"));
    ok(await addParent(h.db, (await tag("Link Trope")).id, "Link Fandom"));
    ok(await addParent(h.db, (await tag("Link Fandom")).id, "TV Shows"));
    refused(
      await addParent(h.db, (await tag("Link Fandom")).id, "Ann"),
      /A fandom can't be placed under a character/,
    );
    refused(
      await addParent(h.db, (await tag("Ann")).id, "Link Trope"),
      /A character can't be placed under an additional tag/,
    );
    refused(
      await addParent(h.db, (await tag("Ann")).id, "Derek Shepherd"),
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
    ok(await setCanonical(h.db, (await tag("Coffee Shop AU")).id, true));
    ok(await makeSynonym(h.db, (await tag("Café AU")).id, "Coffee Shop AU"));
    ok(await setCanonical(h.db, (await tag("Alternate Universe - Coffee Shops & Cafés")).id, true));
    ok(
      await makeSynonym(
        h.db,
        (await tag("Coffee Shop AU")).id,
        "Alternate Universe - Coffee Shops & Cafés",
      ),
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
    ok(await renameTag(h.db, t.id, "Slow Burn"));
    assert.equal((await tag("Slow Burn")).id, t.id);
    assert.deepEqual(await titlesUnder("Slow Burn"), ["Renamed"]);
    refused(await renameTag(h.db, t.id, "slow burn fic"), /already a tag named "Slow Burn Fic"/);
    refused(await renameTag(h.db, t.id, "Bad*Name"), /contains \*/);
  });

  test("mass wrangling applies one action to many tags, or none on a refusal", async () => {
    await buildWork(h.db, {
      pseudId,
      fandoms: "Mass Fandom",
      characters: "Mass One, Mass Two, Mass Three",
    });
    const ids = await Promise.all(["Mass One", "Mass Two"].map(async (n) => (await tag(n)).id));
    ok(await wrangleMany(h.db, ids, { kind: "fandom", fandom: "Mass Fandom" }));
    const links = await h.db
      .selectFrom("tag_parents")
      .select("child_id")
      .where("parent_id", "=", (await tag("Mass Fandom")).id)
      .execute();
    assert.deepEqual(links.map((l) => l.child_id).sort(), [...ids].sort());
    const three = (await tag("Mass Three")).id;
    const r = await wrangleMany(h.db, [three, (await tag("Explicit")).id], {
      kind: "fandom",
      fandom: "Mass Fandom",
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
    ok(await setCanonical(h.db, (await tag("東京タワー")).id, true));
    ok(await makeSynonym(h.db, (await tag("東京タワー (Tokyo Tower)")).id, "東京タワー"));
    assert.deepEqual(await titlesUnder("東京タワー"), ["JP", "JP2"]);
    ok(await renameTag(h.db, (await tag("тёмный лорд")).id, "ТЁМНЫЙ ЛОРД"));
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
          if (o.kind === "canonical") await setCanonical(h.db, a, o.on);
          else if (o.kind === "synonym") await makeSynonym(h.db, a, names[o.b]!);
          else if (o.kind === "unsynonym") await removeSynonym(h.db, a);
          else if (o.kind === "parent") await addParent(h.db, a, names[o.b]!);
          else await removeParent(h.db, a, ids[o.b]!);
        }
        const incremental = await snapshot();
        await refreshFilterTags(h.db, sql`select id from works`);
        assert.deepEqual(incremental, await snapshot());
      }),
      { numRuns: 25, seed: 4242 },
    );
  });
});
