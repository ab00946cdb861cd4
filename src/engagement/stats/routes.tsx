/**
 * Author statistics: /users/:login/stats (page) and /users/:login/stats.csv (download). Only
 * the account's owner may see them; counters come from work_stats and work_daily_stats.
 */
import { LoginParams } from "../../accounts/schemas.ts";
import { recordId } from "../../core/http/params.ts";
import type { FastifyInstance } from "fastify";
import { ownAccount } from "../../accounts/lookup.ts";
import { z } from "zod";
import { notFound } from "../../core/http/errors.ts";
import { route, type AppDeps } from "../../core/http/route.tsx";
import { page } from "../../core/views/render.tsx";
import { chapterIndex } from "../../works/chapter-queries.ts";
import { dayOf } from "../counters/queries.ts";
import { isoDay } from "./chart.tsx";
import { toCsv } from "./csv.ts";
import { SORTS, sortWorks, totalsOf } from "./present.ts";
import type { HitBuffer } from "./hit-buffer.ts";
import * as q from "./queries.ts";
import { StatsView, type ChapterRow } from "./views.tsx";

const Sort = z.enum(SORTS, { message: `must be one of: ${SORTS.join(", ")}` });
const Dir = z.enum(["asc", "desc"], { message: 'must be "asc" or "desc"' });
const Range = z
  .enum(["30", "90", "365"], { message: "must be 30, 90 or 365 (days)" })
  .transform(Number);
/** The "All works" choice of the form sends an empty value. */
const WorkId = z.preprocess((v) => (v === "" ? undefined : v), recordId("work").optional());

const StatsQuery = z.object({
  sort: Sort.default("hits"),
  dir: Dir.optional(),
  figure: z.enum(q.FIGURES, { message: `must be one of: ${q.FIGURES.join(", ")}` }).default("hits"),
  range: Range.default(30),
  work: WorkId,
});

const CsvQuery = z.object({
  sort: Sort.default("hits"),
  dir: Dir.optional(),
  work: WorkId,
  daily: z
    .enum(["1", "0", "true", "false"], { message: 'must be "1" or "0"' })
    .optional()
    .transform((v) => v === "1" || v === "true"),
  /** Daily rows only: the last 30, 90 or 365 days (default: since the first counted day). */
  range: Range.optional(),
});

const PRIVATE = "Statistics are visible only to their author.";

/** A work of the account chosen with `?work=`; any other id is "not found" (no leaks). */
function chosenWork(works: readonly q.WorkFigures[], workId: number | undefined) {
  if (workId === undefined) return null;
  const work = works.find((w) => w.id === workId);
  if (!work) throw notFound("work");
  return work;
}

async function chapterRows(deps: AppDeps, workId: number): Promise<ChapterRow[]> {
  const [chapters, figures] = await Promise.all([
    chapterIndex(deps.db, workId),
    q.chapterFigures(deps.db, workId),
  ]);
  return chapters.map((c) => ({
    id: c.id,
    position: c.position,
    title: c.title,
    posted: c.posted === 1,
    words: c.word_count,
    ...(figures.get(c.id) ?? { hits: 0, kudos: 0, comments: 0 }),
  }));
}

/** `hits`: this process's waiting hits are written first, so an author sees their latest. */
export function registerStatsRoutes(app: FastifyInstance, deps: AppDeps, hits: HitBuffer) {
  route(app, deps, {
    method: "GET",
    url: "/users/:login/stats",
    auth: "user",
    params: LoginParams,
    query: StatsQuery,
    handler: async ({ deps, user, params, query }) => {
      const account = await ownAccount(deps, user, params.login, PRIVATE);
      await hits.flush();
      const works = await q.worksWithFigures(deps.db, account.id);
      const selected = chosenWork(works, query.work);
      const today = dayOf(deps.now());
      const scope = selected ? { workId: selected.id } : { userId: account.id };
      const [series, chapters] = await Promise.all([
        q.dailyFigures(deps.db, scope, today - query.range + 1, today),
        selected ? chapterRows(deps, selected.id) : Promise.resolve(null),
      ]);
      return page(
        "Statistics",
        <StatsView
          login={account.login}
          works={sortWorks(works, query.sort, query.dir)}
          totals={totalsOf(works)}
          choice={{ ...query, work: selected?.id }}
          selected={selected}
          series={series}
          chapters={chapters}
        />,
      );
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/users/:login/stats.csv",
    auth: "user",
    params: LoginParams,
    query: CsvQuery,
    handler: async ({ deps, user, params, query, reply }) => {
      const account = await ownAccount(deps, user, params.login, PRIVATE);
      await hits.flush();
      const works = await q.worksWithFigures(deps.db, account.id);
      const selected = chosenWork(works, query.work);
      const today = dayOf(deps.now());
      let name: string;
      let body: string;
      if (query.daily) {
        const scope = selected ? { workId: selected.id } : { userId: account.id };
        const from = query.range
          ? today - query.range + 1
          : Math.min((await q.firstActiveDay(deps.db, scope)) ?? today, today);
        const days = await q.dailyFigures(deps.db, scope, from, today);
        body = toCsv(
          ["date", ...q.FIGURES],
          days.map((d) => [isoDay(d.day), ...q.FIGURES.map((f) => d[f])]),
        );
        name = `${account.login}-${selected ? `work-${selected.id}-` : ""}daily-${isoDay(today)}.csv`;
      } else {
        const rows = (selected ? [selected] : sortWorks(works, query.sort, query.dir)).map((w) => [
          w.id,
          w.title,
          w.posted ? "posted" : "draft",
          w.words,
          ...q.FIGURES.map((f) => w[f]),
        ]);
        body = toCsv(["id", "title", "status", "words", ...q.FIGURES], rows);
        name = `${account.login}-stats-${isoDay(today)}.csv`;
      }
      return reply
        .header("content-disposition", `attachment; filename="${name}"`)
        .header("cache-control", "private, no-store")
        .type("text/csv; charset=utf-8")
        .send(body);
    },
  });
}
