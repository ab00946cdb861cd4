/**
 * AO3's "Gift this work to" field (issue 15), the third of the work form's associations. A
 * name that is a user's login, or "pseud (login)", gives the work to that pseud; any other
 * name is kept as typed (someone not on the archive). A pseud whose user does not accept
 * gifts, or who blocked a creator of the work or was blocked by one, is refused at the field
 * with one sentence that does not say which.
 */
import { enqueue } from "../../core/jobs/kinds.ts";
import { limits } from "../../core/limits.ts";
import { ok, refuse, type Result } from "../../core/result.ts";
import { str, TextInput } from "../../core/views/forms.tsx";
import type { Queryable } from "../../core/db/index.ts";
import type { AssociationSave, WorkAssociation } from "../associations.ts";
import { findWork } from "../queries.ts";
import { pseudAndLogin, recipientLink, splitRecipients } from "./present.ts";
import * as q from "./queries.ts";

export const GIFTS_FIELD = "gift_recipients";

/** The pseud a typed name stands for, if any: "pseud (login)" first, then a bare login. */
async function pseudNamed(db: Queryable, name: string) {
  const parts = pseudAndLogin(name);
  if (parts) {
    const pseud = await q.giftablePseud(db, parts.login, parts.pseud);
    if (pseud) return pseud;
  }
  return q.giftablePseud(db, name);
}

async function saveGifts(tx: Queryable, ctx: AssociationSave): Promise<Result> {
  const { workId, values, now } = ctx;
  // A form without the field (an old script) leaves the gifts as they are.
  if (!(GIFTS_FIELD in values)) return ok();
  const names = splitRecipients(str(values, GIFTS_FIELD));
  if (names.length > limits.giftRecipients)
    return refuse(
      422,
      `A work can be a gift to at most ${limits.giftRecipients} recipients.`,
      GIFTS_FIELD,
    );
  const tooLong = names.find((n) => n.length > limits.giftRecipientName.max);
  if (tooLong !== undefined)
    return refuse(
      422,
      `Recipients' names can be at most ${limits.giftRecipientName.max} characters.`,
      GIFTS_FIELD,
    );

  const existing = (await q.giftsOfWorks(tx, [workId])).get(workId) ?? [];
  // A name that reads as it did keeps its gift (a name gift stays one even if a user of that
  // login signs up later); anything else is looked up again.
  const byLabel = new Map(existing.map((g) => [recipientLink(g).name.toLowerCase(), g]));
  const byKey = new Map(existing.map((g) => [g.recipientKey, g]));
  const givers = [...new Set([...(await q.creatorUserIds(tx, workId)), ctx.user.id])];
  const kept = new Set<number>();
  const added: { pseudId: number | null; name: string; key: string }[] = [];
  const addedKeys = new Set<string>();
  for (const name of names) {
    const same = byLabel.get(name.toLowerCase());
    if (same) {
      kept.add(same.id);
      continue;
    }
    const pseud = await pseudNamed(tx, name);
    if (pseud) {
      if (givers.includes(pseud.userId))
        return refuse(422, "You can't give a work to one of its own creators.", GIFTS_FIELD);
      const key = q.pseudKeyOf(pseud.pseudId);
      const had = byKey.get(key);
      if (had) {
        kept.add(had.id);
        continue;
      }
      // One sentence whichever the reason: a recipient's blocks are theirs to keep private.
      if (!pseud.allowGifts || (await q.blockedEitherWay(tx, pseud.userId, givers)))
        return refuse(422, `${name} can't receive gifts.`, GIFTS_FIELD);
      if (!addedKeys.has(key)) added.push({ pseudId: pseud.pseudId, name, key });
      addedKeys.add(key);
    } else {
      const key = q.nameKeyOf(name);
      const had = byKey.get(key);
      if (had) kept.add(had.id);
      else if (!addedKeys.has(key)) added.push({ pseudId: null, name, key });
      addedKeys.add(key);
    }
  }
  await q.deleteGifts(
    tx,
    workId,
    existing.filter((g) => !kept.has(g.id)).map((g) => g.id),
  );
  // A new work (posted or draft) is announced when readers can first see it, recipients and
  // all (engagement's `work.posted` and `work.revealed` handlers); a gift added to a posted
  // work is announced now. The handler checks again that readers can see the work.
  const announceNow = !ctx.isNew && (await findWork(tx, workId))?.posted === 1;
  for (const gift of added) {
    const giftId = await q.insertGift(tx, { workId, ...gift, now });
    if (gift.pseudId !== null && announceNow)
      await enqueue(tx, { kind: "gift.given", payload: { giftId } }, now);
  }
  return ok();
}

export const giftsAssociation: WorkAssociation = {
  key: "gifts",
  fields: ({ form }) => (
    <TextInput
      name={GIFTS_FIELD}
      label="Gift this work to"
      form={form}
      hint="Names separated by commas. A username, or “pseud (username)”, gives the work to that person here; any other name is shown as you type it."
    />
  ),
  async values(db, workId) {
    const gifts = (await q.giftsOfWorks(db, [workId])).get(workId) ?? [];
    return { [GIFTS_FIELD]: gifts.map((g) => recipientLink(g).name).join(", ") };
  },
  save: saveGifts,
};
