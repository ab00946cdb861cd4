/**
 * Collection pages (issue 15), in AO3's shape where its tools look: `/collections/NAME` with
 * the collection's navigation, `li.collection.blurb` in indexes, `ol.work.index` blurbs.
 */
import type { ComponentChildren } from "preact";
import type { CollectionRole, ItemApproval } from "../core/db/schema.ts";
import { limits } from "../core/limits.ts";
import { formatNumber, pluralize } from "../core/views/format.ts";
import {
  Checkbox,
  ErrorSummary,
  PostForm,
  Select,
  str,
  TextArea,
  TextInput,
  type FormState,
} from "../core/views/forms.tsx";
import { Pagination } from "../core/views/pagination.tsx";
import { UserHtml } from "../core/views/trusted-html.tsx";
import type { CreatorLink, WorkView } from "../works/present.ts";
import { WorkBlurb, WorkList } from "../works/views/blurb.tsx";
import { LinkList } from "../works/views/links.tsx";
import { pageHref } from "../works/views/listing.tsx";
import type { CollectionLink, CollectionView } from "./present.ts";
import type { QueueTab } from "./queries.ts";

// ── Navigation and blurbs ────────────────────────────────────────────────────────────────

export type CollectionPageKind =
  "profile" | "works" | "collections" | "items" | "participants" | "edit";

/** The collection's pages, as AO3's `ul.navigation.actions`; the current one is not a link. */
export function CollectionNav({ c, current }: { c: CollectionView; current: CollectionPageKind }) {
  const entries: [CollectionPageKind, string, string][] = [
    ["profile", "Profile", c.url],
    ["works", c.works === null ? "Works" : `Works (${formatNumber(c.works)})`, `${c.url}/works`],
  ];
  if (c.parent === null) entries.push(["collections", "Subcollections", `${c.url}/collections`]);
  if (c.can.moderate) {
    entries.push(["items", "Manage items", `${c.url}/items`]);
    entries.push(["participants", "Participants", `${c.url}/participants`]);
  }
  if (c.can.edit) entries.push(["edit", "Settings", `${c.url}/edit`]);
  return (
    <ul class="navigation actions collection-nav" aria-label="Collection">
      {entries.map(([kind, label, url]) => (
        <li key={kind}>
          {kind === current ? <span aria-current="page">{label}</span> : <a href={url}>{label}</a>}
        </li>
      ))}
    </ul>
  );
}

/** The switches that matter to a writer and a reader, as short words. */
function statusWords(c: CollectionView): string[] {
  const words = [c.closed ? "Closed" : "Open"];
  if (c.moderated) words.push("Moderated");
  if (c.anonymous) words.push("Anonymous");
  if (c.unrevealed) words.push("Unrevealed");
  return words;
}

/** One collection in an index (AO3: `li.collection.blurb.group`). */
export function CollectionBlurb({ c }: { c: CollectionView }) {
  return (
    <li class="collection blurb group" id={`collection_${c.id}`}>
      <div class="header module">
        <h3 class="heading">
          <a href={c.url}>{c.title}</a> <span class="name">({c.name})</span>
        </h3>
        {c.parent ? (
          <p class="parent">
            Subcollection of <a href={c.parent.url}>{c.parent.title}</a>
          </p>
        ) : null}
        <p class="datetime">{c.created}</p>
      </div>
      {c.descriptionHtml ? (
        <UserHtml as="blockquote" class="summary" html={c.descriptionHtml} />
      ) : null}
      <dl class="stats">
        <dt class="status">Status:</dt>
        <dd class="status">{statusWords(c).join(", ")}</dd>
        {c.works !== null ? (
          <>
            <dt class="works">Works:</dt>
            <dd class="works">
              <a href={`${c.url}/works`}>{formatNumber(c.works)}</a>
            </dd>
          </>
        ) : null}
      </dl>
    </li>
  );
}

