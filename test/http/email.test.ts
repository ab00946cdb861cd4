import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { notificationMail } from "../../src/engagement/notifications/email.ts";
import { Client, createTestApp, workForm, workIdFrom, type TestApp } from "../support/app.ts";
import { Sink } from "../support/smtp-sink.ts";

/** The message with quoted-printable soft breaks and escapes undone. */
const decoded = (raw: string) =>
  raw
    .replace(/=\r?\n/g, "")
    .replace(/(?:=[0-9A-F]{2})+/g, (run) =>
      Buffer.from(run.replace(/=/g, ""), "hex").toString("utf8"),
    );

describe("notification email over SMTP", () => {
  const sink = new Sink();
  let t: TestApp;
  let writer: Client;
  let reader: Client;
  let workId: number;

  before(async () => {
    await sink.start();
    t = await createTestApp("sqlite", { SMTP_URL: `smtp://127.0.0.1:${sink.port}` });
    writer = new Client(t.app);
    await writer.signUp("mail_writer");
    reader = new Client(t.app);
    await reader.signUp("mail_reader");
    const res = await writer.post("/works", workForm({ title: "Letters From Fog" }));
    workId = workIdFrom(res.headers.location);
    await reader.post(`/works/${workId}/subscriptions`);
    await t.drainJobs();
    // Sign-up mailed each account its confirmation link; these tests count notifications.
    sink.messages.length = 0;
  });
  after(async () => {
    await t.close();
    await sink.stop();
  });

  async function newChapter(title: string): Promise<number> {
    const res = await writer.post(`/works/${workId}/chapters`, {
      chapter_title: title,
      text: "Another chapter of fog and letters.",
    });
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    return Number(/\/chapters\/(\d+)/.exec(res.headers.location ?? "")?.[1]);
  }

  const emailJobs = () =>
    t.handle.db.selectFrom("jobs").selectAll().where("kind", "=", "notification.email").execute();

  test("a new chapter sends the subscriber a real message with the title and an absolute link", async () => {
    const chapterId = await newChapter("The Postman");
    await t.drainJobs();
    assert.equal(sink.messages.length, 1);
    const [message] = sink.messages;
    assert.deepEqual(message!.to, ["mail_reader@example.org"]);
    const body = decoded(message!.raw);
    assert.match(body, /mail_writer posted Chapter 2: The Postman of “Letters From Fog”\./);
    assert.match(body, /Chapter 2: The Postman/);
    assert.ok(body.includes(`http://localhost:3000/works/${workId}/chapters/${chapterId}`), body);
    assert.match(body, /^From: Fanfold <noreply@localhost>/m);
    assert.match(body, /^Subject: .*Fanfold/m);
    assert.match(body, /Content-Type: text\/html/);
    // Nobody else (not the creator) got one, and the queue is empty.
    assert.equal((await emailJobs()).length, 0);
  });

  test("messages reuse the pooled connection instead of opening one each", async () => {
    const before = { connections: sink.connections, messages: sink.messages.length };
    for (const title of ["Second Post", "Third Post", "Fourth Post"]) {
      await newChapter(title);
      await t.drainJobs();
    }
    assert.equal(sink.messages.length, before.messages + 3);
    assert.ok(
      sink.connections - before.connections <= 1,
      `${sink.connections - before.connections} connections for 3 messages`,
    );
  });

  test("an email job reads its notification and the reader's preference in one statement", async () => {
    const chapterId = await newChapter("Counted Post");
    const sent = sink.messages.length;
    // The announcement runs first (it queues the email job), then the email job alone.
    const { announceNewChapter } = await import("../../src/engagement/subscriptions/commands.ts");
    await announceNewChapter(t.handle.db, { workId, chapterId, now: t.clock.now });
    await t.handle.db.deleteFrom("jobs").where("kind", "=", "chapter.posted").execute();
    const before = t.queries.count;
    assert.equal(await t.drainJobs(), 1);
    assert.equal(sink.messages.length, sent + 1);
    // Claim (SQLite: select, then compare-and-set update), a look for more while it runs, the
    // one read, delete, a last look: 6.
    assert.equal(t.queries.count - before, 6);
  });

  test("mail server down: the job stays queued and is delivered exactly once when it is back", async () => {
    const port = sink.port;
    const sentBefore = sink.messages.length;
    await sink.stop();
    const chapterId = await newChapter("Lost In The Post");
    await t.drainJobs();
    const [queued, ...more] = await emailJobs();
    assert.equal(more.length, 0);
    assert.ok(queued, "the email job is still queued");
    assert.equal(queued.attempts, 1);
    assert.ok(queued.last_error && queued.last_error.length > 0);
    assert.equal(queued.failed_at, null);
    assert.ok(queued.run_at > t.clock.now, "retried later, with backoff");
    // The inbox has it regardless.
    const inbox = await t.handle.db
      .selectFrom("notifications")
      .select("id")
      .where("chapter_id", "=", chapterId)
      .execute();
    assert.equal(inbox.length, 1);

    await sink.start(port);
    // Not due yet: nothing is sent before the backoff.
    await t.drainJobs();
    assert.equal(sink.messages.length, sentBefore);
    t.clock.now = queued.run_at + 1;
    await t.drainJobs();
    await t.drainJobs();
    assert.equal(sink.messages.length, sentBefore + 1);
    assert.match(decoded(sink.messages.at(-1)!.raw), /Lost In The Post/);
    assert.equal((await emailJobs()).length, 0);
  });

  test("with the preference off, nothing is sent (the inbox still gets it)", async () => {
    const sentBefore = sink.messages.length;
    const saved = await reader.post("/users/mail_reader/preferences/notifications", {
      new_work: "1",
      comment: "1",
      reply: "1",
      kudos: "1",
    });
    assert.equal(saved.statusCode, 303);
    const chapterId = await newChapter("Return To Sender");
    await t.drainJobs();
    assert.equal(sink.messages.length, sentBefore);
    const inbox = await t.handle.db
      .selectFrom("notifications")
      .select("id")
      .where("chapter_id", "=", chapterId)
      .execute();
    assert.equal(inbox.length, 1);
  });

  test("turning email off after the job was queued still sends nothing", async () => {
    await reader.post("/users/mail_reader/preferences/notifications", {
      new_chapter: "1",
      new_work: "1",
      comment: "1",
      reply: "1",
      kudos: "1",
    });
    const sentBefore = sink.messages.length;
    await newChapter("Changed My Mind");
    // Run only the announcement, then turn email off before the email job runs.
    const announce = await t.handle.db
      .selectFrom("jobs")
      .select("id")
      .where("kind", "=", "chapter.posted")
      .execute();
    assert.equal(announce.length, 1);
    const { announceNewChapter } = await import("../../src/engagement/subscriptions/commands.ts");
    const chapter = await t.handle.db
      .selectFrom("chapters")
      .select("id")
      .where("work_id", "=", workId)
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    await announceNewChapter(t.handle.db, { workId, chapterId: chapter.id, now: t.clock.now });
    assert.equal((await emailJobs()).length, 1);
    await reader.post("/users/mail_reader/preferences/notifications", {});
    await t.drainJobs();
    assert.equal(sink.messages.length, sentBefore);
    assert.equal((await emailJobs()).length, 0);
  });
});

test("the HTML part escapes everything; the text part is plain", () => {
  const mail = notificationMail(
    {
      email: "r@example.org",
      login: "reader",
      text: `x posted a new work: <script>alert("hi")</script> & more`,
      url: "/works/7",
    },
    "https://archive.example.org",
  );
  assert.equal(mail.to, "r@example.org");
  assert.doesNotMatch(mail.html, /<script>/);
  assert.match(mail.html, /&lt;script&gt;alert\(&quot;hi&quot;\)&lt;\/script&gt; &amp; more/);
  assert.match(mail.html, /<a href="https:\/\/archive\.example\.org\/works\/7">/);
  assert.match(
    mail.text,
    /<script>alert\("hi"\)<\/script> & more\nhttps:\/\/archive\.example\.org\/works\/7/,
  );
  assert.match(mail.text, /preferences\/notifications/);
});
