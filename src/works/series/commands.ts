/**
 * Every write to series (issue 15). A series' works keep dense parts 1..n: each step that
 * adds, moves or removes a work renumbers the whole series. Placing a work changes its blurb
 * ("Part 2 of …"), so the works whose part or series title changed are recorded in the change
 * log, as every command that changes what a work looks like does.
 */
import { recordChanges } from "../../core/db/changes.ts";
import type { Db, Queryable } from "../../core/db/index.ts";
import { enqueue } from "../../core/jobs/kinds.ts";
import { inTransaction, ok, refuse, type Result } from "../../core/result.ts";
import { formatUserText, SANITIZER_VERSION } from "../../core/text/sanitize.ts";
import { findWork } from "../queries.ts";
import { placed, reordered, without } from "./positions.ts";
import * as seriesQ from "./queries.ts";

export interface SeriesText {
  title: string;
  summary: string;
  notes: string;
}

/** What a series' form becomes when stored: its summary and notes are HTML, sanitized. */
const seriesColumns = (input: SeriesText) => ({
  title: input.title,
  summary_html: formatUserText(input.summary),
  notes_html: formatUserText(input.notes),
  sanitizer_version: SANITIZER_VERSION,
});

/** A new, empty series credited to one pseud, inside the caller's transaction. */
export async function createSeriesIn(
  tx: Queryable,
  args: { pseudId: number; input: SeriesText; now: number },
): Promise<number> {
  const seriesId = await seriesQ.insertSeries(tx, {
    ...seriesColumns(args.input),
    created_at: args.now,
    updated_at: args.now,
  });
  await seriesQ.addSeriesCreator(tx, seriesId, args.pseudId);
  return seriesId;
}

/** Renumbers the series to `order` and records every work whose part changed (and `also`). */
async function storeOrder(
  tx: Queryable,
  seriesId: number,
  before: readonly number[],
  order: readonly number[],
  now: number,
  also: readonly number[] = [],
) {
  await seriesQ.setSeriesPositions(tx, seriesId, order);
  const moved = order.filter((id, i) => before.indexOf(id) !== i);
  await recordChanges(tx, "work", [...moved, ...also], now);
}

/**
 * Puts a work in a series at part `position` (null: last, or where it already is), inside the
 * work's transaction. A posted work that joins a series is announced to the series'
 * subscribers (`series.work-added`); a new work is announced by its own posting.
 */
export async function placeWorkIn(
  tx: Queryable,
  args: {
    seriesId: number;
    workId: number;
    position: number | null;
    announce: boolean;
    now: number;
  },
): Promise<void> {
  const { seriesId, workId, now } = args;
  const before = await seriesQ.seriesWorkIds(tx, seriesId);
  const joining = !before.includes(workId);
  if (!joining && args.position === null) return;
  if (joining) await seriesQ.addSeriesWork(tx, seriesId, workId, before.length + 1);
  const order = placed(before, workId, args.position);
  await storeOrder(tx, seriesId, [...before, ...(joining ? [workId] : [])], order, now, [workId]);
  await seriesQ.updateSeries(tx, seriesId, { updated_at: now });
  if (joining && args.announce) {
    const work = await findWork(tx, workId);
    if (work?.posted)
      await enqueue(tx, { kind: "series.work-added", payload: { seriesId, workId } }, now);
  }
}

/** Takes a work out of a series; the works after it move up one part. The series stays. */
export async function removeWorkIn(
  tx: Queryable,
  args: { seriesId: number; workId: number; now: number },
): Promise<void> {
  const { seriesId, workId, now } = args;
  const before = await seriesQ.seriesWorkIds(tx, seriesId);
  if (!before.includes(workId)) return;
  await seriesQ.removeSeriesWork(tx, seriesId, workId);
  const order = without(before, workId);
  await seriesQ.setSeriesPositions(tx, seriesId, order);
  // Its blurb loses the series; those after it move up a part.
  await recordChanges(tx, "work", [workId, ...order.slice(before.indexOf(workId))], now);
  await seriesQ.updateSeries(tx, seriesId, { updated_at: now });
}

/** Before a work is deleted: every series it was in closes the gap it leaves. */
export async function leaveEverySeriesIn(tx: Queryable, workId: number, now: number) {
  for (const seriesId of await seriesQ.seriesIdsOfWork(tx, workId))
    await removeWorkIn(tx, { seriesId, workId, now });
}

/**
 * The series' edit page: its title, summary and notes, and the parts its creator typed for
 * its works (work id → part; a work not named keeps the part it asks for today).
 */
export async function editSeries(
  db: Db,
  args: { seriesId: number; input: SeriesText; parts: ReadonlyMap<number, number>; now: number },
): Promise<Result> {
  const { seriesId, now } = args;
  return inTransaction(db, async (tx) => {
    const series = await seriesQ.findSeries(tx, seriesId);
    if (!series) return refuse(404, "That series no longer exists.");
    await seriesQ.updateSeries(tx, seriesId, { ...seriesColumns(args.input), updated_at: now });
    const before = await seriesQ.seriesWorkIds(tx, seriesId);
    const order = reordered(before, args.parts);
    // A new title shows on every blurb of the series.
    const retitled = series.title !== args.input.title ? before : [];
    await storeOrder(tx, seriesId, before, order, now, retitled);
    return ok();
  });
}

/** Deletes a series; its works stay, out of it. */
export async function deleteSeries(
  db: Db,
  args: { seriesId: number; now: number },
): Promise<Result> {
  return inTransaction(db, async (tx) => {
    const workIds = await seriesQ.seriesWorkIds(tx, args.seriesId);
    await seriesQ.deleteSeries(tx, args.seriesId);
    await recordChanges(tx, "work", workIds, args.now);
    return ok();
  });
}
