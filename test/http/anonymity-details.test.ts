/**
 * Issue 15, beside the visibility table (anonymity.test.ts): the places an anonymous work's
 * creator could still be named or inferred — their comments on it, the report form, chapter
 * announcements, a mute, what bookmarks keep of a deleted work, the download's ETag — and the
 * counts an unrevealed work must stay out of. On both engines.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Db } from "../../src/core/db/index.ts";
import { downloadKey, loadWorkRows } from "../../src/downloads/document.ts";
import { recountTaggings } from "../../src/tags/count-queries.ts";
import { addChapter, deleteWork } from "../../src/works/commands.ts";
import { ChapterInput } from "../../src/works/schemas.ts";
import { setHiddenReason } from "../../src/moderation/hiding.ts";
import { declaredRoutes } from "../../src/core/http/route.tsx";
import { Client, createTestApp, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import {
  buildBookmark,
  buildComment,
  buildKudos,
  buildUser,
  type FactoryUser,
} from "../support/factories.ts";
import { buildCollectedWork, NO_FLAGS, setFlags } from "../support/factories-anonymity.ts";

const PASSWORD = "factory password";
const ANON = { anonymous: true, unrevealed: false };
const UNREVEALED = { anonymous: false, unrevealed: true };

/** `<main>` of a page: the header names whoever is logged in. */
function mainOf(body: string): string {
  const start = body.indexOf("<main");
  const end = body.lastIndexOf("</main>");
  return start >= 0 && end > start ? body.slice(start, end) : body;
}

async function tagCounts(db: Db, name: string) {
  const row = await db
    .selectFrom("tags")
    .select(["public_count", "members_count"])
    .where("name", "=", name)
    .executeTakeFirstOrThrow();
  return { public: Number(row.public_count), members: Number(row.members_count) };
}

/** The work's EPUB cache key as it is, and as it would be if `other` had written it. */
async function cacheKeyOf(db: Db, workId: number, other: FactoryUser) {
  const rows = await loadWorkRows(db, workId);
  assert.ok(rows);
  const theirs = {
    ...rows,
    creators: [
      {
        workId,
        pseudId: other.pseudId,
        pseudName: other.login,
        userId: other.id,
        login: other.login,
      },
    ],
  };
  const base = "https://archive.example";
  return [downloadKey(rows, "epub", base), downloadKey(theirs, "epub", base)] as const;
}

