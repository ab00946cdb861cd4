/**
 * A very popular work (issue 6): its page with many comment threads and many kudos, on each
 * engine — the comment section's counts and thread paging, and the kudos sentence, at a size
 * few works reach. Rows are inserted directly (the commands are timed elsewhere).
 *
 *   node --import tsx bench/busy-work.ts [--threads 5000] [--kudos 20000] [--engine sqlite,postgres]
 */
import { performance } from "node:perf_hooks";
import { sanitizeHtml } from "../src/core/text/sanitize.ts";
import { Client, createTestApp, workForm, workIdFrom } from "../test/support/app.ts";
import { engines, numberArg, percentiles } from "./support.ts";

const argv = process.argv.slice(2);
const THREADS = numberArg(argv, "threads", 5_000);
const KUDOS = numberArg(argv, "kudos", 20_000);
const COMMENT_HTML = sanitizeHtml("<p>A comment.</p>");
const REPLY_HTML = sanitizeHtml("<p>A reply.</p>");

for (const engine of engines(argv)) {
  const t = await createTestApp(engine);
  try {
    const writer = new Client(t.app);
    await writer.signUp("busy_writer");
    const workId = workIdFrom((await writer.post("/works", workForm({}))).headers.location);
    for (let i = 0; i < 20; i++) await new Client(t.app).signUp(`busy_fan_${i}`);
    const fans = await t.deps.db
      .selectFrom("pseuds")
      .innerJoin("users", "users.id", "pseuds.user_id")
      .select(["users.id as userId", "pseuds.id as pseudId"])
      .where("users.login", "like", "busy_fan_%")
      .execute();
    const now = t.clock.now;
    const comment = (i: number, parent: number | null, thread: number, depth: number) => ({
      work_id: workId,
      chapter_id: null,
      parent_id: parent,
      thread_id: thread,
      depth,
      user_id: fans[i % fans.length]!.userId,
      pseud_id: fans[i % fans.length]!.pseudId,
      guest_name: null,
      guest_email: null,
      body_html: depth === 1 ? COMMENT_HTML : REPLY_HTML,
      sanitizer_version: 1,
      status: "published" as const,
      created_at: now + i,
      edited_at: null,
    });
    for (let start = 0; start < THREADS; start += 500) {
      await t.deps.db.transaction().execute(async (tx) => {
        for (let i = start; i < Math.min(start + 500, THREADS); i++) {
          const root = await tx
            .insertInto("comments")
            .values(comment(i, null, 0, 1))
            .returning("id")
            .executeTakeFirstOrThrow();
          await tx
            .updateTable("comments")
            .set({ thread_id: root.id })
            .where("id", "=", root.id)
            .execute();
          await tx
            .insertInto("comments")
            .values(comment(i + 1, root.id, root.id, 2))
            .execute();
        }
      });
    }
    for (let start = 0; start < KUDOS; start += 1_000) {
      const rows = Array.from({ length: Math.min(1_000, KUDOS - start) }, (_, i) => ({
        work_id: workId,
        user_id: null,
        guest_key: String(start + i).padStart(32, "0"),
        created_at: now,
      }));
      await t.deps.db.insertInto("kudos").values(rows).execute();
    }
    const guest = new Client(t.app);
    const samples: number[] = [];
    const pages = Math.ceil(THREADS / 20);
    for (let i = 0; i < 110; i++) {
      const path = `/works/${workId}?page=${1 + ((i * 7) % pages)}`;
      const t0 = performance.now();
      const res = await guest.get(path);
      if (i >= 10) samples.push(performance.now() - t0);
      if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode}`);
    }
    const p = percentiles(samples);
    console.log(
      `${engine}: work page with ${(THREADS * 2).toLocaleString("en-US")} comments in ${THREADS.toLocaleString("en-US")} threads and ${KUDOS.toLocaleString("en-US")} guest kudos — p50 ${p.p50.toFixed(1)} / p95 ${p.p95.toFixed(1)} / p99 ${p.p99.toFixed(1)} ms (${p.n} pages)`,
    );
  } finally {
    await t.close();
  }
}
