/**
 * The staff commands as an operator runs them (`npm run fanfold -- …`, here `node --import tsx
 * src/cli.ts …` on a SQLite archive in a fresh data directory): `create-admin` prints a
 * password that logs in, `--existing` and `--password-stdin`, and `user grant|revoke` through
 * the audited role command. Each process takes seconds to start, so the refusals of bad
 * arguments call the same functions in this process (`inProcess`); the commands themselves run
 * on both engines in test/http/admin-users.test.ts.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { logIn, signUp } from "../../src/accounts/commands.ts";
import { findUserByLogin } from "../../src/accounts/queries.ts";
import { auditEntries } from "../../src/core/audit-queries.ts";
import { openDb, type DbHandle } from "../../src/core/db/index.ts";
import { memoryRateLimiter } from "../../src/core/http/rate-limit.ts";
import { createAdminCommand, userRoleCommand } from "../../src/admin/cli.ts";

const root = new URL("../..", import.meta.url).pathname;
const CHEAP = { memoryCost: 256, timeCost: 1 };

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe("fanfold create-admin and user grant|revoke", () => {
  let dataDir: string;
  let handle: DbHandle;

  /** Runs the CLI on this test's archive; `input` is written to its standard input. */
  function cli(args: string[], input = ""): Promise<Run> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      FANFOLD_DATA_DIR: dataDir,
      LOG_LEVEL: "silent",
    };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], {
      cwd: root,
      env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    child.stdin.end(input);
    return new Promise((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
  }

  const canLogIn = async (login: string, password: string) => {
    const result = await logIn(handle.db, {
      login,
      password,
      ip: "127.0.0.1",
      limiter: memoryRateLimiter(() => Date.now()),
      hashCost: CHEAP,
    });
    return result.ok;
  };
  /** What src/cli.ts runs for these commands, called here (output lines and exit status). */
  const inProcess = (args: string[], stdin = "") => {
    const [command, ...rest] = args;
    return command === "create-admin"
      ? createAdminCommand(handle.db, rest, {
          hashCost: CHEAP,
          now: Date.now(),
          readStdin: async () => stdin,
        })
      : userRoleCommand(handle.db, rest, { now: Date.now() });
  };
  const rolesOf = async (login: string) => (await findUserByLogin(handle.db, login))?.roles;
  const auditOf = async (login: string) => {
    const user = await findUserByLogin(handle.db, login);
    const rows = await auditEntries(handle.db, {
      subjectType: "user",
      subjectId: user!.id,
      limit: 100,
    });
    return rows.reverse().map((e) => [e.actor_user_id, e.actor_login, e.action, e.after_json]);
  };

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "fanfold-cli-admin-"));
    // The first run creates and migrates the archive.
    const first = await cli(["migrate"]);
    assert.equal(first.code, 0, first.stderr);
    handle = openDb({ kind: "sqlite", file: join(dataDir, "fanfold.db") });
  });
  after(async () => {
    await handle?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("a fresh archive has no admin: create-admin makes one and prints a password that logs in", async () => {
    const admins = await handle.db
      .selectFrom("users")
      .select("id")
      .where("roles", "like", "%admin%")
      .execute();
    assert.deepEqual(admins, []);

    const run = await cli(["create-admin", "head_admin", "Head@Example.org"]);
    assert.equal(run.code, 0, run.stderr);
    const password = /shown only this once: (\S+)/.exec(run.stdout)?.[1];
    assert.ok(password, run.stdout);
    assert.ok(password.length >= 24, password);
    assert.equal(await rolesOf("head_admin"), "admin");
    assert.equal(await canLogIn("head_admin", password), true);
    assert.equal(await canLogIn("head_admin", `${password}x`), false);
    assert.deepEqual(await auditOf("head_admin"), [
      [null, "(command line)", "role.grant", '{"roles":["admin"]}'],
    ]);

    // Another: two runs never print the same password.
    const second = await inProcess(["create-admin", "second_admin", "second@example.org"]);
    assert.equal(second.status, 0, second.out.join("\n"));
    assert.notEqual(/shown only this once: (\S+)/.exec(second.out.join("\n"))?.[1], password);
  });

  test("an existing username is refused unless --existing, which grants admin to that account", async () => {
    const taken = await cli(["create-admin", "HEAD_ADMIN", "other@example.org"]);
    assert.equal(taken.code, 2);
    assert.match(taken.stderr, /taken.*--existing/s);

    const made = await signUp(handle.db, {
      login: "long_timer",
      email: "long_timer@example.org",
      password: "the long timer's password",
      hashCost: CHEAP,
      now: Date.now(),
    });
    assert.ok(made.ok);
    const refused = await inProcess(["create-admin", "long_timer", "long_timer@example.org"]);
    assert.equal(refused.status, 2);
    assert.equal(await rolesOf("long_timer"), "");

    const run = await cli(["create-admin", "long_timer", "--existing"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /long_timer is an admin/);
    assert.doesNotMatch(run.stdout, /password/i);
    assert.equal(await rolesOf("long_timer"), "admin");
    assert.equal(await canLogIn("long_timer", "the long timer's password"), true);

    const nobody = await inProcess(["create-admin", "no_such_person", "--existing"]);
    assert.equal(nobody.status, 2);
    assert.match(nobody.out.join("\n"), /No account is named "no_such_person"/);
  });

  test("--password-stdin takes the password from standard input and prints none", async () => {
    const run = await cli(
      ["create-admin", "piped_admin", "piped@example.org", "--password-stdin"],
      "a piped password for the admin\n",
    );
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stdout, /shown only this once/);
    assert.equal(await canLogIn("piped_admin", "a piped password for the admin"), true);

    const refusals: [args: string[], stdin: string, message: RegExp][] = [
      [
        ["create-admin", "weak_admin", "weak@example.org", "--password-stdin"],
        "short\n",
        /Password must be at least/,
      ],
      [
        ["create-admin", "no spaces allowed", "x@example.org"],
        "",
        /letters, digits and underscores/,
      ],
      [["create-admin", "fine_name", "not-an-address"], "", /not an e-mail address/],
      [["create-admin"], "", /usage: create-admin/],
      [["create-admin", "a_name", "a@example.org", "extra"], "", /usage: create-admin/],
    ];
    for (const [args, stdin, message] of refusals) {
      const run = await inProcess(args, stdin);
      assert.equal(run.status, 2, args.join(" "));
      assert.match(run.out.join("\n"), message);
    }
    assert.equal(await rolesOf("weak_admin"), undefined);
    assert.equal(await rolesOf("fine_name"), undefined);
  });

  test("user grant and revoke change one role, audited with the command line as the actor", async () => {
    const made = await signUp(handle.db, {
      login: "tag_person",
      email: "tag_person@example.org",
      password: "the tag person's password",
      hashCost: CHEAP,
      now: Date.now(),
    });
    assert.ok(made.ok);
    const grant = await cli(["user", "grant", "tag_person", "wrangler"]);
    assert.equal(grant.code, 0, grant.stderr);
    assert.match(grant.stdout, /tag_person now has roles: wrangler/);
    const moderator = await inProcess(["user", "grant", "tag_person", "moderator"]);
    assert.match(moderator.out.join("\n"), /now has roles: moderator, wrangler/);
    const revoke = await cli(["user", "revoke", "tag_person", "wrangler"]);
    assert.equal(revoke.code, 0, revoke.stderr);
    assert.equal(await rolesOf("tag_person"), "moderator");
    assert.deepEqual(await auditOf("tag_person"), [
      [null, "(command line)", "role.grant", '{"roles":["wrangler"]}'],
      [null, "(command line)", "role.grant", '{"roles":["moderator","wrangler"]}'],
      [null, "(command line)", "role.revoke", '{"roles":["moderator"]}'],
    ]);

    const refusals: [args: string[], message: RegExp][] = [
      [
        ["user", "grant", "tag_person", "superuser"],
        /Unknown role "superuser"; roles are admin, moderator, wrangler/,
      ],
      [["user", "grant", "no_such_person", "wrangler"], /No account is named "no_such_person"/],
      [["user", "promote", "tag_person", "wrangler"], /usage: user grant\|revoke LOGIN ROLE/],
      [["user", "grant", "tag_person"], /usage: user grant\|revoke LOGIN ROLE/],
    ];
    for (const [args, message] of refusals) {
      const run = await inProcess(args);
      assert.equal(run.status, 2, args.join(" "));
      assert.match(run.out.join("\n"), message);
    }
    assert.equal(await rolesOf("tag_person"), "moderator");
  });

  test("the command line cannot remove the archive's last admin either", async () => {
    for (const login of ["head_admin", "second_admin", "long_timer"]) {
      const run = await inProcess(["user", "revoke", login, "admin"]);
      assert.equal(run.status, 0, run.out.join("\n"));
    }
    const last = await cli(["user", "revoke", "piped_admin", "admin"]);
    assert.equal(last.code, 2);
    assert.match(last.stderr, /piped_admin is the archive's only admin/);
    assert.equal(await rolesOf("piped_admin"), "admin");
  });
});