describeEachEngine("anonymous and unrevealed works: the details", (engine) => {
  let t: TestApp;
  let db: Db;
  let now: number;

  before(async () => {
    t = await createTestApp(engine);
    db = t.handle.db;
    now = t.clock.now;
  });
  after(() => t.close());

  /** A user and a logged-in client for them. */
  async function person(login: string): Promise<{ user: FactoryUser; client: Client }> {
    const user = await buildUser(db, { login });
    const client = new Client(t.app);
    const res = await client.logIn(login, PASSWORD);
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    return { user, client };
  }

  test("a creator's comments on their anonymous work are signed Anonymous Creator", async () => {
    const writer = await person("ad_comment_writer");
    const reader = await person("ad_comment_reader");
    const { workId } = await buildCollectedWork(db, ANON, {
      pseudId: writer.user.pseudId,
      now,
      title: "Lantern Quietude",
    });
    const question = await buildComment(db, workId, {
      by: reader.user,
      text: "Who wrote this?",
      now,
    });
    const answer = await buildComment(db, workId, {
      by: writer.user,
      parentId: question.id,
      text: "Someone who loves lanterns.",
      now,
    });

    for (const url of [`/works/${workId}`, `/comments/${answer.id}`]) {
      const page = mainOf((await reader.client.get(url)).body);
      assert.match(page, /Anonymous Creator/, url);
      assert.ok(!page.includes(writer.user.login), `${url} names the creator`);
    }
    const inbox = mainOf((await reader.client.get(`/users/${reader.user.login}/inbox`)).body);
    assert.match(inbox, /Anonymous Creator replied to your comment on “Lantern Quietude”/);
    assert.ok(!inbox.includes(writer.user.login), "the reply notice names the creator");
    const row = await db
      .selectFrom("notifications")
      .select("actor_user_id")
      .where("user_id", "=", reader.user.id)
      .where("kind", "=", "reply")
      .executeTakeFirstOrThrow();
    assert.equal(row.actor_user_id, null, "the notice keeps no actor to give the creator away");

    // Whoever reports it is not told who wrote it (the snapshot with the names is the
    // moderators').
    for (const url of [
      `/reports/new?type=comment&id=${answer.id}`,
      `/reports/new?type=work&id=${workId}`,
    ]) {
      const form = await reader.client.get(url);
      assert.equal(form.statusCode, 200, url);
      assert.ok(!mainOf(form.body).includes(writer.user.login), `${url} names the creator`);
    }

    // The reader's own comment is theirs as ever; after the reveal the creator's is theirs too.
    await setFlags(db, workId, NO_FLAGS, now);
    const revealed = mainOf((await reader.client.get(`/works/${workId}`)).body);
    assert.ok(revealed.includes(writer.user.login), "revealed: the comment names its writer");
    assert.doesNotMatch(revealed, /Anonymous Creator/);
  });

  test("every reader page of a work: an anonymous one names nobody, an unrevealed one is a 404", async () => {
    const writer = await person("ad_walk_writer");
    const reader = await person("ad_walk_reader");
    const walk = async (flags: typeof ANON, title: string) => {
      const { workId, chapterId } = await buildCollectedWork(db, NO_FLAGS, {
        pseudId: writer.user.pseudId,
        now,
        title,
      });
      // What readers attach to it while it is still plain: a comment, a bookmark, kudos.
      const comment = await buildComment(db, workId, { by: reader.user, now });
      await buildComment(db, workId, { by: writer.user, parentId: comment.id, now });
      const bookmark = await buildBookmark(db, workId, { by: reader.user, now });
      await buildKudos(db, workId, { by: reader.user, now });
      await setFlags(db, workId, flags, now);
      const fill = (url: string) =>
        url
          .replace(":workId", String(workId))
          .replace(":chapterId", String(chapterId))
          .replace(/^\/comments\/:id/, `/comments/${comment.id}`)
          .replace(/^\/bookmarks\/:id/, `/bookmarks/${bookmark.id}`)
          .replace(/^\/downloads\/:workId\/:file/, `/downloads/${workId}/w.html`);
      return declaredRoutes(t.app)
        .filter((r) => r.method === "GET" && r.auth === "guest-ok")
        .filter((r) =>
          /^\/(works\/:workId|chapters\/:chapterId|comments\/:id|bookmarks\/:id|downloads\/:workId)(\/|$)/.test(
            r.url,
          ),
        )
        .map((r) => fill(r.url));
    };
    const wrong: string[] = [];
    const anonymous = await walk(ANON, "Lantern Walked Anonymous");
    assert.ok(anonymous.length >= 10, `only ${anonymous.length} pages: ${anonymous.join(", ")}`);
    for (const url of anonymous) {
      for (const client of [reader.client, new Client(t.app)]) {
        const res = await client.get(url);
        if (res.statusCode >= 500) wrong.push(`${url}: ${res.statusCode}`);
        if (mainOf(res.body).includes(writer.user.login)) wrong.push(`${url} names the creator`);
      }
    }
    for (const url of await walk(UNREVEALED, "Lantern Walked Sealed")) {
      for (const client of [reader.client, new Client(t.app)]) {
        let res = await client.get(url);
        // A menu address that only picks a chapter hands over to that page first.
        if (res.statusCode === 302 || res.statusCode === 303)
          res = await client.get(res.headers.location ?? "");
        // The reader's own bookmark stays theirs, without the work (as for a hidden one).
        const own = client === reader.client && url.startsWith("/bookmarks/");
        if (res.statusCode !== (own ? 200 : 404)) wrong.push(`${url}: ${res.statusCode}`);
        if (res.body.includes("Lantern Walked Sealed")) wrong.push(`${url} shows the title`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  test("an unrevealed work cannot be reported, nor its chapters, by those who cannot see it", async () => {
    const writer = await person("ad_report_writer");
    const reader = await person("ad_report_reader");
    const { workId, chapterId } = await buildCollectedWork(db, UNREVEALED, {
      pseudId: writer.user.pseudId,
      now,
      title: "Lantern Sealed",
    });
    for (const url of [
      `/reports/new?type=work&id=${workId}`,
      `/reports/new?type=chapter&id=${chapterId}`,
    ]) {
      const res = await reader.client.get(url);
      assert.equal(res.statusCode, 404, url);
      assert.ok(!res.body.includes("Lantern Sealed"), `${url} shows the title`);
    }
  });

  test("an anonymous work's chapters reach its own subscribers as Anonymous's, never its creator's followers", async () => {
    const writer = await person("ad_chapter_writer");
    const workFan = await person("ad_work_fan");
    const writerFan = await person("ad_writer_fan");
    const anonymous = await buildCollectedWork(db, ANON, {
      pseudId: writer.user.pseudId,
      now,
      title: "Lantern Serial",
    });
    const plain = await buildCollectedWork(db, NO_FLAGS, {
      pseudId: writer.user.pseudId,
      now,
      title: "Lantern Signed",
    });
    const followed = await workFan.client.post(`/works/${anonymous.workId}/subscriptions`, {
      return_to: "/",
    });
    assert.equal(followed.statusCode, 303, followed.body.slice(0, 300));
    const byline = (
      await writerFan.client.post(`/users/${writer.user.login}/subscriptions`, {
        return_to: "/",
      })
    ).statusCode;
    assert.equal(byline, 303);

    // The work page offers no "Subscribe to WRITER" on the anonymous work; the signed one does.
    const subscribeTo = `Subscribe to ${writer.user.login}`;
    const anonPage = (await workFan.client.get(`/works/${anonymous.workId}`)).body;
    assert.ok(!anonPage.includes(subscribeTo), "the anonymous work offers its writer");
    const plainPage = (await workFan.client.get(`/works/${plain.workId}`)).body;
    assert.ok(plainPage.includes(subscribeTo), "the signed work offers its writer");

    for (const workId of [anonymous.workId, plain.workId]) {
      const added = await addChapter(db, {
        workId,
        input: ChapterInput.parse({ chapter_title: "Second", text: "More light." }),
        now,
      });
      assert.ok(added.ok);
    }
    await t.drainJobs();
    const inboxOf = async (p: { user: FactoryUser; client: Client }) =>
      mainOf((await p.client.get(`/users/${p.user.login}/inbox`)).body);

    const workFanInbox = await inboxOf(workFan);
    assert.match(workFanInbox, /Anonymous posted Chapter 2: Second of “Lantern Serial”/);
    assert.ok(!workFanInbox.includes(writer.user.login), "the chapter notice names the writer");
    const writerFanInbox = await inboxOf(writerFan);
    assert.ok(!writerFanInbox.includes("Lantern Serial"), "the writer's follower hears of it");
    assert.match(writerFanInbox, /posted Chapter 2: Second of “Lantern Signed”/);
  });

  test("a mute never hides an anonymous work, nor counts it among the muted writer's", async () => {
    const writer = await person("ad_muted_writer");
    const muter = await person("ad_muter");
    await buildCollectedWork(db, ANON, {
      pseudId: writer.user.pseudId,
      now,
      title: "Lantern Veiled",
    });
    await buildCollectedWork(db, NO_FLAGS, {
      pseudId: writer.user.pseudId,
      now,
      title: "Lantern Open",
    });
    const muted = await muter.client.post("/preferences/exclusions/users", {
      login: writer.user.login,
    });
    assert.equal(muted.statusCode, 303, muted.body.slice(0, 300));

    const works = mainOf((await muter.client.get("/works")).body);
    assert.ok(works.includes("Lantern Veiled"), "the mute hid the anonymous work");
    assert.ok(!works.includes("Lantern Open"), "the mute left the signed work");
    const profile = mainOf((await muter.client.get(`/users/${writer.user.login}`)).body);
    assert.match(profile, /1 work by ad_muted_writer is hidden because you muted them/);
    const shown = mainOf(
      (await muter.client.get(`/users/${writer.user.login}/works?exclusions=off`)).body,
    );
    assert.ok(!shown.includes("Lantern Veiled"), "their works list the anonymous one");
  });

  test("bookmarks keep 'Anonymous' for a deleted anonymous work", async () => {
    const writer = await person("ad_deleted_writer");
    const reader = await person("ad_deleted_reader");
    const { workId } = await buildCollectedWork(db, ANON, {
      pseudId: writer.user.pseudId,
      now,
      title: "Lantern Gone",
    });
    await buildBookmark(db, workId, { by: reader.user, now });
    assert.ok((await deleteWork(db, { workId, now })).ok);
    await t.drainJobs();
    const kept = mainOf((await reader.client.get(`/users/${reader.user.login}/bookmarks`)).body);
    assert.match(kept, /Lantern Gone/);
    assert.match(kept, /by Anonymous/);
    assert.ok(!kept.includes(writer.user.login), "the kept bookmark names the creator");
  });

  test("tag counts leave an unrevealed work out, as it moves and when recounted", async () => {
    const tag = "Tagged Unrevealed Lantern";
    const moderator = await buildUser(db, { login: "ad_count_mod", roles: ["moderator"] });
    const { workId } = await buildCollectedWork(db, UNREVEALED, { now, freeforms: tag });
    const counts = () => tagCounts(db, tag);
    assert.deepEqual(await counts(), { public: 0, members: 0 }, "posted unrevealed");
    await setFlags(db, workId, NO_FLAGS, now);
    assert.deepEqual(await counts(), { public: 1, members: 1 }, "revealed");
    await setFlags(db, workId, UNREVEALED, now);
    assert.deepEqual(await counts(), { public: 0, members: 0 }, "unrevealed again");
    // A moderator hides it while it waits, and shows it again: still nobody's to count.
    const hide = (reason: string | null) =>
      db.transaction().execute((tx) => setHiddenReason(tx, "work", [workId], reason, now));
    await hide(`Hidden by ${moderator.login}`);
    assert.deepEqual(await counts(), { public: 0, members: 0 }, "hidden while unrevealed");
    await hide(null);
    assert.deepEqual(await counts(), { public: 0, members: 0 }, "unhidden, still unrevealed");
    await recountTaggings(db);
    assert.deepEqual(await counts(), { public: 0, members: 0 }, "recounted");
    await setFlags(db, workId, NO_FLAGS, now);
    assert.deepEqual(await counts(), { public: 1, members: 1 }, "revealed at last");
  });

  test("an anonymous work's download key (its ETag) does not hash its creators", async () => {
    const { workId } = await buildCollectedWork(db, ANON, { now });
    const other = await buildUser(db);
    const [mine, theirs] = await cacheKeyOf(db, workId, other);
    assert.equal(mine, theirs, "the key changes with who wrote it");
    await setFlags(db, workId, NO_FLAGS, now);
    const [signed, resigned] = await cacheKeyOf(db, workId, other);
    assert.notEqual(signed, resigned, "a signed work's key follows its creators");
    assert.notEqual(mine, signed);
  });

  test("the creator's own pages: the work with its notices, and their unrevealed works", async () => {
    const writer = await person("ad_own_writer");
    const reader = await person("ad_own_reader");
    const { workId } = await buildCollectedWork(
      db,
      { anonymous: true, unrevealed: true },
      { pseudId: writer.user.pseudId, now, title: "Lantern Mine" },
    );
    const own = mainOf((await writer.client.get(`/works/${workId}`)).body);
    assert.match(own, /<strong>Unrevealed:<\/strong>/);
    assert.match(own, /<strong>Anonymous:<\/strong>/);
    assert.match(own, /class="byline heading"[^]*?Anonymous/);

    const profile = mainOf((await writer.client.get(`/users/${writer.user.login}`)).body);
    assert.match(
      profile,
      /href="\/users\/ad_own_writer\/works\/unrevealed">Unrevealed works \(1\)/,
    );
    const list = mainOf(
      (await writer.client.get(`/users/${writer.user.login}/works/unrevealed`)).body,
    );
    assert.match(list, /1 unrevealed work/);
    assert.match(list, /Lantern Mine/);

    const theirs = mainOf((await reader.client.get(`/users/${writer.user.login}`)).body);
    assert.ok(!theirs.includes("works/unrevealed"), "others see the owner's link");
    const refused = await reader.client.get(`/users/${writer.user.login}/works/unrevealed`);
    assert.equal(refused.statusCode, 403);
    assert.ok(!refused.body.includes("Lantern Mine"));
    const guest = await new Client(t.app).get(`/users/${writer.user.login}/works/unrevealed`);
    assert.ok(guest.statusCode === 302 || guest.statusCode === 303, String(guest.statusCode));

    // A moderator opens the work to review it, and is told why readers cannot.
    const moderator = await buildUser(db, { login: "ad_own_mod", roles: ["moderator"] });
    const mod = new Client(t.app);
    await mod.logIn(moderator.login, PASSWORD);
    const reviewed = mainOf((await mod.get(`/works/${workId}`)).body);
    assert.match(reviewed, /<strong>Unrevealed:<\/strong>/);
    assert.doesNotMatch(reviewed, /<strong>Anonymous:<\/strong>/);
    assert.ok(!reviewed.includes(writer.user.login), "the moderator's page names the creator");
  });
});
