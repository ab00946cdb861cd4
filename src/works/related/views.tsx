/**
 * Related works on pages (issue 15), in AO3's markup: the child's preface ("Inspired by …"),
 * the parent's preface ("Translation into … available: …") and end (`div#children`), and the
 * parent's creators' approval page.
 */
import type { WorkRelation } from "../../core/db/schema.ts";
import { PostForm } from "../../core/views/forms.tsx";
import type { CreatorLink, WorkView } from "../present.ts";
import { LinkList } from "../views/links.tsx";
import { RELATION_PHRASE, type RelatedLink } from "./present.ts";

/** "Title by Author", or "[Restricted Work] by Author. Log in to view." for guests (AO3's). */
function WorkAndByline({ link, end = "" }: { link: RelatedLink; end?: string }) {
  if (link.title === null || link.url === null)
    return (
      <>
        [Restricted Work] by <LinkList links={link.creators} rel="author" />. Log in to view.
      </>
    );
  return (
    <>
      <a href={link.url} rel={link.external ? "nofollow ugc" : undefined}>
        {link.title}
      </a>{" "}
      by <LinkList links={link.creators} rel="author" />
      {end}
    </>
  );
}

const Language = ({ language }: { language: RelatedLink["language"] }) =>
  language ? <span lang={language.code}>{language.name}</span> : <>another language</>;

/**
 * The preface's related-works lines (`ul.associations` items): the parent's approved
 * translations, then what this work is inspired by, translates or remixes.
 */
export function RelatedAssociations({ work }: { work: WorkView }) {
  const related = work.related;
  if (!related) return null;
  return (
    <>
      {related.translations.map((t, i) => (
        <li key={`translation-${i}`}>
          Translation into <Language language={t.language} /> available: <WorkAndByline link={t} />
        </li>
      ))}
      {related.parents.map((p, i) => (
        <li key={`parent-${i}`}>
          {RELATION_PHRASE[p.relation]} <WorkAndByline link={p} end="." />
        </li>
      ))}
    </>
  );
}

/** Whether the preface has related-works lines to show. */
export const hasRelatedAssociations = (work: WorkView) =>
  (work.related?.translations.length ?? 0) + (work.related?.parents.length ?? 0) > 0;

/**
 * AO3's pointer under the preface's notes to the list at the end of the work, where `href`
 * is that list (`#children`, or the last chapter's page on a chapter page).
 */
export function ChildrenJump({ work, href }: { work: WorkView; href: string }) {
  if (!work.related?.children.length) return null;
  return (
    <p class="jump">
      (See the end of the work for <a href={href}>other works inspired by this one</a>.)
    </p>
  );
}

/** AO3's `div#children.children.module` at the end of the work: approved children. */
export function RelatedChildren({ work }: { work: WorkView }) {
  const children = work.related?.children ?? [];
  if (children.length === 0) return null;
  return (
    <div id="children" class="children module">
      <h3 class="heading">Works inspired by this one:</h3>
      <ul>
        {children.map((c, i) => (
          <li key={i}>
            <WorkAndByline link={c} />
          </li>
        ))}
      </ul>
    </div>
  );
}

export interface ApprovalRow {
  id: number;
  relation: WorkRelation;
  approved: boolean;
  work: { title: string; url: string };
  creators: CreatorLink[];
}

const RELATION_LABEL: Readonly<Record<WorkRelation, string>> = {
  inspired: "Inspired by your work",
  translation: "A translation of your work",
  remix: "A remix of your work",
};

/** `/works/:id/related_works`: the parent's creators approve (or remove) links to their work. */
export function ApprovalView(props: { work: { id: number; title: string }; rows: ApprovalRow[] }) {
  const { work, rows } = props;
  const base = `/works/${work.id}/related_works`;
  return (
    <section class="related-works">
      <h1 class="heading">
        Works related to <a href={`/works/${work.id}`}>{work.title}</a>
      </h1>
      <p>
        Other works that name yours as their inspiration, or as the work they translate or remix.
        They always link to your work; a link shows on your work only once you approve it.
      </p>
      {rows.length === 0 ? (
        <p class="empty">No work names this one as its parent yet.</p>
      ) : (
        <>
          <h2 class="heading">Works naming “{work.title}” as their parent</h2>
          <ul class="related-works-list">
            {rows.map((r) => (
              <li key={r.id} id={`related_work_${r.id}`}>
                <p>
                  <a href={r.work.url}>{r.work.title}</a> by{" "}
                  <LinkList links={r.creators} rel="author" />
                </p>
                <p>
                  {RELATION_LABEL[r.relation]}.{" "}
                  <strong>
                    {r.approved ? "Listed on your work." : "Waiting for your approval."}
                  </strong>
                </p>
                <ul class="actions">
                  <li>
                    {r.approved ? (
                      <PostForm action={`${base}/${r.id}/remove`} class="inline">
                        <button
                          type="submit"
                          class="danger small"
                          aria-label={`Remove from my work: “${r.work.title}”`}
                        >
                          Remove from my work
                        </button>
                      </PostForm>
                    ) : (
                      <PostForm action={`${base}/${r.id}/approve`} class="inline">
                        <button
                          type="submit"
                          class="small"
                          aria-label={`Approve “${r.work.title}”`}
                        >
                          Approve
                        </button>
                      </PostForm>
                    )}
                  </li>
                </ul>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