function CollectionList({ collections, empty }: { collections: CollectionView[]; empty: string }) {
  if (collections.length === 0) return <p class="empty">{empty}</p>;
  return (
    <ul class="collection index group">
      {collections.map((c) => (
        <CollectionBlurb key={c.id} c={c} />
      ))}
    </ul>
  );
}

// ── Index and subcollections ─────────────────────────────────────────────────────────────

export function CollectionIndex(props: {
  collections: CollectionView[];
  total: number;
  page: number;
  pages: number;
  loggedIn: boolean;
}) {
  return (
    <section class="collections-index">
      <h1 class="heading">Collections</h1>
      <p>
        Collections gather works around an event, a challenge, a gift exchange or a theme.
        {props.loggedIn ? (
          <>
            {" "}
            <a class="button" href="/collections/new">
              New collection
            </a>
          </>
        ) : null}
      </p>
      <h2 class="heading">{pluralize(props.total, "Collection")}</h2>
      <Pagination page={props.page} pages={props.pages} href={pageHref("/collections")} />
      <CollectionList collections={props.collections} empty="No collections yet." />
      <Pagination
        page={props.page}
        pages={props.pages}
        href={pageHref("/collections")}
        label="Pagination, end of list"
      />
    </section>
  );
}

export function SubcollectionsView(props: { c: CollectionView; children: CollectionView[] }) {
  const { c } = props;
  return (
    <section class="collection subcollections">
      <h1 class="heading">{c.title}</h1>
      <CollectionNav c={c} current="collections" />
      <h2 class="heading">{pluralize(props.children.length, "Subcollection")}</h2>
      <CollectionList
        collections={props.children}
        empty="This collection has no subcollections yet."
      />
      {c.can.moderate ? (
        <p class="hint">
          To add one, create a collection and name this one ({c.name}) as its parent.
        </p>
      ) : null}
    </section>
  );
}

// ── Profile ──────────────────────────────────────────────────────────────────────────────

function Names({ people }: { people: { login: string }[] }) {
  return <LinkList links={people.map((p) => ({ name: p.login, url: `/users/${p.login}` }))} />;
}

