/**
 * Stores generated demo content through the same commands authors use, in batches of works
 * per transaction so that large benchmark corpora load quickly.
 */
import { performance } from "node:perf_hooks";
import { insertPseud, insertUser } from "../accounts/queries.ts";
import { hashPassword, type HashCost } from "../accounts/passwords.ts";
import type { Db, Engine } from "../core/db/index.ts";
import { BulkLoader, type BulkWork } from "./bulk.ts";
import { engageDemo } from "./engagement.ts";
import { wrangleDemo } from "./wrangle.ts";
import { Rollback } from "../core/result.ts";
import { addChapterIn, postWorkIn } from "../works/commands.ts";
import { seriesDemo } from "./series.ts";
import { ChapterInput, NewWorkInput } from "../works/schemas.ts";
import { countUsers } from "./queries.ts";
import {
  DEMO_PASSWORD,
  demoUsers,
  generateWorks,
  type DemoWork,
  type GenerateOptions,
} from "./generate.ts";

export interface LoadOptions {
  works: number;
  users?: number;
  seed?: number;
  bodies?: GenerateOptions["bodies"];
  /** Works per transaction. */
  batch?: number;
  /** "bulk" (default) writes rows in batches; "commands" posts each work as an author would. */
  mode?: "bulk" | "commands";
  /** The generated dates end here (default: now). */
  now?: number;
  passwordHashCost?: HashCost;
  log?: (message: string) => void;
}

export interface LoadResult {
  works: number;
  users: number;
  password: string;
  ms: number;
}

const PRODUCTION_COST: HashCost = { memoryCost: 19_456, timeCost: 2 };

/** What the new-work form would have sent for a generated work. */
export function workInput(work: DemoWork) {
  const first = work.chapters[0];
  return NewWorkInput.parse({
    title: work.title,
    summary: work.summary,
    notes: work.notes,
    end_notes: work.endNotes,
    rating: work.rating,
    warnings: work.warnings,
    categories: work.categories,
    fandoms: work.fandoms.join(", "),
    relationships: work.relationships.join(", "),
    characters: work.characters.join(", "),
    freeforms: work.freeforms.join(", "),
    language: work.language,
    restricted: work.restricted ? "1" : "",
    expected_chapters:
      work.expectedChapters === null ? "" : String(Math.max(work.expectedChapters, 1)),
    chapter_title: first?.title ?? "",
    text: first?.text ?? "",
    action: "post",
  });
}

/** A generated work as the forms would send it, with the time each chapter was posted. */
function toBulkWork(work: DemoWork, pseudId: number): BulkWork {
  const extra = work.chapters.length - 1;
  return {
    pseudId,
    input: workInput(work),
    publishedAt: work.publishedAt,
    more: work.chapters.slice(1).map((chapter, i) => ({
      input: ChapterInput.parse({
        chapter_title: chapter.title ?? "",
        summary: chapter.summary,
        notes: chapter.notes,
        end_notes: chapter.endNotes,
        text: chapter.text,
        action: "post",
      }),
      // Later chapters arrive spread between the first posting and the last update.
      at: work.publishedAt + Math.round(((work.updatedAt - work.publishedAt) * (i + 1)) / extra),
    })),
  };
}

/** The slow, obviously right way: every work through the posting commands. */
async function postThroughCommands(db: Db, batch: BulkWork[]) {
  await db.transaction().execute(async (tx) => {
    for (const work of batch) {
      try {
        const posted = await postWorkIn(tx, {
          pseudId: work.pseudId,
          input: work.input,
          now: work.publishedAt,
        });
        if (!posted.ok) throw new Error(JSON.stringify(posted.errors));
        for (const chapter of work.more) {
          await addChapterIn(tx, {
            workId: posted.value.workId,
            input: chapter.input,
            now: chapter.at,
          });
        }
      } catch (err) {
        const reason = err instanceof Rollback ? JSON.stringify(err.refusal.errors) : String(err);
        throw new Error(`Could not store generated work "${work.input.title}": ${reason}`, {
          cause: err,
        });
      }
    }
  });
}

export async function loadDemoCorpus(
  db: Db,
  engine: Engine,
  opts: LoadOptions,
): Promise<LoadResult> {
  const started = performance.now();
  const log = opts.log ?? (() => {});
  const users = demoUsers(opts.users ?? 12, opts.seed ?? 1);
  const hash = await hashPassword(DEMO_PASSWORD, opts.passwordHashCost ?? PRODUCTION_COST);
  const now = opts.now ?? Date.now();
  const pseudIds: Map<string, number>[] = [];
  await db.transaction().execute(async (tx) => {
    for (const user of users) {
      const userId = await insertUser(tx, {
        login: user.login,
        email: user.email,
        passwordHash: hash,
        now,
      });
      const ids = new Map<string, number>();
      for (const [i, name] of user.pseuds.entries()) {
        ids.set(name, await insertPseud(tx, { userId, name, isDefault: i === 0, now }));
      }
      pseudIds.push(ids);
    }
  });

  const bulk = opts.mode === "commands" ? null : new BulkLoader(db, engine);
  await bulk?.start();
  const batchSize = opts.batch ?? 1_000;
  const works = generateWorks(
    { works: opts.works, seed: opts.seed ?? 1, bodies: opts.bodies ?? "full", now },
    users,
  );
  let done = 0;
  let batch: BulkWork[] = [];
  const flush = async () => {
    if (bulk) await bulk.load(batch);
    else await postThroughCommands(db, batch);
    done += batch.length;
    batch = [];
    if (opts.works >= 5_000) {
      const seconds = (performance.now() - started) / 1000;
      log(
        `  ${done.toLocaleString("en-US")} / ${opts.works.toLocaleString("en-US")} works (${Math.round(done / seconds)}/s)`,
      );
    }
  };
  for (const work of works) {
    const pseudId = pseudIds[work.userIndex]?.get(work.pseud);
    if (pseudId === undefined)
      throw new Error(`Generated work "${work.title}" names an unknown pseud`);
    batch.push(toBulkWork(work, pseudId));
    if (batch.length >= batchSize) await flush();
  }
  if (batch.length) await flush();
  await bulk?.finish();
  return {
    works: done,
    users: users.length,
    password: DEMO_PASSWORD,
    ms: performance.now() - started,
  };
}

/** First start: fill an archive that has no accounts yet. */
export async function seedDemoIfEmpty(
  db: Db,
  engine: Engine,
  opts: LoadOptions,
): Promise<LoadResult | null> {
  if ((await countUsers(db)) > 0) return null;
  opts.log?.(`Empty archive: generating ${opts.works} demo works…`);
  const result = await loadDemoCorpus(db, engine, opts);
  await wrangleDemo(db, { now: opts.now ?? Date.now() });
  await seriesDemo(db, { now: opts.now ?? Date.now() });
  await engageDemo(db, { seed: opts.seed ?? 1, ...(opts.now ? { now: opts.now } : {}) });
  return result;
}
