/**
 * AO3's "This work is inspired by another work" (issue 15), the fourth of the work form's
 * associations: the parent's address (a work here, or any http(s) address elsewhere with its
 * title, author and language) and the relation (inspired by, translation of, remix of). The
 * links a work has are listed with a Remove box each; the fields add one more.
 *
 * A parent here must be a posted work the poster may see. Its creators hear of the link
 * (`related.linked`) and approve it before it shows on their work; a link between two works
 * of the same creator is approved at once.
 */
import type { Config } from "../../core/config.ts";
import type { Queryable } from "../../core/db/index.ts";
import type { WorkRelation } from "../../core/db/schema.ts";
import { publicBaseUrl } from "../../core/http/public-url.ts";
import { enqueue } from "../../core/jobs/kinds.ts";
import { limits } from "../../core/limits.ts";
import { ok, refuse, type Result } from "../../core/result.ts";
import {
  list,
  RadioGroup,
  Select,
  str,
  TextInput,
  type FormState,
} from "../../core/views/forms.tsx";
import { NO_EXCLUSIONS, type Viewer } from "../../core/viewer.ts";
import type { AssociationSave, AssociationUser, WorkAssociation } from "../associations.ts";
import { isLanguage, LANGUAGES } from "../languages.ts";
import { creatorsOfWorks, findWork } from "../queries.ts";
import { accessTo } from "../visibility.ts";
import { parseParentAddress } from "./parse.ts";
import { RELATION_PHRASE, RELATIONS } from "./present.ts";
import * as q from "./queries.ts";

export const FIELDS = {
  url: "parent_url",
  title: "parent_title",
  author: "parent_author",
  language: "parent_language",
  relation: "parent_relation",
  /** The ids of links to remove (checkboxes). */
  remove: "related_remove",
  /** The links the work has, "ID:label", so a form shown again still lists them. */
  current: "related_links",
} as const;

/** The archive's own origins: addresses there name works here. */
export function ownOrigins(config: Pick<Config, "publicUrl" | "port" | "host">): string[] {
  const origins = [new URL(publicBaseUrl(config)).origin];
  // Without a public address, the loopback names of the address it serves on too.
  if (!config.publicUrl)
    for (const host of ["localhost", "127.0.0.1"]) origins.push(`http://${host}:${config.port}`);
  return [...new Set(origins)];
}

/** The poster as the visibility rules see a reader (no staff powers: they link as writers). */
const asReader = (user: AssociationUser): Viewer => ({
  user: {
    id: user.id,
    login: user.login,
    roles: new Set(),
    viewAdult: true,
    exclusions: NO_EXCLUSIONS,
    unreadNotifications: 0,
    suspendedUntil: null,
  },
  adultConsent: true,
});

const isRelation = (v: string): v is WorkRelation => (RELATIONS as readonly string[]).includes(v);

type Parent =
  | { kind: "here"; workId: number; approved: boolean }
  | { kind: "elsewhere"; url: string; title: string; author: string; language: string };

/** The parent the fields name, checked; a refusal names the field at fault. */
async function parentFromFields(
  tx: Queryable,
  ctx: AssociationSave,
  origins: readonly string[],
): Promise<Result<Parent>> {
  const { values, workId, user } = ctx;
  const address = parseParentAddress(str(values, FIELDS.url), origins);
  if (address.kind === "invalid") return refuse(422, address.message, FIELDS.url);
  if (address.kind === "here") {
    if (address.workId === workId)
      return refuse(422, "A work can't be related to itself.", FIELDS.url);
    const parent = await findWork(tx, address.workId);
    const creators = parent ? ((await creatorsOfWorks(tx, [parent.id])).get(parent.id) ?? []) : [];
    const isCreator = creators.some((c) => c.userId === user.id);
    // The same words for a work that does not exist and one the poster may not see.
    if (!parent || !parent.posted || accessTo(asReader(user), parent, isCreator) !== "ok")
      return refuse(422, "We couldn't find a posted work at that address.", FIELDS.url);
    return ok({ kind: "here", workId: parent.id, approved: isCreator });
  }
  const title = str(values, FIELDS.title).trim();
  const author = str(values, FIELDS.author).trim();
  const language = str(values, FIELDS.language).trim();
  if (!title) return refuse(422, "Please enter the title of the work you link to.", FIELDS.title);
  if (title.length > limits.workTitle.max)
    return refuse(422, `Titles can be at most ${limits.workTitle.max} characters.`, FIELDS.title);
  if (!author)
    return refuse(422, "Please enter the author of the work you link to.", FIELDS.author);
  if (author.length > limits.relatedAuthor.max)
    return refuse(
      422,
      `Authors' names can be at most ${limits.relatedAuthor.max} characters.`,
      FIELDS.author,
    );
  if (language && !isLanguage(language))
    return refuse(422, "Choose one of the listed languages.", FIELDS.language);
  return ok({ kind: "elsewhere", url: address.url, title, author, language });
}

