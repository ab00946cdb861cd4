// Related works (issue 15): "This work is inspired by another work" on the work form, a parent
// here (approved by its creators before it lists the child) or elsewhere by address, AO3's
// markup on both sides, visibility, the approval page, and who may not use it.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client, createTestApp, workForm, workIdFrom, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import { inboxOf, setSwitches, userIdOf } from "../support/factories-gifts.ts";

const NONE = { anonymous: false, unrevealed: false };

describeEachEngine("related works", (engine) => {
  let t: TestApp;
  let parentAuthor: Client;
  let childAuthor: Client;
  let other: Client;
  let guest: Client;
  let parentAuthorId: number;

  before(async () => {
    t = await createTestApp(engine);
    parentAuthor = new Client(t.app);
    await parentAuthor.signUp("rel_parent");
    childAuthor = new Client(t.app);
    await childAuthor.signUp("rel_child");
    other = new Client(t.app);
    await other.signUp("rel_other");
    guest = new Client(t.app);
    parentAuthorId = await userIdOf(t.handle.db, "rel_parent");
  });
  after(() => t.close());

  async function post(by: Client, overrides: Record<string, string | string[]> = {}) {
    const res = await by.post("/works", workForm(overrides));
    assert.equal(res.statusCode, 303, res.body.slice(0, 800));
    return workIdFrom(res.headers.location);
  }

  /** A draft, its switches set, then posted: in such a collection from its first showing. */
  async function postInto(
    by: Client,
    flags: { anonymous: boolean; unrevealed: boolean },
    overrides: Record<string, string | string[]> = {},
  ) {
    const id = await post(by, { ...overrides, action: "draft" });
    await setSwitches(t.handle.db, id, flags, t.clock.now);
    assert.equal((await by.post(`/works/${id}/post`)).statusCode, 303);
    return id;
  }

  const linksOf = (workId: number) =>
    t.handle.db
      .selectFrom("related_works")
      .selectAll()
      .where("work_id", "=", workId)
      .orderBy("id")
      .execute();

  test("inspired by a work here: on the child at once, on the parent once approved", async () => {
    const parent = await post(parentAuthor, { title: "The Original" });
    await t.drainJobs();
    const child = await post(childAuthor, {
      title: "The Response",
      parent_url: `/works/${parent}`,
      parent_relation: "inspired",
    });
    const [link] = await linksOf(child);
    assert.equal(link!.parent_work_id, parent);
    assert.equal(link!.approved, 0);

    const childPage = await guest.get(`/works/${child}`);
    assert.match(
      childPage.body,
      new RegExp(
        `<ul class="associations"><li>Inspired by <a href="/works/${parent}">The Original</a> by <a rel="author" href="/users/rel_parent/pseuds/rel_parent">rel_parent</a>\\.</li></ul>`,
      ),
    );
    assert.doesNotMatch((await guest.get(`/works/${parent}`)).body, /id="children"/);

    // The parent's creator hears of it, with the page to approve it.
    await t.drainJobs();
    const [notice] = await inboxOf(t.handle.db, parentAuthorId, "related_work");
    assert.equal(
      notice!.text,
      "“The Response” by rel_child is inspired by your work “The Original”. Approve it to list it on your work.",
    );
    assert.equal(notice!.url, `/works/${parent}/related_works`);

    const approval = await parentAuthor.get(`/works/${parent}/related_works`);
    assert.equal(approval.statusCode, 200);
    assert.match(approval.body, /Waiting for your approval\./);
    assert.match(
      approval.body,
      new RegExp(`action="/works/${parent}/related_works/${link!.id}/approve"`),
    );
    const approved = await parentAuthor.post(`/works/${parent}/related_works/${link!.id}/approve`);
    assert.equal(approved.statusCode, 303);
    assert.equal(approved.headers.location, `/works/${parent}/related_works`);

    const parentPage = await guest.get(`/works/${parent}`);
    assert.match(
      parentPage.body,
      new RegExp(
        `<div id="children" class="children module"><h3 class="heading">Works inspired by this one:</h3><ul><li><a href="/works/${child}">The Response</a> by <a rel="author" href="/users/rel_child/pseuds/rel_child">rel_child</a></li></ul></div>`,
      ),
    );
    assert.match(parentPage.body, /<div class="afterword preface group">/);
    assert.match(
      parentPage.body,
      /<p class="jump">\(See the end of the work for <a href="#children">other works inspired by this one<\/a>\.\)<\/p>/,
    );

    // Removed from the parent: gone there, still on the child.
    const removed = await parentAuthor.post(`/works/${parent}/related_works/${link!.id}/remove`);
    assert.equal(removed.statusCode, 303);
    assert.doesNotMatch((await guest.get(`/works/${parent}`)).body, /id="children"/);
    assert.match((await guest.get(`/works/${child}`)).body, /Inspired by <a href/);
    assert.match((await parentAuthor.get(`/works/${parent}/related_works`)).body, /Approve/);
  });

  test("translations and remixes, in AO3's words on both sides", async () => {
    const parent = await post(parentAuthor, { title: "Source Text" });
    const translation = await post(childAuthor, {
      title: "Texte source",
      language: "fr",
      parent_url: `/works/${parent}`,
      parent_relation: "translation",
    });
    const remix = await post(childAuthor, {
      title: "Source Remix",
      parent_url: `/works/${parent}`,
      parent_relation: "remix",
    });
    for (const id of [translation, remix]) {
      const [link] = await linksOf(id);
      await parentAuthor.post(`/works/${parent}/related_works/${link!.id}/approve`);
    }
    assert.match(
      (await guest.get(`/works/${translation}`)).body,
      new RegExp(`<li>A translation of <a href="/works/${parent}">Source Text</a> by `),
    );
    assert.match(
      (await guest.get(`/works/${remix}`)).body,
      new RegExp(`<li>A remix of <a href="/works/${parent}">Source Text</a> by `),
    );
    const page = (await guest.get(`/works/${parent}`)).body;
    assert.match(
      page,
      new RegExp(
        `<ul class="associations"><li>Translation into <span lang="fr">Français</span> available: <a href="/works/${translation}">Texte source</a> by <a rel="author" href="/users/rel_child/pseuds/rel_child">rel_child</a></li></ul>`,
      ),
    );
    // The translation is in the preface; the remix at the end.
    const children = page.slice(page.indexOf('id="children"'));
    assert.match(children, new RegExp(`href="/works/${remix}"`));
    assert.doesNotMatch(children, new RegExp(`href="/works/${translation}"`));
  });

  test("a work elsewhere, by address, with its title, author and language", async () => {
    const child = await post(childAuthor, {
      title: "Crossposted Response",
      parent_url: "https://archive.example.org/works/42",
      parent_title: "Far <Away>",
      parent_author: "someone_else",
      parent_language: "de",
      parent_relation: "translation",
    });
    const [link] = await linksOf(child);
    assert.deepEqual(
      [link!.parent_work_id, link!.parent_url, link!.parent_title, link!.parent_author],
      [null, "https://archive.example.org/works/42", "Far <Away>", "someone_else"],
    );
    assert.match(
      (await guest.get(`/works/${child}`)).body,
      /<li>A translation of <a href="https:\/\/archive\.example\.org\/works\/42" rel="nofollow ugc">Far &lt;Away><\/a> by someone_else\.<\/li>/,
    );
    await t.drainJobs();
    // This archive's own address is a work here.
    const parent = await post(parentAuthor, { title: "Own Address" });
    const own = await post(childAuthor, { parent_url: `http://localhost:3000/works/${parent}` });
    assert.equal((await linksOf(own))[0]!.parent_work_id, parent);
  });

  test("the fields are checked: each refusal names its field and keeps what was typed", async () => {
    const draft = await post(parentAuthor, { title: "Hidden Draft", action: "draft" });
    const refused = async (fields: Record<string, string>, field: string, message: RegExp) => {
      const res = await childAuthor.post("/works", workForm({ title: "Refused", ...fields }));
      assert.equal(res.statusCode, 422, JSON.stringify(fields));
      // At the field (a radio group carries its error inside its fieldset), and in the summary.
      assert.match(
        res.body,
        new RegExp(
          `id="field-${field}-error"|id="field-${field}"><legend>[^<]*</legend><p class="field-error">`,
        ),
        JSON.stringify(fields),
      );
      assert.match(res.body, new RegExp(`<a href="#field-${field}">`), JSON.stringify(fields));
      assert.match(res.body, message, JSON.stringify(fields));
    };
    await refused(
      { parent_url: "not a url" },
      "parent_url",
      /Please enter the work(&#39;|')s address/,
    );
    await refused({ parent_url: "ftp://example.org/x" }, "parent_url", /Only http/);
    await refused({ parent_url: "/tags/Fluff" }, "parent_url", /not a work on this archive/);
    await refused(
      { parent_url: "/works/999999" },
      "parent_url",
      /couldn(&#39;|')t find a posted work/,
    );
    await refused(
      { parent_url: `/works/${draft}` },
      "parent_url",
      /couldn(&#39;|')t find a posted work/,
    );
    await refused(
      { parent_url: "https://elsewhere.example/w/1", parent_author: "x" },
      "parent_title",
      /title of the work/,
    );
    await refused(
      { parent_url: "https://elsewhere.example/w/1", parent_title: "T" },
      "parent_author",
      /author of the work/,
    );
    await refused(
      {
        parent_url: "https://elsewhere.example/w/1",
        parent_title: "T",
        parent_author: "A",
        parent_language: "xx",
      },
      "parent_language",
      /listed languages/,
    );
    await refused(
      { parent_url: "/works/1", parent_relation: "sequel" },
      "parent_relation",
      /Choose/,
    );
    const kept = await childAuthor.post(
      "/works",
      workForm({ parent_url: "https://elsewhere.example/w/1", parent_title: "Kept Title" }),
    );
    assert.match(kept.body, /value="Kept Title"/);
    // A work can't name itself.
    const self = await post(childAuthor, { title: "Selfish" });
    const res = await childAuthor.post(
      `/works/${self}`,
      workForm({ parent_url: `/works/${self}` }),
    );
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /related to itself/);
  });

  test("editing lists the links with Remove; the same parent again changes the relation", async () => {
    const parent = await post(parentAuthor, { title: "Edit Parent" });
    const child = await post(childAuthor, {
      title: "Edit Child",
      parent_url: `/works/${parent}`,
    });
    const [link] = await linksOf(child);
    const edit = await childAuthor.get(`/works/${child}/edit`);
    assert.match(edit.body, /Inspired by “Edit Parent”/);
    assert.match(edit.body, new RegExp(`name="related_remove" value="${link!.id}"`));
    await childAuthor.post(
      `/works/${child}`,
      workForm({ title: "Edit Child", parent_url: `/works/${parent}`, parent_relation: "remix" }),
    );
    const links = await linksOf(child);
    assert.equal(links.length, 1);
    assert.equal(links[0]!.relation, "remix");
    assert.equal(links[0]!.id, link!.id);
    await childAuthor.post(
      `/works/${child}`,
      workForm({ title: "Edit Child", related_remove: String(link!.id) }),
    );
    assert.equal((await linksOf(child)).length, 0);
    assert.doesNotMatch((await guest.get(`/works/${child}`)).body, /Edit Parent/);
  });

  test("one creator's own works are linked without approval or notice", async () => {
    const parent = await post(parentAuthor, { title: "Mine First" });
    await t.drainJobs();
    const before = (await inboxOf(t.handle.db, parentAuthorId, "related_work")).length;
    const child = await post(parentAuthor, {
      title: "Mine Second",
      parent_url: `/works/${parent}`,
    });
    await t.drainJobs();
    assert.equal((await linksOf(child))[0]!.approved, 1);
    assert.equal((await inboxOf(t.handle.db, parentAuthorId, "related_work")).length, before);
    assert.match(
      (await guest.get(`/works/${parent}`)).body,
      new RegExp(`id="children"[^]*href="/works/${child}"`),
    );
  });

  test("what readers are shown: restricted, hidden and unrevealed parents; unrevealed and anonymous children", async () => {
    const restricted = await post(parentAuthor, { title: "Members Parent", restricted: "1" });
    const child = await post(childAuthor, {
      title: "Child of Restricted",
      parent_url: `/works/${restricted}`,
    });
    const asGuest = (await guest.get(`/works/${child}`)).body;
    assert.match(
      asGuest,
      /<li>Inspired by \[Restricted Work\] by <a rel="author" href="\/users\/rel_parent\/pseuds\/rel_parent">rel_parent<\/a>\. Log in to view\.<\/li>/,
    );
    assert.doesNotMatch(asGuest, /Members Parent/);
    assert.match(
      (await other.get(`/works/${child}`)).body,
      /Inspired by <a href="\/works\/\d+">Members Parent<\/a>/,
    );

    // A parent that goes into an unrevealed collection is not shown at all.
    const secretParent = await post(parentAuthor, { title: "Secret Parent" });
    const child2 = await post(childAuthor, { parent_url: `/works/${secretParent}` });
    await setSwitches(
      t.handle.db,
      secretParent,
      { anonymous: false, unrevealed: true },
      t.clock.now,
    );
    const page2 = (await other.get(`/works/${child2}`)).body;
    assert.doesNotMatch(page2, /Secret Parent/);
    assert.doesNotMatch(page2, /class="associations"/);
    await setSwitches(t.handle.db, secretParent, NONE, t.clock.now);

    // An unrevealed child: not on the parent's page nor its approval page, nor in the
    // parent's inbox, until the reveal; then listed as Anonymous while anonymous.
    await t.drainJobs();
    const parent = await post(parentAuthor, { title: "Exchange Parent" });
    await t.drainJobs();
    const before = (await inboxOf(t.handle.db, parentAuthorId, "related_work")).length;
    const anonChild = await postInto(
      childAuthor,
      { anonymous: true, unrevealed: true },
      { title: "Exchange Gift", parent_url: `/works/${parent}` },
    );
    await t.drainJobs();
    const [link] = await linksOf(anonChild);
    assert.equal((await inboxOf(t.handle.db, parentAuthorId, "related_work")).length, before);
    assert.doesNotMatch(
      (await parentAuthor.get(`/works/${parent}/related_works`)).body,
      /Exchange Gift/,
    );
    assert.equal(
      (await parentAuthor.post(`/works/${parent}/related_works/${link!.id}/approve`)).statusCode,
      404,
      "not approvable before the reveal",
    );
    await setSwitches(t.handle.db, anonChild, { anonymous: true, unrevealed: false }, t.clock.now);
    await t.drainJobs();
    const notices = await inboxOf(t.handle.db, parentAuthorId, "related_work");
    assert.equal(notices.length, before + 1);
    assert.equal(
      notices.at(-1)!.text,
      "“Exchange Gift” by Anonymous is inspired by your work “Exchange Parent”. Approve it to list it on your work.",
    );
    assert.equal(notices.at(-1)!.actor_user_id, null);
    const approvalPage = (await parentAuthor.get(`/works/${parent}/related_works`)).body;
    assert.match(approvalPage, /Exchange Gift<\/a> by Anonymous/);
    assert.doesNotMatch(approvalPage, /rel_child/);
    await parentAuthor.post(`/works/${parent}/related_works/${link!.id}/approve`);
    const parentPage = (await guest.get(`/works/${parent}`)).body;
    assert.match(
      parentPage,
      new RegExp(`<a href="/works/${anonChild}">Exchange Gift</a> by Anonymous</li>`),
    );
    assert.doesNotMatch(parentPage, /rel_child/);
  });

  test("a draft child tells the parent's creators when it is posted", async () => {
    const parent = await post(parentAuthor, { title: "Patient Parent" });
    await t.drainJobs();
    const before = (await inboxOf(t.handle.db, parentAuthorId, "related_work")).length;
    const draft = await post(childAuthor, {
      title: "Draft Child",
      parent_url: `/works/${parent}`,
      action: "draft",
    });
    await t.drainJobs();
    assert.equal((await inboxOf(t.handle.db, parentAuthorId, "related_work")).length, before);
    assert.doesNotMatch(
      (await parentAuthor.get(`/works/${parent}/related_works`)).body,
      /Draft Child/,
    );
    await childAuthor.post(`/works/${draft}/post`);
    await t.drainJobs();
    assert.equal((await inboxOf(t.handle.db, parentAuthorId, "related_work")).length, before + 1);
    // A link added by editing a posted work tells them too, once.
    const later = await post(childAuthor, { title: "Later Child" });
    await t.drainJobs();
    await childAuthor.post(
      `/works/${later}`,
      workForm({ title: "Later Child", parent_url: `/works/${parent}` }),
    );
    await childAuthor.post(
      `/works/${later}`,
      workForm({ title: "Later Child", parent_url: `/works/${parent}` }),
    );
    await t.drainJobs();
    assert.equal((await inboxOf(t.handle.db, parentAuthorId, "related_work")).length, before + 2);
  });

  test("the approval page and its buttons: the parent's creators only", async () => {
    const parent = await post(parentAuthor, { title: "Guarded Parent" });
    const child = await post(childAuthor, { parent_url: `/works/${parent}` });
    const [link] = await linksOf(child);
    const page = `/works/${parent}/related_works`;
    const approve = `${page}/${link!.id}/approve`;
    const fromGuest = await guest.get(page);
    assert.equal(fromGuest.statusCode, 303);
    assert.match(fromGuest.headers.location ?? "", /login/);
    assert.equal((await guest.post(approve)).statusCode, 401);
    assert.equal((await other.get(page)).statusCode, 403);
    assert.equal((await childAuthor.get(page)).statusCode, 403, "the child's creator neither");
    assert.equal((await other.post(approve)).statusCode, 403);
    assert.equal((await childAuthor.post(approve)).statusCode, 403);
    assert.equal((await parentAuthor.get("/works/999999/related_works")).statusCode, 404);
    // A link to another work is not this parent's to approve.
    const elsewhere = await post(parentAuthor, { title: "Other Parent" });
    assert.equal(
      (await parentAuthor.post(`/works/${elsewhere}/related_works/${link!.id}/approve`)).statusCode,
      404,
    );
    assert.equal((await linksOf(child))[0]!.approved, 0);
    assert.equal((await parentAuthor.post(approve)).statusCode, 303);
    assert.equal((await linksOf(child))[0]!.approved, 1);
  });
});
