/**
 * What the work form carries besides the work itself (issue 15): co-creators, collections,
 * gifts, related works and series, in AO3's order. Each is an association owned by its own
 * module (works/creators, collections/, works/gifts, works/related, works/series); the posting
 * routes know only this interface, as reading pages know only page add-ons.
 *
 * An association renders its fields in the form's "Associations" fieldset, reads them from
 * the raw form body, and saves them inside the posting or editing transaction: a refusal
 * (a collection that does not exist, a pseud that takes no gifts) rolls the whole save back,
 * and the form comes back with everything the author typed and the error at its field.
 */
import type { ComponentChildren } from "preact";
import type { Queryable } from "../core/db/index.ts";
import type { Result } from "../core/result.ts";
import type { FormState, FormValues } from "../core/views/forms.tsx";

export interface AssociationUser {
  id: number;
  login: string;
}

export interface AssociationSave {
  workId: number;
  /** The user saving the form (one of the work's creators). */
  user: AssociationUser;
  /** The form as sent (strings), association fields included. */
  values: FormValues;
  /** True when the form posts a new work (or a draft), false when it edits one. */
  isNew: boolean;
  now: number;
}

export interface WorkAssociation {
  /** Names the association in errors and keys ("series", "gifts"). */
  key: string;
  /**
   * Its fields, shown in the form's Associations fieldset. May read the database first (the
   * series menu lists the author's series).
   */
  fields(ctx: {
    form: FormState;
    user: AssociationUser;
    workId: number | null;
    db: Queryable;
  }): ComponentChildren | Promise<ComponentChildren>;
  /** What is stored, as form values, to fill the edit form. */
  values?(db: Queryable, workId: number, user: AssociationUser): Promise<FormValues>;
  /**
   * Saves the association in the work's transaction, after the work's own rows. Refuse with
   * a field name (`refuse(422, "…", "gift_recipients")`) to show the error at that field.
   * On edit, a form without the association's fields (an old script) leaves it unchanged.
   */
  save(tx: Queryable, ctx: AssociationSave): Promise<Result>;
}

/** Runs every association's save in order; the first refusal stops (and rolls back). */
export async function saveAssociations(
  associations: readonly WorkAssociation[],
  tx: Queryable,
  ctx: AssociationSave,
): Promise<Result> {
  for (const a of associations) {
    const saved = await a.save(tx, ctx);
    if (!saved.ok) return saved;
  }
  return { ok: true, value: undefined };
}

/** The stored values of every association, merged, for the edit form. */
export async function associationValues(
  associations: readonly WorkAssociation[],
  db: Queryable,
  workId: number,
  user: AssociationUser,
): Promise<FormValues> {
  const parts = await Promise.all(
    associations.map((a) => a.values?.(db, workId, user) ?? Promise.resolve({})),
  );
  return Object.assign({}, ...parts) as FormValues;
}
