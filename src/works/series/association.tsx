/**
 * AO3's "This work is part of a series" on the work form (a work association, last in AO3's
 * order): choose one of your series or name a new one, and a part number (blank: last). On
 * edit it also lists the work's series, each with "Remove from this series". Saved inside the
 * work's transaction, so a refusal leaves nothing saved and the form comes back as typed.
 *
 * Only a creator of a series may add works to it; a work's creator may always take it out.
 * A series left empty stays: its creators may delete it.
 */
import type { Queryable } from "../../core/db/index.ts";
import { limits } from "../../core/limits.ts";
import { ok, refuse, type Result } from "../../core/result.ts";
import { charCount } from "../../core/text/input-text.ts";
import { list, Select, str, TextInput, type FormState } from "../../core/views/forms.tsx";
import type { AssociationSave, WorkAssociation } from "../associations.ts";
import { createSeriesIn, placeWorkIn, removeWorkIn } from "./commands.ts";
import { seriesPath } from "./markup.tsx";
import { partNumber } from "./positions.ts";
import * as seriesQ from "./queries.ts";

/** The form's field names. */
export const SERIES_FIELDS = {
  id: "series_id",
  title: "series_title",
  position: "series_position",
  remove: "series_remove",
} as const;

function SeriesFields(props: {
  form: FormState;
  own: readonly { id: number; title: string }[];
  current: readonly seriesQ.SeriesPlace[];
}) {
  const { form, own, current } = props;
  const removing = new Set(list(form.values, SERIES_FIELDS.remove));
  return (
    <fieldset class="series-association" id="field-series">
      <legend>This work is part of a series</legend>
      {current.length > 0 ? (
        <ul class="series-current">
          {current.map((s) => {
            const id = `field-${SERIES_FIELDS.remove}-${s.seriesId}`;
            return (
              <li key={s.seriesId}>
                Part {s.position} of <a href={seriesPath(s.seriesId)}>{s.title}</a>{" "}
                <span class="remove">
                  <input
                    type="checkbox"
                    id={id}
                    name={SERIES_FIELDS.remove}
                    value={String(s.seriesId)}
                    checked={removing.has(String(s.seriesId))}
                  />{" "}
                  <label for={id}>Remove from this series</label>
                </span>
              </li>
            );
          })}
        </ul>
      ) : null}
      <Select
        name={SERIES_FIELDS.id}
        label={
          current.length > 0 ? "Add it to another of your series" : "Choose one of your series"
        }
        form={form}
        options={[
          { value: "", label: own.length > 0 ? "None" : "You have no series yet" },
          ...own.map((s) => ({ value: String(s.id), label: s.title })),
        ]}
      />
      <TextInput
        name={SERIES_FIELDS.title}
        label="Or start a new series"
        form={form}
        maxLength={limits.workTitle.max}
        hint="The new series' title. You can add a summary and notes on the series' page."
      />
      <TextInput
        name={SERIES_FIELDS.position}
        label="Part number"
        form={form}
        hint="Leave blank to make it the last part."
      />
    </fieldset>
  );
}

/** The series chosen or named in the form: its id, a refusal, or null for none. */
async function chosenSeries(tx: Queryable, ctx: AssociationSave): Promise<Result<number | null>> {
  const chosen = str(ctx.values, SERIES_FIELDS.id).trim();
  const title = str(ctx.values, SERIES_FIELDS.title).trim();
  if (chosen !== "" && title !== "")
    return refuse(
      422,
      "Choose one of your series or name a new one, not both.",
      SERIES_FIELDS.title,
    );
  if (chosen !== "") {
    const seriesId = /^\d{1,9}$/.test(chosen) ? Number(chosen) : 0;
    if (!(await seriesQ.findSeries(tx, seriesId)))
      return refuse(422, "Choose one of your series from the list.", SERIES_FIELDS.id);
    if (!(await seriesQ.isSeriesCreator(tx, ctx.user.id, seriesId)))
      return refuse(403, "Only a creator of a series can add works to it.", SERIES_FIELDS.id);
    return ok(seriesId);
  }
  if (title === "") return ok(null);
  if (charCount(title) > limits.workTitle.max)
    return refuse(
      422,
      `Series titles must be at most ${limits.workTitle.max} characters.`,
      SERIES_FIELDS.title,
    );
  // The new series is credited to the pseud the author credits on this work.
  const pseudId = await seriesQ.pseudOnWork(tx, ctx.user.id, ctx.workId);
  if (pseudId === undefined)
    return refuse(403, "Only a creator of this work can put it in a series.", SERIES_FIELDS.title);
  return ok(
    await createSeriesIn(tx, { pseudId, input: { title, summary: "", notes: "" }, now: ctx.now }),
  );
}

async function save(tx: Queryable, ctx: AssociationSave): Promise<Result> {
  const { values, workId, now } = ctx;
  // A form without the series fields (an old page, a script) leaves the series as they are.
  if (!Object.values(SERIES_FIELDS).some((name) => name in values)) return ok();
  const part = partNumber(str(values, SERIES_FIELDS.position));
  if (part === undefined)
    return refuse(
      422,
      "Part number must be a whole number, or blank to make it the last part.",
      SERIES_FIELDS.position,
    );
  const current = new Set(await seriesQ.seriesIdsOfWork(tx, workId));
  for (const asked of list(values, SERIES_FIELDS.remove)) {
    const seriesId = Number(asked);
    if (current.has(seriesId)) await removeWorkIn(tx, { seriesId, workId, now });
  }
  const chosen = await chosenSeries(tx, ctx);
  if (!chosen.ok) return chosen;
  if (chosen.value === null) {
    if (part !== null)
      return refuse(
        422,
        "Choose a series (or name a new one) for this part number.",
        SERIES_FIELDS.position,
      );
    return ok();
  }
  await placeWorkIn(tx, {
    seriesId: chosen.value,
    workId,
    position: part,
    // A new work is announced by its own posting (`work.posted` finds its series).
    announce: !ctx.isNew,
    now,
  });
  return ok();
}

export const seriesAssociation: WorkAssociation = {
  key: "series",
  fields: async ({ form, user, workId, db }) => {
    const [own, current] = await Promise.all([
      seriesQ.seriesCreatedBy(db, user.id),
      workId === null ? undefined : seriesQ.seriesOfWorks(db, [workId]),
    ]);
    return (
      <SeriesFields
        form={form}
        own={own}
        current={workId === null ? [] : (current?.get(workId) ?? [])}
      />
    );
  },
  save,
};
