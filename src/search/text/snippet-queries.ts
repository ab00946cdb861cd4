/**
 * Passages for a page of text-search results (issue 5): the chapters the index says match are
 * read from the database in rounds and scanned by snippet.ts; the same on both engines.
 */
import type { Engine, Queryable } from "../../core/db/index.ts";
import { textDialect } from "./dialects.ts";
import { inBody, type TextQuery } from "./query.ts";
import { SnippetFinder, type Snippet, type SnippetField } from "./snippet.ts";

/**
 * Chapter HTML loaded per work per round after the first (which loads one chapter: most
 * matches are in it), and scanned at most per work and per call.
 */
const ROUND_CHARS = 200_000;
const WORK_CHARS = 1_000_000;
const CALL_CHARS = 4_000_000;
/** Estimated HTML characters per counted word, to plan loads without reading the text. */
const CHARS_PER_WORD = 7;

/**
 * A passage around the best match for each work (one page of results), preferring chapter
 * text, then the summary and notes. Works where nothing matches in the first WORK_CHARS of
 * their chapters, nor in their summary or notes (a match only in the title, tags or creators),
 * get no entry.
 */
export async function workSnippets(
  db: Queryable,
  engine: Engine,
  query: TextQuery,
  workIds: readonly number[],
): Promise<Map<number, Snippet>> {
  const out = new Map<number, Snippet>();
  const ids = [...new Set(workIds)];
  if (ids.length === 0) return out;
  const finder = new SnippetFinder(query);
  // Chapters are read only for works whose chapters match (the index knows): a work found by
  // its title or tags would otherwise have all its chapters scanned in vain.
  const clauses = query.include.filter(inBody);
  const inChapters = clauses.length
    ? await textDialect(engine).worksMatchingBody(db, clauses, ids)
    : [];
  const [works, chapters] = await Promise.all([
    db
      .selectFrom("works")
      .select(["id", "summary_html", "notes_html", "end_notes_html"])
      .where("id", "in", ids)
      .execute(),
    db
      .selectFrom("chapters")
      .select(["id", "work_id", "title", "word_count"])
      .where("work_id", "in", inChapters.length ? inChapters : [0])
      .where("posted", "=", 1)
      .orderBy("work_id")
      .orderBy("position")
      .execute(),
  ]);
  const queue = new Map<number, { id: number; words: number; where?: string }[]>();
  for (const c of chapters) {
    const list = queue.get(c.work_id) ?? [];
    // Numbered among posted chapters, as the reader sees them; one-shots need no label.
    list.push({
      id: c.id,
      words: c.word_count,
      where: `Chapter ${list.length + 1}${c.title ? `: ${c.title}` : ""}`,
    });
    queue.set(c.work_id, list);
  }
  for (const list of queue.values()) if (list.length === 1) delete list[0]!.where;
  const notes = new Map<number, { html: string; where: string }[]>();
  const scanned = new Map<number, number>();
  let callChars = 0;
  // Rounds: each unresolved work's next chapters, until a match or the budgets run out.
  for (let round = 0; ; round++) {
    const wanted: { workId: number; id: number; where?: string }[] = [];
    for (const [workId, list] of queue) {
      let planned = 0;
      const budget = round === 0 ? 1 : ROUND_CHARS;
      while (list.length && planned < budget && (scanned.get(workId) ?? 0) < WORK_CHARS) {
        const c = list.shift()!;
        const chars = c.words * CHARS_PER_WORD;
        planned += chars;
        scanned.set(workId, (scanned.get(workId) ?? 0) + chars);
        wanted.push({ workId, id: c.id, ...(c.where ? { where: c.where } : {}) });
      }
      if (planned === 0) queue.delete(workId);
    }
    if (wanted.length === 0 || callChars > CALL_CHARS) break;
    const rows = await db
      .selectFrom("chapters")
      .select(["id", "text_html", "summary_html", "notes_html", "end_notes_html"])
      .where(
        "id",
        "in",
        wanted.map((w) => w.id),
      )
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const w of wanted) {
      const row = byId.get(w.id);
      if (!row || out.has(w.workId)) continue;
      callChars += row.text_html.length;
      const parts = finder.find(row.text_html, "text");
      if (parts) {
        out.set(w.workId, { parts, ...(w.where ? { where: w.where } : {}) });
        queue.delete(w.workId);
        continue;
      }
      const label = w.where ?? "Chapter";
      const list = notes.get(w.workId) ?? [];
      for (const [html, what] of [
        [row.summary_html, "summary"],
        [row.notes_html, "notes"],
        [row.end_notes_html, "end notes"],
      ] as const) {
        if (html) list.push({ html, where: `${label} ${what}` });
      }
      notes.set(w.workId, list);
    }
  }
  // No match in the chapters read: the summary and notes, then the chapters' notes.
  for (const w of works) {
    if (out.has(w.id)) continue;
    const texts: { html: string; where: string; field: SnippetField }[] = [
      { html: w.summary_html, where: "Summary", field: "summary" },
      { html: w.notes_html, where: "Notes", field: "summary" },
      { html: w.end_notes_html, where: "End Notes", field: "summary" },
      ...(notes.get(w.id) ?? []).map((n) => ({ ...n, field: "text" as const })),
    ];
    for (const t of texts) {
      const parts = t.html ? finder.find(t.html, t.field) : null;
      if (parts) {
        out.set(w.id, { parts, where: t.where });
        break;
      }
    }
  }
  return out;
}