async function saveRelated(
  tx: Queryable,
  ctx: AssociationSave,
  origins: readonly string[],
): Promise<Result> {
  const { values, workId, now } = ctx;
  const removals = list(values, FIELDS.remove)
    .map(Number)
    .filter((id) => Number.isSafeInteger(id) && id > 0);
  await q.deleteParentLinks(tx, workId, removals);
  // A form without the fields (an old script), or with the address left empty, adds nothing.
  if (!str(values, FIELDS.url).trim()) return ok();
  const relationField = str(values, FIELDS.relation) || "inspired";
  if (!isRelation(relationField))
    return refuse(422, "Choose inspired by, a translation of or a remix of.", FIELDS.relation);
  const relation = relationField;
  const parent = await parentFromFields(tx, ctx, origins);
  if (!parent.ok) return parent;
  const p = parent.value;
  const had = await q.sameParent(
    tx,
    workId,
    p.kind === "here" ? { workId: p.workId } : { url: p.url },
  );
  if (had) {
    // The same parent again: the relation (and what was typed for a work elsewhere) changes.
    await q.updateRelated(
      tx,
      had.id,
      p.kind === "here"
        ? { relation }
        : { relation, parentTitle: p.title, parentAuthor: p.author, parentLanguage: p.language },
    );
    return ok();
  }
  const relatedId = await q.insertRelated(
    tx,
    {
      workId,
      relation,
      parentWorkId: p.kind === "here" ? p.workId : null,
      parentUrl: p.kind === "here" ? null : p.url,
      parentTitle: p.kind === "here" ? "" : p.title,
      parentAuthor: p.kind === "here" ? "" : p.author,
      parentLanguage: p.kind === "here" ? "" : p.language,
      // Links between one creator's own works need nobody's approval.
      approved: p.kind === "here" && p.approved,
    },
    now,
  );
  // A new work's links are announced when readers can first see it (engagement's
  // `work.posted` and `work.revealed` handlers); one added to a posted work, now.
  if (p.kind === "here" && !p.approved && !ctx.isNew && (await findWork(tx, workId))?.posted)
    await enqueue(tx, { kind: "related.linked", payload: { relatedId } }, now);
  return ok();
}

/** The links the work has, as "ID:label" values (see FIELDS.current). */
function currentLinks(form: FormState): { id: string; label: string }[] {
  return list(form.values, FIELDS.current).flatMap((v) => {
    const at = v.indexOf(":");
    const id = v.slice(0, at);
    return at > 0 && /^\d+$/.test(id) ? [{ id, label: v.slice(at + 1) }] : [];
  });
}

function RelatedFields({ form }: { form: FormState }) {
  const current = currentLinks(form);
  const removing = new Set(list(form.values, FIELDS.remove));
  return (
    <fieldset class="field related-works" id="field-related-works">
      <legend>This work is inspired by another work</legend>
      {current.length > 0 ? (
        <ul class="related-works-current">
          {current.map((c) => (
            <li key={c.id}>
              <input type="hidden" name={FIELDS.current} value={`${c.id}:${c.label}`} />
              {c.label}{" "}
              <input
                type="checkbox"
                id={`field-${FIELDS.remove}-${c.id}`}
                name={FIELDS.remove}
                value={c.id}
                checked={removing.has(c.id)}
              />{" "}
              <label for={`field-${FIELDS.remove}-${c.id}`}>Remove</label>
            </li>
          ))}
        </ul>
      ) : null}
      <RadioGroup
        name={FIELDS.relation}
        legend="Relation"
        options={RELATIONS.map((r) => ({ value: r, label: RELATION_PHRASE[r] }))}
        fallback="inspired"
        form={form}
      />
      <TextInput
        name={FIELDS.url}
        label="URL of the work"
        form={form}
        maxLength={limits.relatedUrl.max}
        hint="A work here (/works/123, or its full address) or a work anywhere else (https://…). Leave it empty to add none."
      />
      <TextInput
        name={FIELDS.title}
        label="Title (for a work elsewhere)"
        form={form}
        maxLength={limits.workTitle.max}
      />
      <TextInput
        name={FIELDS.author}
        label="Author (for a work elsewhere)"
        form={form}
        maxLength={limits.relatedAuthor.max}
      />
      <Select
        name={FIELDS.language}
        label="Language (for a work elsewhere)"
        form={form}
        options={[
          { value: "", label: "Not given" },
          ...LANGUAGES.map((l) => ({ value: l.code, label: l.name })),
        ]}
      />
    </fieldset>
  );
}

/** The association, knowing the archive's own address (`config`). */
export function relatedAssociation(
  config: Pick<Config, "publicUrl" | "port" | "host">,
): WorkAssociation {
  const origins = ownOrigins(config);
  return {
    key: "related",
    fields: ({ form }) => <RelatedFields form={form} />,
    async values(db, workId) {
      const links = await q.parentLinksOf(db, workId);
      return {
        [FIELDS.current]: links.map((l) => {
          const title = l.parentWorkId === null ? l.parentTitle : (l.workTitle ?? "");
          return `${l.id}:${RELATION_PHRASE[l.relation]} “${title}”`;
        }),
      };
    },
    save: (tx, ctx) => saveRelated(tx, ctx, origins),
  };
}
