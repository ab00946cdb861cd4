/**
 * The work form's "Post to Collections / Challenges" field (AO3's `collection_names`), an
 * association of the work form (works/associations.ts): collection names, comma-separated,
 * saved in the work's own transaction. An unknown or closed collection refuses the whole save
 * at this field (422), with everything the author typed kept.
 */
import { str, TextInput } from "../core/views/forms.tsx";
import type { WorkAssociation } from "../works/associations.ts";
import { setWorkCollectionsIn } from "./commands.ts";
import { itemsOfWork } from "./queries.ts";

export const COLLECTIONS_FIELD = "collection_names";

export const collectionsAssociation: WorkAssociation = {
  key: "collections",
  fields: ({ form }) => (
    <TextInput
      name={COLLECTIONS_FIELD}
      label="Post to Collections / Challenges"
      hint="Collection names (the last part of a collection's address), separated by commas. A moderated collection shows the work once its moderators approve it."
      form={form}
      maxLength={4_000}
    />
  ),
  async values(db, workId) {
    const items = await itemsOfWork(db, workId);
    // What the creators asked for or accepted; invitations waiting for them are on their
    // collection items page, not in the form.
    const names = items.filter((i) => i.creatorApproval === "approved").map((i) => i.name);
    return { [COLLECTIONS_FIELD]: names.join(", ") };
  },
  async save(tx, ctx) {
    const sent = ctx.values[COLLECTIONS_FIELD];
    // An edit from a form without the field (an old script) leaves the collections alone.
    if (sent === undefined) return { ok: true, value: undefined };
    return setWorkCollectionsIn(tx, {
      workId: ctx.workId,
      userId: ctx.user.id,
      text: str(ctx.values, COLLECTIONS_FIELD),
      isNew: ctx.isNew,
      now: ctx.now,
    });
  },
};
