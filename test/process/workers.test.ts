/**
 * `npm start --workers 2` as a user runs it, on SQLite and (FANFOLD_TEST_PG_URL) PostgreSQL:
 * two workers answer on one port; what one writes the other lists at once; jobs run once, in
 * the worker with the duties; rate limits count across workers without Redis; a killed worker
 * is replaced (its duties too); SIGTERM stops everything with status 0.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { MAIL_LOG_PREFIX } from "../../src/accounts/recovery/mail.ts";
import { DEMO_PASSWORD } from "../../src/demo/generate.ts";
import { workForm } from "../support/app.ts";
import { skipUnless } from "../support/skip.ts";
import {
  scratchArchive,
  serve,
  terminate,
  Visitor,
  waitFor,
  type Archive,
  type Answer,
  type Served,
} from "./served.ts";

const pgUrl = process.env.FANFOLD_TEST_PG_URL;

/** The worker's pid of each unsent-mail log line naming `login`, in order. */
function mailsTo(served: Served, login: string): number[] {
  const pids: number[] = [];
  for (const line of served.output().split("\n")) {
    if (!line.startsWith("{")) continue;
    const entry = JSON.parse(line) as { pid?: number; msg?: string };
    if (entry.msg?.startsWith(MAIL_LOG_PREFIX) && entry.msg.includes(`To: ${login}@`))
      pids.push(entry.pid!);
  }
  return pids;
}

/** Requests `path` on new connections until each of `pids` has answered once. */
async function fromEach(
  visitor: Visitor,
  path: string,
  pids: number[],
): Promise<Map<number, Answer>> {
  const answers = new Map<number, Answer>();
  for (let i = 0; i < 40 && answers.size < pids.length; i++) {
    const answer = await visitor.get(path);
    if (pids.includes(answer.pid) && !answers.has(answer.pid)) answers.set(answer.pid, answer);
  }
  assert.deepEqual([...answers.keys()].sort(), [...pids].sort(), `${path} answered by each worker`);
  return answers;
}

for (const engine of ["sqlite", "postgres"] as const) {
  describe(`two workers on ${engine}`, () => {
    let archive: Archive | undefined;
    let served: Served | undefined;
    let skipped = false;
    /** The worker pids now, the one with the duties first. */
    let workers: () => number[] = () => [served!.workers.duties, ...served!.workers.others];

    before(async () => {
      if (engine === "postgres" && !pgUrl) return;
      archive = await scratchArchive(engine === "postgres" ? pgUrl : undefined);
      served = await serve(archive, 2);
    });
    after(async () => {
      if (served && served.child.exitCode === null) served.child.kill("SIGKILL");
      await archive?.drop();
    });

    test("two worker processes answer on one port, neither is the primary", async (t) => {
      skipped = skipUnless(t, engine !== "postgres" || !!pgUrl, "FANFOLD_TEST_PG_URL is not set");
      if (skipped) return;
      assert.match(
        served!.output(),
        /Fanfold is running at http:\/\/localhost:\d+ \(\w+, 2 workers, ready in \d+ ms\)/,
      );
      assert.equal(new Set(workers()).size, 2);
      assert.ok(!workers().includes(served!.child.pid!));
      const seen = new Set<number>();
      for (let i = 0; i < 12; i++) seen.add((await new Visitor(served!.port).get("/healthz")).pid);
      assert.deepEqual([...seen].sort(), workers().sort());
    });

    test("a work posted through one worker is listed at once by the other", async () => {
      if (skipped) return;
      const [login] = await archive!.logins();
      const writer = new Visitor(served!.port);
      await writer.get("/login");
      const loggedIn = await writer.post("/login", { login: login!, password: DEMO_PASSWORD });
      assert.equal(loggedIn.status, 303, loggedIn.body.slice(0, 300));
      await writer.get("/works/new");
      const title = `Posted through one worker ${Date.now()}`;
      const posted = await writer.post("/works", workForm({ title }));
      assert.equal(posted.status, 303, posted.body.slice(0, 300));
      const reader = new Visitor(served!.port);
      const other = workers().find((pid) => pid !== posted.pid)!;
      const listed = (await fromEach(reader, "/works", [other])).get(other)!;
      assert.ok(listed.body.includes(title), `worker ${other} lists the work ${posted.pid} posted`);
    });

    test("jobs run once, in the worker with the duties; rate limits count across workers", async () => {
      if (skipped) return;
      const login = (await archive!.logins())[1]!;
      const guest = new Visitor(served!.port);
      // One form, sent four times in a row: the cluster hands the connections out in turn.
      await guest.get("/users/password/new");
      const asked: Answer[] = [];
      for (let i = 0; i < 4; i++) asked.push(await guest.post("/users/password/new", { login }));
      assert.equal(new Set(asked.map((a) => a.pid)).size, 2, "both workers took requests");
      // Three reset requests an hour per account: in one count shared by both workers.
      assert.deepEqual(
        asked.map((a) => a.status),
        [303, 303, 303, 429],
      );
      const mails = await waitFor(
        "three mails",
        () => (mailsTo(served!, login).length >= 3 ? true : undefined),
        30_000,
      );
      assert.ok(mails);
      await new Promise((r) => setTimeout(r, 1_500));
      assert.deepEqual(mailsTo(served!, login), Array(3).fill(served!.workers.duties));
    });

    test("a killed worker is replaced, with its duties", async () => {
      if (skipped) return;
      const killed = served!.workers.duties;
      process.kill(killed, "SIGKILL");
      const line = new RegExp(`Worker 1 is serving again \\(pid (\\d+)\\)`);
      const replacement = Number(
        await waitFor("the replacement", () => line.exec(served!.output())?.[1], 90_000),
      );
      assert.match(
        served!.output(),
        new RegExp(`Worker 1 \\(pid ${killed}\\) was killed by SIGKILL`),
      );
      assert.notEqual(replacement, killed);
      const [other] = served!.workers.others;
      await fromEach(new Visitor(served!.port), "/healthz", [replacement, other!]);
      const login = (await archive!.logins())[2]!;
      const guest = new Visitor(served!.port);
      await guest.get("/users/password/new");
      assert.equal((await guest.post("/users/password/new", { login })).status, 303);
      await waitFor(
        "the mail",
        () => (mailsTo(served!, login).length > 0 ? true : undefined),
        30_000,
      );
      assert.deepEqual(mailsTo(served!, login), [replacement]);
      workers = () => [replacement, other!];
    });

    test("SIGTERM stops the workers, then the primary, with status 0", async () => {
      if (skipped) return;
      const pids = workers();
      const { code, ms } = await terminate(served!);
      assert.equal(code, 0, served!.output().slice(-2000));
      assert.ok(ms < 20_000, `stopped in ${ms} ms`);
      for (const pid of pids) {
        assert.throws(() => process.kill(pid, 0), /ESRCH/, `worker ${pid} is gone`);
      }
    });
  });
}
