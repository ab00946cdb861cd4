/**
 * Readies a freshly generated archive for the page benchmark and names its pages. Run as a
 * child process in the tree that generated the archive (its code matches the schema), with
 * that archive's DATABASE_URL / FANFOLD_DATA_DIR:
 *
 *   node --import tsx /path/to/bench/pages/prepare-archive.ts TREE
 *
 * Through the archive's own commands (so counts, the change log and any stored rendering
 * stay right) it makes the fandom with the most public works canonical, and lengthens the
 * longest public, unrestricted, single-chapter General/Teen work to about 5,000 words with
 * paragraphs of other chapters. It prints the pages' targets as JSON on its last line.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type * as ConfigModule from "../../src/core/config.ts";
import type * as DbModule from "../../src/core/db/index.ts";
import type * as DemoModule from "../../src/demo/generate.ts";
import type * as TagCommands from "../../src/tags/commands.ts";
import type * as WorkCommands from "../../src/works/commands.ts";
import type * as WorkSchemas from "../../src/works/schemas.ts";

type Import<T> = (path: string) => Promise<T>;
const tree = process.argv[2];
if (!tree) throw new Error("usage: prepare-archive.ts TREE");
const load: Import<unknown> = (path) => import(pathToFileURL(join(tree, "src", path)).href);
const { loadConfig } = (await load("core/config.ts")) as typeof ConfigModule;
const { openDb } = (await load("core/db/index.ts")) as typeof DbModule;
const { editChapter } = (await load("works/commands.ts")) as typeof WorkCommands;
const { ChapterInput } = (await load("works/schemas.ts")) as typeof WorkSchemas;
const { setCanonical } = (await load("tags/commands.ts")) as typeof TagCommands;
const { DEMO_PASSWORD } = (await load("demo/generate.ts")) as typeof DemoModule;

const TARGET_WORDS = 5_000;
const USER_TAG_TYPES = ["relationship", "character", "freeform"] as const;
const words = (html: string) =>
  html
    .replace(/<[^>]*>/g, " ")
    .split(/\s+/)
    .filter(Boolean).length;

const handle = openDb(loadConfig().database);
const { db } = handle;
const now = Date.now();
try {
  // The fandom most public works carry: the tag listing.
  const fandom = await db
    .selectFrom("tags")
    .select(["id", "name", "canonical"])
    .where("type", "=", "fandom")
    .where("merger_id", "is", null)
    .orderBy("public_count", "desc")
    .executeTakeFirstOrThrow();
  if (!fandom.canonical) {
    const made = await setCanonical(db, { tagId: fandom.id, canonical: true, now });
    if (!made.ok) throw new Error(`could not make ${fandom.name} canonical`);
  }

  // Works every guest may read: posted, unrestricted, not hidden, not anonymous, not adult.
  const publicWorks = db
    .selectFrom("works")
    .innerJoin("tags as rating", "rating.id", "works.rating_id")
    .where("works.posted", "=", 1)
    .where("works.restricted", "=", 0)
    .where("works.hidden_reason", "is", null)
    .where("works.in_anon_collection", "=", 0)
    .where("works.in_unrevealed_collection", "=", 0)
    .where("rating.name", "in", ["General Audiences", "Teen And Up Audiences"]);
  const work = await publicWorks
    .select(["works.id", "works.title", "works.word_count"])
    .where("works.chapter_count", "=", 1)
    .orderBy("works.word_count", "desc")
    .orderBy("works.id")
    .executeTakeFirstOrThrow();
  const chapter = await db
    .selectFrom("chapters")
    .select(["id", "title", "text_html"])
    .where("work_id", "=", work.id)
    .where("posted", "=", 1)
    .executeTakeFirstOrThrow();
  if (work.word_count < TARGET_WORDS * 0.95) {
    // Whole paragraphs of other chapters until the text reaches about 5,000 words.
    let text: string = chapter.text_html;
    let count = words(text);
    const donors = db
      .selectFrom("chapters")
      .select("text_html")
      .where("work_id", "!=", work.id)
      .where("posted", "=", 1)
      .orderBy("id")
      .limit(50)
      .execute();
    outer: for (const donor of await donors) {
      for (const paragraph of donor.text_html.match(/<p[\s>][\s\S]*?<\/p>/g) ?? []) {
        if (count >= TARGET_WORDS) break outer;
        text += paragraph;
        count += words(paragraph);
      }
    }
    const input = ChapterInput.parse({ chapter_title: chapter.title, text, action: "post" });
    const edited = await editChapter(db, { workId: work.id, chapterId: chapter.id, input, now });
    if (!edited.ok) throw new Error(`could not lengthen work ${work.id}`);
  }
  const lengthened = await db
    .selectFrom("works")
    .select("word_count")
    .where("id", "=", work.id)
    .executeTakeFirstOrThrow();

  // The filtered listing: the three user tags most common among the fandom's public works;
  // the first is included, the other two excluded (so both filters remove works).
  const common = await publicWorks
    .innerJoin("work_filter_tags as f", "f.work_id", "works.id")
    .innerJoin("tags", "tags.id", "f.tag_id")
    .where("tags.type", "in", [...USER_TAG_TYPES])
    .where("works.id", "in", (eb) =>
      eb.selectFrom("work_filter_tags").select("work_id").where("tag_id", "=", fandom.id),
    )
    .select((eb) => ["tags.id", "tags.name", eb.fn.countAll<number | string>().as("works")])
    .groupBy(["tags.id", "tags.name"])
    .orderBy("works", "desc")
    .orderBy("tags.id")
    .limit(3)
    .execute();
  if (common.length < 3) throw new Error(`${fandom.name} has fewer than three user tags`);
  const [include, ...exclude] = common.map((t) => ({ id: t.id, name: t.name }));

  const reader = await db
    .selectFrom("users")
    .select("login")
    .orderBy("id")
    .executeTakeFirstOrThrow();
  console.log(
    JSON.stringify({
      work: { id: work.id, title: work.title, words: lengthened.word_count },
      tag: { id: fandom.id, name: fandom.name },
      include,
      exclude,
      login: reader.login,
      password: DEMO_PASSWORD,
    }),
  );
} finally {
  await handle.close();
}
