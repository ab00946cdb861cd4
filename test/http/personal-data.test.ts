/**
 * A person's data (issue 13): the export archive, built by its job and downloaded by its owner
 * alone; orphaning a work; deleting the account, checked in the database afterwards (no row
 * of the person left, the e-mail address nowhere, comments kept as "(deleted account)",
 * counters right) as well as on the pages.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { after, before, test } from "node:test";
import { sql } from "kysely";
import { buildExport } from "../../src/personal-data/export.tsx";
import { pruneExports } from "../../src/personal-data/prune.ts";
import {
  Client,
  createTestApp,
  TEST_PASSWORD,
  workForm,
  workIdFrom,
  type TestApp,
} from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import { buildComment, buildUser, type FactoryUser } from "../support/factories.ts";

const DAY = 86_400_000;

/** The files of a .tar.gz, by path (regular files only). */
function untar(gz: Buffer): Map<string, string> {
  const tar = gunzipSync(gz);
  const files = new Map<string, string>();
  const text = (from: number, length: number) =>
    tar
      .subarray(from, from + length)
      .toString("utf8")
      .replace(/\0.*$/s, "");
  let at = 0;
  while (at + 512 <= tar.length) {
    const name = text(at, 100);
    if (name === "") break;
    const prefix = text(at + 345, 155);
    const size = parseInt(text(at + 124, 12), 8);
    const path = prefix ? `${prefix}/${name}` : name;
    files.set(path, tar.subarray(at + 512, at + 512 + size).toString("utf8"));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

describeEachEngine("a person's data: export, orphan, delete", (engine) => {
  let t: TestApp;
  let author: Client;
  let reader: Client;
  let stranger: Client;
  let moderator: Client;
  let admin: Client;
  let suspended: Client;
  let guest: Client;
  let readerWork: number;

  const db = () => t.handle.db;

  async function user(login: string): Promise<FactoryUser> {
    const row = await db()
      .selectFrom("users")
      .innerJoin("pseuds", "pseuds.user_id", "users.id")
      .select(["users.id", "users.login", "pseuds.id as pseudId"])
      .where("users.login", "=", login)
      .where("pseuds.is_default", "=", 1)
      .executeTakeFirstOrThrow();
    return { id: row.id, login: row.login, pseudId: row.pseudId };
  }

  let posted = 0;
  async function post(c: Client, fields: Record<string, string | string[]> = {}) {
    // Each work its own words: the same text again and again is what the spam score holds.
    posted += 1;
    const text = `Story number ${posted} begins where the fog meets the harbour wall.`;
    const res = await c.post("/works", workForm({ text, ...fields }));
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    return workIdFrom(res.headers.location);
  }

  async function staff(login: string, roles: ("admin" | "moderator")[]) {
    await buildUser(db(), { login, password: TEST_PASSWORD, roles });
    const c = new Client(t.app);
    const res = await c.logIn(login);
    assert.equal(res.statusCode, 303);
    return c;
  }

  /** Creators of a work: pseud name and the owning login. */
  const creditsOf = (workId: number) =>
    db()
      .selectFrom("creatorships")
      .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
      .innerJoin("users", "users.id", "pseuds.user_id")
      .select(["pseuds.name", "users.login"])
      .where("creatorships.work_id", "=", workId)
      .execute();

  before(async () => {
    t = await createTestApp(engine);
    author = new Client(t.app);
    await author.signUp("pd_author");
    reader = new Client(t.app);
    await reader.signUp("pd_reader");
    stranger = new Client(t.app);
    await stranger.signUp("pd_stranger");
    suspended = new Client(t.app);
    await suspended.signUp("pd_suspended");
    await db()
      .updateTable("users")
      .set({ suspended_until: t.clock.now + 30 * DAY })
      .where("login", "=", "pd_suspended")
      .execute();
    moderator = await staff("pd_moderator", ["moderator"]);
    admin = await staff("pd_admin", ["admin"]);
    // Established accounts: a brand-new account's burst of works is held as possible spam.
    await db()
      .updateTable("users")
      .set({ created_at: t.clock.now - 365 * DAY })
      .execute();
    guest = new Client(t.app);
    readerWork = await post(reader, { title: "The Reader's Lighthouse" });
  });
  after(() => t.close());

  test("only the owner sees the data page and asks for an export", async () => {
    const res = await guest.get("/users/pd_author/data");
    assert.equal(res.statusCode, 303);
    assert.match(res.headers.location ?? "", /^\/login\?return_to=/);
    assert.equal((await guest.post("/users/pd_author/data/exports")).statusCode, 401);
    for (const c of [stranger, moderator, admin, suspended]) {
      assert.equal((await c.get("/users/pd_author/data")).statusCode, 403);
      assert.equal((await c.post("/users/pd_author/data/exports")).statusCode, 403);
    }
    assert.equal((await author.get("/users/nobody_here/data")).statusCode, 404);
    const own = await author.get("/users/pd_author/data");
    assert.equal(own.statusCode, 200);
    assert.match(own.body, /Prepare my data/);
    // Suspended accounts read and leave: their data is theirs too.
    assert.equal((await suspended.get("/users/pd_suspended/data")).statusCode, 200);
    const asked = await suspended.post("/users/pd_suspended/data/exports");
    assert.equal(asked.statusCode, 303);
    const none = await db().selectFrom("data_exports").select("id").execute();
    assert.equal(none.length, 1, "refused requests queued nothing");
    // Asking is rate-limited (five a day, the refused one above included), whether or not one
    // is being prepared.
    for (let i = 0; i < 3; i++)
      assert.equal((await suspended.post("/users/pd_suspended/data/exports")).statusCode, 303);
    const tooMany = await suspended.post("/users/pd_suspended/data/exports");
    assert.equal(tooMany.statusCode, 429);
  });

  test("the export holds works with chapters, bookmarks, comments and history", async () => {
    const workId = await post(author, {
      title: `Fog & "Lamps" <i>`,
      text: "The fog came in at <strong>dusk</strong>.\n\nNobody minded. <script>alert(1)</script>",
      notes: "A note <em>from</em> me.",
      freeforms: "Fluff, Slow Burn",
    });
    const chapter = await author.post(`/works/${workId}/chapters`, {
      chapter_title: "Second Light",
      text: "The lamp-post <em>flickered</em>.",
      action: "post",
    });
    assert.equal(chapter.statusCode, 303, chapter.body.slice(0, 300));
    const me = await user("pd_author");
    const bookmarked = await author.post(`/works/${readerWork}/bookmarks`, {
      notes: "Read this <b>twice</b>.",
      tags: "cozy, rainy day",
    });
    assert.equal(bookmarked.statusCode, 303, bookmarked.body.slice(0, 300));
    await buildComment(db(), readerWork, { by: me, text: "What a lovely lamp." });
    assert.equal((await author.get(`/works/${readerWork}`)).statusCode, 200);
    assert.equal((await author.post(`/works/${readerWork}/subscriptions`)).statusCode, 303);

    const asked = await author.post("/users/pd_author/data/exports");
    assert.equal(asked.statusCode, 303);
    const again = await author.post("/users/pd_author/data/exports");
    assert.equal(again.statusCode, 303, "a second request while one is queued is not an error");
    const rows = await db()
      .selectFrom("data_exports")
      .selectAll()
      .where("user_id", "=", me.id)
      .execute();
    assert.equal(rows.length, 1, "one export while one is being prepared");
    assert.equal(rows[0]!.status, "queued");
    assert.match((await author.get("/users/pd_author/data")).body, /being prepared/);

    await t.drainJobs();
    const ready = await db()
      .selectFrom("data_exports")
      .selectAll()
      .where("id", "=", rows[0]!.id)
      .executeTakeFirstOrThrow();
    assert.equal(ready.status, "ready");
    assert.match(ready.file_name, /^exports\/[0-9a-f]{32}\.tar\.gz$/);
    const file = join(t.deps.config.dataDir, ready.file_name);
    assert.ok(existsSync(file), "the archive is under the data directory");

    const listing = await author.get("/users/pd_author/data");
    const href = `/users/pd_author/data/exports/${ready.id}`;
    assert.ok(listing.body.includes(`href="${href}"`), "the page links the download");

    // Nobody else downloads it, not even staff; a guest is sent to log in.
    for (const c of [stranger, moderator, admin]) assert.equal((await c.get(href)).statusCode, 403);
    assert.equal((await guest.get(href)).statusCode, 303);
    assert.equal((await author.get(`/users/pd_author/data/exports/999999`)).statusCode, 404);
    assert.equal((await author.get(`/users/pd_author/data/exports/abc`)).statusCode, 400);

    const res = await t.app.inject({
      method: "GET",
      url: href,
      headers: { cookie: [...author.cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers["content-type"], "application/gzip");
    assert.match(
      String(res.headers["content-disposition"]),
      /^attachment; filename="fanfold-data-pd_author-\d{4}-\d{2}-\d{2}\.tar\.gz"$/,
    );
    const files = untar(res.rawPayload);
    assert.ok(files.has("fanfold-data/README.txt"));
    const data = JSON.parse(files.get("fanfold-data/data.json")!) as {
      account: { login: string; email: string; preferences: { historyEnabled: boolean } };
      pseuds: { name: string }[];
      works: { id: number; title: string; file: string; freeforms: string[] }[];
      bookmarks: { workId: number; notesHtml: string; tags: string[] }[];
      comments: { workId: number; bodyHtml: string }[];
      readingHistory: { workId: number }[];
      subscriptions: { type: string; id: number; name: string }[];
    };
    assert.equal(data.account.login, "pd_author");
    assert.equal(data.account.email, "pd_author@example.org");
    assert.equal(data.account.preferences.historyEnabled, true);
    assert.deepEqual(
      data.pseuds.map((p) => p.name),
      ["pd_author"],
    );
    const work = data.works.find((w) => w.id === workId)!;
    assert.deepEqual(work.freeforms, ["Fluff", "Slow Burn"]);
    assert.equal(data.bookmarks.length, 1);
    assert.equal(data.bookmarks[0]!.workId, readerWork);
    assert.match(data.bookmarks[0]!.notesHtml, /<b>twice<\/b>/);
    assert.deepEqual(data.bookmarks[0]!.tags, ["cozy", "rainy day"]);
    assert.match(data.comments[0]!.bodyHtml, /What a lovely lamp\./);
    assert.deepEqual(
      data.readingHistory.map((r) => r.workId),
      [readerWork],
    );
    assert.deepEqual(
      data.subscriptions.map(({ type, id, name }) => ({ type, id, name })),
      [{ type: "work", id: readerWork, name: "The Reader's Lighthouse" }],
    );

    const html = files.get(`fanfold-data/${work.file}`);
    assert.ok(html, `the work's page is in the archive as ${work.file}`);
    assert.match(work.file, new RegExp(`^works/${workId}-fog-lamps-i\\.html$`));
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /<strong>dusk<\/strong>/, "chapter formatting survives");
    assert.match(html, /<em>flickered<\/em>/, "every chapter is in it");
    assert.match(html, /Second Light/);
    assert.match(html, /A note <em>from<\/em> me\./);
    assert.match(html, /Slow Burn/);
    assert.ok(html.includes("<title>Fog &amp; &quot;Lamps&quot; &lt;i></title>"), html);
    assert.doesNotMatch(html, /<script/);
    assert.doesNotMatch(html, /<i>/, "the title's markup is escaped, not rendered");

    // A second run of the job (a retry after a crash) changes nothing.
    await buildExport(db(), t.deps.config.dataDir, ready.id, t.clock.now + 1000);
    const after2 = await db()
      .selectFrom("data_exports")
      .selectAll()
      .where("id", "=", ready.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(after2, ready);

    // Seven days on, the prune job removes the row and the file.
    assert.ok((await pruneExports(db(), t.deps.config.dataDir, t.clock.now + 8 * DAY)) >= 1);
    assert.equal(existsSync(file), false);
    assert.equal((await author.get(href)).statusCode, 404);
  });

  test("orphaning one work: confirmation, credit, and no more editing", async () => {
    const kept = await post(author, { title: "Kept Name" });
    const plain = await post(author, { title: "Plain Orphan" });

    const res = await guest.get(`/works/${kept}/orphan`);
    assert.equal(res.statusCode, 303);
    assert.match(res.headers.location ?? "", /^\/login/);
    assert.equal((await guest.post(`/works/${kept}/orphan`, { confirm: "1" })).statusCode, 401);
    for (const c of [stranger, moderator, admin]) {
      assert.equal((await c.get(`/works/${kept}/orphan`)).statusCode, 403);
      assert.equal((await c.post(`/works/${kept}/orphan`, { confirm: "1" })).statusCode, 403);
    }
    assert.equal((await author.get(`/works/999999/orphan`)).statusCode, 404);
    const form = await author.get(`/works/${kept}/orphan`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Keep my pseud&#39;s name|Keep my pseud's name/);
    assert.match((await author.get(`/works/${kept}/edit`)).body, /Orphan this work/);

    const unconfirmed = await author.post(`/works/${kept}/orphan`, { keep_pseud: "1" });
    assert.equal(unconfirmed.statusCode, 422);
    assert.match(unconfirmed.body, /id="field-confirm-error"/);
    assert.match(unconfirmed.body, /name="keep_pseud" value="1" checked/, "the choice is kept");
    assert.deepEqual(await creditsOf(kept), [{ name: "pd_author", login: "pd_author" }]);

    const draft = await post(author, { title: "Draft Stays", action: "draft" });
    const refused = await author.post(`/works/${draft}/orphan`, { confirm: "1" });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /A draft cannot be orphaned/);
    assert.deepEqual(await creditsOf(draft), [{ name: "pd_author", login: "pd_author" }]);

    const done = await author.post(`/works/${kept}/orphan`, { keep_pseud: "1", confirm: "1" });
    assert.equal(done.statusCode, 303);
    assert.deepEqual(await creditsOf(kept), [{ name: "pd_author", login: "orphan_account" }]);
    const plainDone = await author.post(`/works/${plain}/orphan`, { confirm: "1" });
    assert.equal(plainDone.statusCode, 303);
    assert.deepEqual(await creditsOf(plain), [{ name: "orphan_account", login: "orphan_account" }]);

    // Readable by anyone, credited to the orphan account; the former author can't edit it.
    const page = await guest.get(`/works/${kept}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /pd_author \(orphan_account\)/);
    assert.match((await guest.get(`/works/${plain}`)).body, /orphan_account/);
    assert.equal((await author.get(`/works/${kept}/edit`)).statusCode, 403);
    assert.equal((await author.get(`/works/${kept}/orphan`)).statusCode, 403);
    // The change log tells listings and indexes.
    const change = await db()
      .selectFrom("changes")
      .select("id")
      .where("entity", "=", "work")
      .where("entity_id", "=", kept)
      .execute();
    assert.ok(change.length >= 2, "posting and orphaning are both in the change log");

    // One orphan account, whatever the number of works; nobody can log in as it.
    const accounts = await db()
      .selectFrom("users")
      .select("id")
      .where("login_key", "=", "orphan_account")
      .execute();
    assert.equal(accounts.length, 1);
    const login = await new Client(t.app).logIn("orphan_account", "!orphan-account-cannot-log-in");
    assert.equal(login.statusCode, 401);
    // Nor can anyone sign up under its name.
    const taken = await new Client(t.app).post("/signup", {
      login: "orphan_account",
      email: "someone@example.org",
      password: TEST_PASSWORD,
      password_confirmation: TEST_PASSWORD,
    });
    assert.equal(taken.statusCode, 422);
  });

  test("deleting an account: password, one choice per work, nothing personal left", async () => {
    const leaver = new Client(t.app);
    await leaver.signUp("pd_leaver");
    await db()
      .updateTable("users")
      .set({ created_at: t.clock.now - 365 * DAY })
      .where("login", "=", "pd_leaver")
      .execute();
    const me = await user("pd_leaver");
    const email = "pd_leaver@example.org";
    const keepName = await post(leaver, { title: "Leaver Keeps Name" });
    const orphaned = await post(leaver, { title: "Leaver Orphans" });
    const doomed = await post(leaver, { title: "Leaver Deletes" });
    const draft = await post(leaver, { title: "Leaver Draft", action: "draft" });

    // What the leaver did around the archive.
    assert.equal((await leaver.post(`/works/${readerWork}/kudos`)).statusCode, 303);
    const bm = await leaver.post(`/works/${readerWork}/bookmarks`, {
      notes: "mine",
      tags: "x",
    });
    assert.equal(bm.statusCode, 303);
    assert.equal((await leaver.post(`/works/${readerWork}/subscriptions`)).statusCode, 303);
    assert.equal((await leaver.get(`/works/${readerWork}`)).statusCode, 200);
    const mute = await leaver.post("/preferences/exclusions/users", { login: "pd_stranger" });
    assert.equal(mute.statusCode, 303, mute.body.slice(0, 300));
    const onReader = await buildComment(db(), readerWork, { by: me, text: "Leaver was here." });
    const onOwn = await buildComment(db(), keepName, { by: me, text: "Author's own reply." });
    // Others' engagement with the leaver's works.
    const fan = await user("pd_reader");
    const fanBm = await reader.post(`/works/${doomed}/bookmarks`, { notes: "", tags: "" });
    assert.equal(fanBm.statusCode, 303);
    await buildComment(db(), keepName, { by: fan, text: "Reader loved it." });
    // A built export, whose file must go too.
    assert.equal((await leaver.post("/users/pd_leaver/data/exports")).statusCode, 303);
    await t.drainJobs();
    const exportRow = await db()
      .selectFrom("data_exports")
      .selectAll()
      .where("user_id", "=", me.id)
      .executeTakeFirstOrThrow();
    const exportFile = join(t.deps.config.dataDir, exportRow.file_name);
    assert.ok(existsSync(exportFile));

    // The address where other parts of the archive keep it: the invitation queue, the
    // invitation it came with, a report filed, a pending link.
    const now = t.clock.now;
    await db()
      .insertInto("invitation_requests")
      .values({ email: "PD_Leaver@example.org", email_key: email, created_at: now })
      .execute();
    await db()
      .insertInto("invitations")
      .values({
        token_hash: "pd-test-token",
        sent_to_email: email,
        used_by_user_id: me.id,
        used_at: now,
        created_at: now,
      })
      .execute();
    await db()
      .insertInto("reports")
      .values({
        subject_type: "work",
        subject_id: readerWork,
        subject_user_id: fan.id,
        reporter_user_id: me.id,
        reporter_email: email,
        category: "spam",
        snapshot_json: "{}",
        created_at: now,
      })
      .execute();
    await db()
      .insertInto("account_tokens")
      .values({
        user_id: me.id,
        purpose: "change-email",
        token_hash: "pd-test-token-hash",
        new_email: email,
        expires_at: now + DAY,
        created_at: now,
      })
      .execute();

    const statsOf = (workId: number) =>
      db()
        .selectFrom("work_stats")
        .select(["kudos", "bookmarks", "subscriptions", "comments"])
        .where("work_id", "=", workId)
        .executeTakeFirstOrThrow();
    const before = await statsOf(readerWork);

    // Only the owner.
    const guestRes = await guest.get("/users/pd_leaver/delete");
    assert.equal(guestRes.statusCode, 303);
    assert.equal((await guest.post("/users/pd_leaver/delete", { password: "x" })).statusCode, 401);
    for (const c of [stranger, moderator, admin]) {
      assert.equal((await c.get("/users/pd_leaver/delete")).statusCode, 403);
      const res = await c.post("/users/pd_leaver/delete", {
        password: TEST_PASSWORD,
        confirm: "1",
      });
      assert.equal(res.statusCode, 403);
    }
    const form = await leaver.get("/users/pd_leaver/delete");
    assert.equal(form.statusCode, 200);
    for (const title of ["Leaver Keeps Name", "Leaver Orphans", "Leaver Deletes", "Leaver Draft"])
      assert.ok(form.body.includes(title), title);
    assert.ok(form.body.includes(`name="work_${keepName}" value="orphan-keep-name"`));
    assert.ok(
      !form.body.includes(`name="work_${draft}" value="orphan"`),
      "a draft can only be deleted",
    );

    const choices = {
      [`work_${keepName}`]: "orphan-keep-name",
      [`work_${orphaned}`]: "orphan",
      [`work_${doomed}`]: "delete",
      [`work_${draft}`]: "delete",
    };
    // A wrong password: refused, naming the field, with every choice kept.
    const wrong = await leaver.post("/users/pd_leaver/delete", {
      ...choices,
      password: "not my password",
      confirm: "1",
    });
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /id="field-password-error"/);
    assert.ok(wrong.body.includes(`name="work_${doomed}" value="delete" checked`));
    assert.ok(wrong.body.includes(`name="work_${keepName}" value="orphan-keep-name" checked`));
    // No password at all, or no confirmation: 422 naming the field.
    const empty = await leaver.post("/users/pd_leaver/delete", { ...choices, confirm: "1" });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /id="field-password-error"/);
    const unconfirmed = await leaver.post("/users/pd_leaver/delete", {
      ...choices,
      password: TEST_PASSWORD,
    });
    assert.equal(unconfirmed.statusCode, 422);
    assert.match(unconfirmed.body, /id="field-confirm-error"/);
    // A work without a choice, and a draft that can't be orphaned.
    const missing = await leaver.post("/users/pd_leaver/delete", {
      ...choices,
      [`work_${orphaned}`]: undefined,
      [`work_${draft}`]: "orphan",
      password: TEST_PASSWORD,
      confirm: "1",
    });
    assert.equal(missing.statusCode, 422);
    assert.match(missing.body, new RegExp(`id="field-work_${orphaned}-error"`));
    assert.match(missing.body, new RegExp(`id="field-work_${draft}-error"`));
    assert.ok(
      await db().selectFrom("users").select("id").where("id", "=", me.id).executeTakeFirst(),
    );
    assert.deepEqual(await creditsOf(orphaned), [{ name: "pd_leaver", login: "pd_leaver" }]);

    const gone = await leaver.post("/users/pd_leaver/delete", {
      ...choices,
      password: TEST_PASSWORD,
      confirm: "1",
    });
    assert.equal(gone.statusCode, 303, gone.body.slice(0, 500));
    assert.equal(gone.headers.location, "/");
    assert.ok(!leaver.cookies.has("fanfold_session"), "logged out");
    await t.drainJobs();

    // The database: no row of the person left.
    const byUser = [
      "users",
      "sessions",
      "pseuds",
      "readings",
      "notifications",
      "notification_preferences",
      "subscriptions",
      "bookmarks",
      "kudos",
      "excluded_tags",
      "muted_users",
      "blocked_users",
      "saved_searches",
      "data_exports",
      "comments",
    ] as const;
    for (const table of byUser) {
      const column = table === "users" ? "id" : "user_id";
      const rows = await sql<{
        n: number | string;
      }>`select count(*) as n from ${sql.table(table)} where ${sql.ref(column)} = ${me.id}`.execute(
        db(),
      );
      assert.equal(Number(rows.rows[0]!.n), 0, `${table} keeps nothing of the account`);
    }
    const mutedBy = await db()
      .selectFrom("muted_users")
      .select("user_id")
      .where("muted_user_id", "=", me.id)
      .execute();
    assert.equal(mutedBy.length, 0);
    assert.equal(existsSync(exportFile), false, "the export's file is removed");

    // The e-mail address appears in no table at all.
    const tables =
      engine === "sqlite"
        ? (
            await sql<{
              name: string;
            }>`select name from sqlite_master where type = 'table'`.execute(db())
          ).rows.map((r) => r.name)
        : (
            await sql<{
              name: string;
            }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(
              db(),
            )
          ).rows.map((r) => r.name);
    assert.ok(tables.includes("users") && tables.includes("jobs"));
    for (const table of tables) {
      const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(
        db(),
      );
      const text = JSON.stringify(rows.rows).toLowerCase();
      assert.ok(!text.includes(email), `the address is still in ${table}`);
    }

    // Works: orphaned as chosen, the deleted ones gone.
    assert.deepEqual(await creditsOf(keepName), [{ name: "pd_leaver", login: "orphan_account" }]);
    assert.deepEqual(await creditsOf(orphaned), [
      { name: "orphan_account", login: "orphan_account" },
    ]);
    for (const id of [doomed, draft]) {
      const row = await db()
        .selectFrom("works")
        .select("id")
        .where("id", "=", id)
        .executeTakeFirst();
      assert.equal(row, undefined);
      assert.equal((await guest.get(`/works/${id}`)).statusCode, 404);
    }
    // The reader's bookmark of the deleted work stays, saying what it was.
    const kept = await db()
      .selectFrom("bookmarks")
      .select(["work_id", "work_title"])
      .where("user_id", "=", fan.id)
      .where("work_ref", "=", doomed)
      .executeTakeFirstOrThrow();
    assert.deepEqual(kept, { work_id: null, work_title: "Leaver Deletes" });

    // Comments stay, with their text, as "(deleted account)" (never as a guest's).
    const comments = await db()
      .selectFrom("comments")
      .select(["id", "user_id", "pseud_id", "guest_name", "body_html", "author_deleted_at"])
      .where("id", "in", [onReader.id, onOwn.id])
      .orderBy("id")
      .execute();
    assert.equal(comments.length, 2);
    for (const c of comments) {
      assert.equal(c.user_id, null);
      assert.equal(c.pseud_id, null);
      assert.equal(c.guest_name, null);
      assert.notEqual(c.author_deleted_at, null);
    }
    assert.match(comments[0]!.body_html, /Leaver was here\./);
    const page = await guest.get(`/works/${keepName}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /pd_leaver \(orphan_account\)/);
    assert.match(page.body, /Author&#39;s own reply\.|Author's own reply\./);
    assert.match(page.body, /\(deleted account\)/);
    assert.match(page.body, /Reader loved it\./);
    const readerPage = await guest.get(`/works/${readerWork}`);
    assert.match(readerPage.body, /\(deleted account\)/);
    assert.doesNotMatch(readerPage.body, /\(Guest\)/);

    // Counters: the kudos, the public bookmark and the subscription went; the comment stayed.
    const afterStats = await statsOf(readerWork);
    assert.deepEqual(afterStats, {
      kudos: before.kudos - 1,
      bookmarks: before.bookmarks - 1,
      subscriptions: before.subscriptions - 1,
      comments: before.comments,
    });

    // The old session and password are dead.
    const relog = await new Client(t.app).logIn("pd_leaver");
    assert.equal(relog.statusCode, 401);
  });
});
