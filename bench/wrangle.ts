/**
 * Wrangling a tag used on 100,000 works: rename, make it a synonym of a canonical tag
 * (every work's folded set updated in one transaction), and file the canonical under a
 * metatag; each timed, then checked through the tag listing's total.
 *
 *   node --import tsx bench/wrangle.ts [--engine sqlite,postgres] [--works 100000]
 */
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { refusalMessage } from "../src/core/result.ts";
import { GUEST, NO_EXCLUSIONS } from "../src/core/viewer.ts";
import { loadDemoCorpus } from "../src/demo/seed.ts";
import { addParent, makeSynonym, renameTag, setCanonical } from "../src/tags/commands.ts";
import {
  findOrCreateTags,
  findTagByName,
  recountTaggings,
  refreshFilterTags,
} from "../src/tags/queries.ts";
import { listWorks } from "../src/works/queries.ts";
import { benchDb, engines, numberArg } from "./support.ts";

const works = numberArg(process.argv, "works", 100_000);

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await fn();
  console.log(`  ${label.padEnd(58)} ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  return result;
}

for (const engine of engines(process.argv)) {
  console.log(`[${engine}] ${works.toLocaleString("en-US")} works`);
  const handle = await benchDb(engine);
  const db = handle.db;
  try {
    await timed("load corpus (generator, bulk loader, no bodies)", () =>
      loadDemoCorpus(db, engine, {
        works,
        bodies: "none",
        users: 500,
        passwordHashCost: { memoryCost: 256, timeCost: 1 },
      }),
    );
    const now = Date.now();
    const [variant] = await findOrCreateTags(db, "freeform", ["Bench Variant"], now);
    const [canonical] = await findOrCreateTags(db, "freeform", ["Bench Canonical"], now);
    const [meta] = await findOrCreateTags(db, "freeform", ["Bench Metatag"], now);
    if (!variant || !canonical || !meta) throw new Error("tags not created");
    await timed(`tag every work with "Bench Variant" and refresh filters`, async () => {
      await sql`insert into work_tags (work_id, tag_id, position) select id, ${variant.id}, 99 from works`.execute(
        db,
      );
      await recountTaggings(db);
      await refreshFilterTags(db, sql`select id from works`);
    });
    const count = async (name: string) => {
      const tag = await findTagByName(db, name);
      const { total } = await listWorks(
        db,
        {
          ...GUEST,
          user: {
            id: 0,
            login: "",
            roles: new Set(),
            viewAdult: true,
            exclusions: NO_EXCLUSIONS,
            unreadNotifications: 0,
            suspendedUntil: null,
          },
        },
        { kind: "tag", tagId: tag!.id },
        { number: 1, size: 20 },
      );
      return total;
    };
    const expect = async (name: string, want: number) => {
      const got = await count(name);
      console.log(
        `    ${name}: ${got.toLocaleString("en-US")} works ${got === want ? "(correct)" : `(WRONG: expected ${want})`}`,
      );
      if (got !== want) process.exitCode = 1;
    };
    await timed(`rename "Bench Variant" → "Bench Variant (renamed)"`, async () => {
      const r = await renameTag(db, {
        tagId: variant.id,
        newName: "Bench Variant (renamed)",
        now: Date.now(),
      });
      if (!r.ok) throw new Error(refusalMessage(r));
    });
    await expect("Bench Variant (renamed)", works);
    for (const id of [canonical.id, meta.id])
      await setCanonical(db, { tagId: id, canonical: true, now: Date.now() });
    await timed(`make it a synonym of "Bench Canonical" (refolds every work)`, async () => {
      const r = await makeSynonym(db, {
        tagId: variant.id,
        canonicalName: "Bench Canonical",
        now: Date.now(),
      });
      if (!r.ok) throw new Error(refusalMessage(r));
    });
    await expect("Bench Canonical", works);
    await timed(`file "Bench Canonical" under metatag "Bench Metatag"`, async () => {
      const r = await addParent(db, {
        tagId: canonical.id,
        parentName: "Bench Metatag",
        now: Date.now(),
      });
      if (!r.ok) throw new Error(refusalMessage(r));
    });
    await expect("Bench Metatag", works);
    await timed(`rename the canonical (case only): "bench canonical"`, async () => {
      const r = await renameTag(db, {
        tagId: canonical.id,
        newName: "bench canonical",
        now: Date.now(),
      });
      if (!r.ok) throw new Error(refusalMessage(r));
    });
    await expect("bench canonical", works);
  } finally {
    await handle.close();
  }
}
