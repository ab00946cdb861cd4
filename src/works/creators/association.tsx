/**
 * The "Add co-creators" field of the work form (a work association, first in AO3's order) and
 * of the chapter forms. Saving invites, inside the work's or chapter's own transaction, so a
 * refused name leaves nothing saved and the form comes back with the error at the field.
 */
import type { Queryable } from "../../core/db/index.ts";
import { ok, type Result } from "../../core/result.ts";
import type { FormState, FormValues } from "../../core/views/forms.tsx";
import type { WorkAssociation } from "../associations.ts";
import { inviteIn, type Target } from "./commands.ts";
import { NAMES_FIELD, writtenName } from "./names.ts";
import { pendingInvitations } from "./queries.ts";
import { CoCreatorsField } from "./views.tsx";

/** The field as sent; undefined when the form had no such field (an old page, a script). */
function namesOf(values: FormValues): string | undefined {
  const v = values[NAMES_FIELD];
  return Array.isArray(v) ? v.join(", ") : v;
}

/** The pending invitations as the field writes them (the edit form starts with these). */
async function pendingValues(db: Queryable, target: Target): Promise<FormValues> {
  const pending = await pendingInvitations(db, target);
  return { [NAMES_FIELD]: pending.map(writtenName).join(", ") };
}

async function save(
  tx: Queryable,
  args: {
    target: Target;
    workId?: number;
    user: { id: number };
    values: FormValues;
    isNew: boolean;
    now: number;
  },
): Promise<Result> {
  const names = namesOf(args.values);
  // Without the field an edit leaves the invitations as they are.
  if (names === undefined) return ok();
  const invited = await inviteIn(tx, {
    target: args.target,
    workId: args.workId,
    names,
    inviter: args.user,
    withdrawUnnamed: !args.isNew,
    field: NAMES_FIELD,
    now: args.now,
  });
  return invited.ok ? ok() : invited;
}

export const coCreatorsAssociation: WorkAssociation = {
  key: "co-creators",
  fields: ({ form, workId }) => <CoCreatorsField form={form} editing={workId !== null} />,
  values: (db, workId) => pendingValues(db, { type: "work", id: workId }),
  save: (tx, ctx) =>
    save(tx, {
      target: { type: "work", id: ctx.workId },
      user: ctx.user,
      values: ctx.values,
      isNew: ctx.isNew,
      now: ctx.now,
    }),
};

/** The same field on the chapter forms (works/routes/chapters.tsx). */
export const chapterCoCreators = {
  field: (form: FormState, editing: boolean) => <CoCreatorsField form={form} editing={editing} />,
  values: (db: Queryable, chapterId: number) =>
    pendingValues(db, { type: "chapter", id: chapterId }),
  save: (
    tx: Queryable,
    ctx: {
      workId: number;
      chapterId: number;
      user: { id: number };
      values: FormValues;
      isNew: boolean;
      now: number;
    },
  ) =>
    save(tx, {
      target: { type: "chapter", id: ctx.chapterId },
      workId: ctx.workId,
      user: ctx.user,
      values: ctx.values,
      isNew: ctx.isNew,
      now: ctx.now,
    }),
};