export function CollectionProfile(props: {
  c: CollectionView;
  owners: { login: string }[];
  moderators: { login: string }[];
  children: CollectionView[];
  works: WorkView[];
  loggedIn: boolean;
  returnTo: string;
}) {
  const { c } = props;
  return (
    <section class="collection home profile">
      <div class="header">
        <h1 class="heading">{c.title}</h1>
        <p class="name">
          <span class="landmark">Address: </span>/collections/{c.name}
        </p>
        {c.parent ? (
          <p class="parent">
            A subcollection of <a href={c.parent.url}>{c.parent.title}</a>
          </p>
        ) : null}
      </div>
      <CollectionNav c={c} current="profile" />
      <Membership c={c} loggedIn={props.loggedIn} returnTo={props.returnTo} />
      <dl class="meta collection-meta">
        <dt>Status:</dt>
        <dd class="status">
          {c.closed ? "Closed to new works" : "Open to new works"}
          {c.moderated ? "; moderated: new works wait for a moderator's approval" : ""}
        </dd>
        {c.anonymous ? (
          <>
            <dt>Anonymous:</dt>
            <dd class="anonymous">
              Creators are shown as Anonymous
              {c.revealCreatorsAt ? ` until ${c.revealCreatorsAt}` : " until the reveal"}.
            </dd>
          </>
        ) : null}
        {c.unrevealed ? (
          <>
            <dt>Unrevealed:</dt>
            <dd class="unrevealed">
              Works stay hidden
              {c.revealWorksAt ? ` until ${c.revealWorksAt}` : " until the reveal"}.
            </dd>
          </>
        ) : null}
        <dt>{props.owners.length === 1 ? "Owner:" : "Owners:"}</dt>
        <dd class="owners">
          <Names people={props.owners} />
        </dd>
        {props.moderators.length > 0 ? (
          <>
            <dt>{props.moderators.length === 1 ? "Moderator:" : "Moderators:"}</dt>
            <dd class="moderators">
              <Names people={props.moderators} />
            </dd>
          </>
        ) : null}
        <dt>Works:</dt>
        <dd class="works">
          <a href={`${c.url}/works`}>{pluralize(c.works ?? 0, "work")}</a>
        </dd>
        <dt>Since:</dt>
        <dd class="created">{c.created}</dd>
      </dl>
      {c.can.moderate && (c.anonymous || c.unrevealed) ? <RevealButtons c={c} /> : null}
      {c.descriptionHtml ? (
        <section class="intro" aria-labelledby="collection-about">
          <h2 class="heading" id="collection-about">
            About
          </h2>
          <UserHtml html={c.descriptionHtml} />
        </section>
      ) : null}
      {c.rulesHtml ? (
        <section class="rules" aria-labelledby="collection-rules">
          <h2 class="heading" id="collection-rules">
            Rules
          </h2>
          <UserHtml html={c.rulesHtml} />
        </section>
      ) : null}
      {c.parent === null && props.children.length > 0 ? (
        <section class="subcollections" aria-labelledby="collection-children">
          <h2 class="heading" id="collection-children">
            Subcollections
          </h2>
          <ul class="commas">
            {props.children.map((child) => (
              <li key={child.id}>
                <a href={child.url}>{child.title}</a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section class="recent works" aria-labelledby="collection-recent">
        <h2 class="heading" id="collection-recent">
          Recent works
        </h2>
        <WorkList works={props.works} empty="No works you can see yet." />
        {(c.works ?? 0) > props.works.length ? (
          <p>
            <a href={`${c.url}/works`}>All {pluralize(c.works ?? 0, "work")}</a>
          </p>
        ) : null}
      </section>
    </section>
  );
}

function Membership(props: { c: CollectionView; loggedIn: boolean; returnTo: string }) {
  const { c } = props;
  if (!props.loggedIn) {
    return c.closed ? null : (
      <p class="membership">
        <a href={`/login?return_to=${encodeURIComponent(props.returnTo)}`}>Log in</a> to join this
        collection or post to it.
      </p>
    );
  }
  if (c.role === null) {
    return c.closed ? null : (
      <PostForm action={`${c.url}/join`} class="inline membership">
        <button type="submit">Join</button>
      </PostForm>
    );
  }
  const role: Record<CollectionRole, string> = {
    owner: "an owner",
    moderator: "a moderator",
    member: "a member",
  };
  return (
    <div class="membership">
      <p>You are {role[c.role]} of this collection.</p>
      <PostForm action={`${c.url}/leave`} class="inline">
        <button type="submit" class="secondary small">
          Leave<span class="landmark"> {c.title}</span>
        </button>
      </PostForm>
    </div>
  );
}

function RevealButtons({ c }: { c: CollectionView }) {
  return (
    <ul class="actions reveal">
      {c.unrevealed ? (
        <li>
          <PostForm action={`${c.url}/reveal_works`} class="inline">
            <button type="submit">Reveal works</button>
          </PostForm>
        </li>
      ) : null}
      {c.anonymous ? (
        <li>
          <PostForm action={`${c.url}/reveal_creators`} class="inline">
            <button type="submit">Reveal creators</button>
          </PostForm>
        </li>
      ) : null}
    </ul>
  );
}

// ── The settings form ────────────────────────────────────────────────────────────────────

/** A `datetime-local` field (UTC), shaped as the core's fields are (label, hint, error). */
function DateTimeField(props: { name: string; label: string; hint: string; form: FormState }) {
  const id = `field-${props.name.replace(/[^A-Za-z0-9_-]/g, "-")}`;
  const error = props.form.errors[props.name];
  return (
    <div class={error ? "field has-error" : "field"}>
      <label for={id}>{props.label}</label>
      <p class="hint" id={`${id}-hint`}>
        {props.hint}
      </p>
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
      <input
        type="datetime-local"
        id={id}
        name={props.name}
        value={str(props.form.values, props.name)}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
      />
    </div>
  );
}

export function CollectionForm(props: {
  form: FormState;
  /** The collection being edited; absent for a new one. */
  c?: CollectionView;
}) {
  const { form, c } = props;
  return (
    <section class="collection-form">
      <h1 class="heading">{c ? `Settings of ${c.title}` : "New collection"}</h1>
      {c ? <CollectionNav c={c} current="edit" /> : null}
      <ErrorSummary errors={form.errors} />
      <PostForm action={c ? c.url : "/collections"} once={!c}>
        <fieldset>
          <legend>About the collection</legend>
          {c ? (
            <p>
              Address: <a href={c.url}>/collections/{c.name}</a> (it can't be changed).
            </p>
          ) : (
            <TextInput
              name="name"
              label="Name"
              required
              form={form}
              maxLength={limits.collectionName.max}
              hint="The collection's address, /collections/NAME: letters, digits and underscores only, no spaces. It can't be changed later."
            />
          )}
          <TextInput
            name="title"
            label="Title"
            required
            form={form}
            maxLength={limits.collectionTitle.max}
          />
          <TextArea
            name="description"
            label="Description"
            form={form}
            rows={4}
            hint={`Plain text or HTML; at most ${formatNumber(limits.collectionDescription.max)} characters.`}
          />
          <TextArea
            name="rules"
            label="Rules"
            form={form}
            rows={6}
            hint={`What may be posted here, deadlines, how the exchange works. At most ${formatNumber(limits.collectionRules.max)} characters.`}
          />
          <TextInput
            name="parent_name"
            label="Parent collection"
            form={form}
            maxLength={limits.collectionName.max}
            hint="Optional: the name of a collection you own or moderate, to make this one its subcollection. Collections nest one level only."
          />
        </fieldset>
        <fieldset>
          <legend>Who may post, and what readers see</legend>
          <Checkbox
            name="moderated"
            label="Moderated: new works wait for an owner's or moderator's approval"
            form={form}
          />
          <Checkbox name="closed" label="Closed: no new works or members for now" form={form} />
          <Checkbox
            name="anonymous"
            label="Anonymous: creators are shown as Anonymous until revealed"
            form={form}
            hint="Unchecking it later reveals every creator at once."
          />
          <Checkbox
            name="unrevealed"
            label="Unrevealed: works are hidden until revealed"
            form={form}
            hint="Only the works' creators see them until then. Unchecking it later reveals every work at once."
          />
          <DateTimeField
            name="reveal_works_at"
            label="Reveal works on"
            hint="Optional. Date and time in UTC; the works are revealed automatically within a few minutes of it."
            form={form}
          />
          <DateTimeField
            name="reveal_creators_at"
            label="Reveal creators on"
            hint="Optional. Date and time in UTC; the creators' names appear automatically within a few minutes of it."
            form={form}
          />
        </fieldset>
        <p class="submit actions">
          <button type="submit" class="primary">
            {c ? "Save" : "Create collection"}
          </button>{" "}
          <a href={c ? c.url : "/collections"}>Cancel</a>
        </p>
      </PostForm>
      {c?.can.delete ? (
        <p>
          <a class="button danger" href={`${c.url}/confirm_delete`}>
            Delete this collection
          </a>
        </p>
      ) : null}
    </section>
  );
}

// ── The moderators' queue ────────────────────────────────────────────────────────────────

export interface QueueEntry {
  /** The work as readers see it, but bylined with its real creators (moderators only). */
  work: WorkView;
  realCreators: CreatorLink[];
  collectionApproval: ItemApproval;
  creatorApproval: ItemApproval;
  added: string;
}

const TABS: [QueueTab, string][] = [
  ["pending", "Awaiting approval"],
  ["approved", "Approved"],
  ["rejected", "Rejected"],
];

export function QueueView(props: {
  c: CollectionView;
  tab: QueueTab;
  entries: QueueEntry[];
  total: number;
  page: number;
  pages: number;
}) {
  const { c, tab } = props;
  const base = `${c.url}/items?status=${tab}`;
  return (
    <section class="collection items">
      <h1 class="heading">{c.title}: items</h1>
      <CollectionNav c={c} current="items" />
      <ul class="navigation actions tabs" aria-label="Items by status">
        {TABS.map(([t, label]) => (
          <li key={t}>
            {t === tab ? (
              <span aria-current="page">{label}</span>
            ) : (
              <a href={`${c.url}/items?status=${t}`}>{label}</a>
            )}
          </li>
        ))}
      </ul>
      {c.anonymous ? (
        <p class="hint">
          This collection is anonymous: only here do its owners and moderators see who created each
          work.
        </p>
      ) : null}
      <h2 class="heading">{pluralize(props.total, "item")}</h2>
      <Pagination page={props.page} pages={props.pages} href={pageHref(base)} />
      {props.entries.length === 0 ? (
        <p class="empty">Nothing here.</p>
      ) : (
        <ol class="work index group">
          {props.entries.map((e) => (
            <WorkBlurb
              key={e.work.id}
              work={{ ...e.work, creators: e.realCreators }}
              extra={<ItemActions c={c} entry={e} tab={tab} />}
            />
          ))}
        </ol>
      )}
      <Pagination
        page={props.page}
        pages={props.pages}
        href={pageHref(base)}
        label="Pagination, end of list"
      />
    </section>
  );
}

function ItemActions({ c, entry, tab }: { c: CollectionView; entry: QueueEntry; tab: QueueTab }) {
  const url = `${c.url}/items/${entry.work.id}`;
  const title = <span class="landmark"> {entry.work.title}</span>;
  const notes: string[] = [`Added ${entry.added}.`];
  if (entry.work.draft) notes.push("A draft: readers see it once it is posted.");
  if (entry.creatorApproval === "pending") notes.push("Invited: waiting for its creators.");
  if (entry.creatorApproval === "rejected") notes.push("Its creators declined the invitation.");
  return (
    <div class="item-actions">
      <p class="item-status">{notes.join(" ")}</p>
      <ul class="actions">
        {entry.collectionApproval !== "approved" ? (
          <li>
            <PostForm action={`${url}/approve`} class="inline">
              <input type="hidden" name="status" value={tab} />
              <button type="submit" class="small">
                Approve{title}
              </button>
            </PostForm>
          </li>
        ) : null}
        {entry.collectionApproval !== "rejected" ? (
          <li>
            <PostForm action={`${url}/reject`} class="inline">
              <input type="hidden" name="status" value={tab} />
              <button type="submit" class="danger small">
                Reject{title}
              </button>
            </PostForm>
          </li>
        ) : null}
        <li>
          <PostForm action={`${url}/remove`} class="inline">
            <input type="hidden" name="status" value={tab} />
            <button type="submit" class="danger small">
              Remove{title}
            </button>
          </PostForm>
        </li>
      </ul>
    </div>
  );
}

// ── Participants ─────────────────────────────────────────────────────────────────────────

const ROLE_NAMES: Record<CollectionRole, string> = {
  owner: "Owner",
  moderator: "Moderator",
  member: "Member",
};
const ROLE_OPTIONS = (Object.keys(ROLE_NAMES) as CollectionRole[]).map((value) => ({
  value,
  label: ROLE_NAMES[value],
}));

export function ParticipantsView(props: {
  c: CollectionView;
  participants: { userId: number; login: string; role: CollectionRole; joined: string }[];
  form: FormState;
}) {
  const { c } = props;
  const manage = c.can.participants;
  return (
    <section class="collection participants">
      <h1 class="heading">{c.title}: participants</h1>
      <CollectionNav c={c} current="participants" />
      <p class="hint">
        Owners change the settings and the participants; owners and moderators approve works and
        reveal them; members are listed here. A collection always keeps one owner.
      </p>
      <ul class="participants index">
        {props.participants.map((p) => (
          <li key={p.userId}>
            <p>
              <a class="login" href={`/users/${p.login}`}>
                {p.login}
              </a>{" "}
              <span class="role">{ROLE_NAMES[p.role]}</span>
              <span class="since"> since {p.joined}</span>
            </p>
            {manage ? <RoleForm c={c} p={p} /> : null}
          </li>
        ))}
      </ul>
      {manage ? (
        <PostForm action={`${c.url}/participants`} class="add-participant">
          <h2 class="heading">Add someone</h2>
          <ErrorSummary errors={props.form.errors} />
          <TextInput name="login" label="User name" required form={props.form} />
          <Select name="role" label="Role" form={props.form} options={ROLE_OPTIONS} />
          <p class="submit">
            <button type="submit">Add</button>
          </p>
        </PostForm>
      ) : null}
    </section>
  );
}

function RoleForm(props: {
  c: CollectionView;
  p: { userId: number; login: string; role: CollectionRole };
}) {
  const { c, p } = props;
  const id = `role-${p.userId}`;
  return (
    <div class="role-actions">
      <PostForm action={`${c.url}/participants/${p.userId}`} class="inline">
        <label for={id} class="landmark">
          Role of {p.login}
        </label>
        <select id={id} name="role">
          {ROLE_OPTIONS.map((o) => (
            <option key={o.value} value={o.value} selected={o.value === p.role}>
              {o.label}
            </option>
          ))}
        </select>{" "}
        <button type="submit" class="secondary small">
          Save<span class="landmark"> the role of {p.login}</span>
        </button>
      </PostForm>{" "}
      <PostForm action={`${c.url}/participants/${p.userId}/delete`} class="inline">
        <button type="submit" class="danger small">
          Remove<span class="landmark"> {p.login}</span>
        </button>
      </PostForm>
    </div>
  );
}

// ── A work's page: "Add to collections" ──────────────────────────────────────────────────

export function AddToCollectionsForm(props: {
  work: { id: number; title: string };
  form: FormState;
  isCreator: boolean;
  /** Collections the viewer maintains (they may invite the work to these). */
  maintained: CollectionLink[];
  /** Where the work is already, with its state. */
  current: { link: CollectionLink; state: string }[];
}) {
  const { work, form } = props;
  return (
    <section class="add-to-collections">
      <h1 class="heading">Add “{work.title}” to collections</h1>
      {props.current.length > 0 ? (
        <>
          <h2 class="heading">Already in</h2>
          <ul>
            {props.current.map((c) => (
              <li key={c.link.name}>
                <a href={c.link.url}>{c.link.title}</a> ({c.state})
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p>
        {props.isCreator
          ? "Moderated collections show the work once their moderators approve it."
          : "As an owner or moderator of a collection you can invite this work to it: it joins once its creators accept."}
      </p>
      {!props.isCreator && props.maintained.length > 0 ? (
        <p class="hint">
          Your collections:{" "}
          {props.maintained.map((c, i) => (
            <>
              {i > 0 ? ", " : ""}
              <code>{c.name}</code>
            </>
          ))}
        </p>
      ) : null}
      <ErrorSummary errors={form.errors} />
      <PostForm action={`/works/${work.id}/collection_items`}>
        <TextInput
          name="collection_names"
          label="Collection names"
          required
          form={form}
          hint="The last part of each collection's address, separated by commas."
        />
        <p class="submit actions">
          <button type="submit" class="primary">
            {props.isCreator ? "Add" : "Invite"}
          </button>{" "}
          <a href={`/works/${work.id}`}>Cancel</a>
        </p>
      </PostForm>
    </section>
  );
}

// ── A creator's collection items ─────────────────────────────────────────────────────────

export interface CreatorItem {
  collection: CollectionLink & { id: number; anonymous: boolean; unrevealed: boolean };
  work: { id: number; title: string };
  collectionApproval: ItemApproval;
  creatorApproval: ItemApproval;
}

function itemState(i: CreatorItem): string {
  if (i.creatorApproval === "pending") return "Invited: waiting for your answer";
  if (i.creatorApproval === "rejected") return "You declined the invitation";
  if (i.collectionApproval === "pending") return "Waiting for the moderators' approval";
  if (i.collectionApproval === "rejected") return "Not accepted by the moderators";
  return "Approved";
}

export function UserItemsView(props: {
  login: string;
  collections: (CollectionLink & { role: CollectionRole })[];
  items: CreatorItem[];
}) {
  const { login } = props;
  const invitations = props.items.filter((i) => i.creatorApproval === "pending");
  const rest = props.items.filter((i) => i.creatorApproval !== "pending");
  return (
    <section class="collection-items user">
      <h1 class="heading">Your collections</h1>
      <p>
        <a class="button" href="/collections/new">
          New collection
        </a>{" "}
        <a href="/collections">All collections</a>
      </p>
      <h2 class="heading">Collections you take part in</h2>
      {props.collections.length === 0 ? (
        <p class="empty">None yet.</p>
      ) : (
        <ul>
          {props.collections.map((c) => (
            <li key={c.name}>
              <a href={c.url}>{c.title}</a> ({c.role})
            </li>
          ))}
        </ul>
      )}
      <h2 class="heading">Invitations for your works</h2>
      <ItemTable login={login} items={invitations} empty="No invitations waiting." invite />
      <h2 class="heading">Your works in collections</h2>
      <ItemTable login={login} items={rest} empty="None of your works is in a collection." />
    </section>
  );
}

function ItemTable(props: {
  login: string;
  items: CreatorItem[];
  empty: string;
  invite?: boolean;
}) {
  if (props.items.length === 0) return <p class="empty">{props.empty}</p>;
  return (
    <ul class="collection-items index">
      {props.items.map((i) => {
        const url = `/users/${props.login}/collection_items/${i.collection.id}/${i.work.id}`;
        const about = (
          <span class="landmark">
            {" "}
            {i.work.title} in {i.collection.title}
          </span>
        );
        return (
          <li key={`${i.collection.id}-${i.work.id}`}>
            <p>
              <a href={`/works/${i.work.id}`}>{i.work.title}</a> in{" "}
              <a href={i.collection.url}>{i.collection.title}</a>
              {i.collection.anonymous ? " (anonymous)" : ""}
              {i.collection.unrevealed ? " (unrevealed)" : ""}
            </p>
            <p class="item-status">{itemState(i)}</p>
            <ul class="actions">
              {props.invite ? (
                <>
                  <li>
                    <Action url={`${url}/accept`} label="Accept" about={about} />
                  </li>
                  <li>
                    <Action url={`${url}/decline`} label="Decline" about={about} danger />
                  </li>
                </>
              ) : (
                <li>
                  <Action url={`${url}/remove`} label="Remove" about={about} danger />
                </li>
              )}
            </ul>
          </li>
        );
      })}
    </ul>
  );
}

function Action(props: { url: string; label: string; about: ComponentChildren; danger?: boolean }) {
  return (
    <PostForm action={props.url} class="inline">
      <button type="submit" class={props.danger ? "danger small" : "secondary small"}>
        {props.label}
        {props.about}
      </button>
    </PostForm>
  );
}

// ── Confirmations ────────────────────────────────────────────────────────────────────────

export function ConfirmDeleteCollection({ c, works }: { c: CollectionView; works: number }) {
  return (
    <section class="confirm-delete">
      <h1>Delete “{c.title}”?</h1>
      <p>
        This deletes the collection, its settings and its list of{" "}
        {pluralize(works, "work", "works")} for good. The works themselves stay on the archive with
        their creators; anonymous and unrevealed works in it are revealed unless another collection
        keeps them so. It cannot be undone.
      </p>
      <PostForm action={`${c.url}/delete`}>
        <button type="submit" class="danger">
          Yes, delete
        </button>{" "}
        <a href={c.url}>No, cancel</a>
      </PostForm>
    </section>
  );
}
