/**
 * Who may do what, as tables: the permission table (core/permissions.ts) against a matrix
 * written out here, so changing one means changing the other; then every /admin route
 * (declared through route(), so areas other parts add are walked too) as a guest, an ordinary
 * user, a suspended user, a wrangler, a moderator and an admin. And the audit log stays read
 * only: no route posts to it, no source file updates or deletes its rows.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { declaredRoutes, type DeclaredRoute } from "../../src/core/http/route.tsx";
import {
  may,
  ROLES,
  STAFF_ACTIONS,
  type Role,
  type StaffAction,
} from "../../src/core/permissions.ts";
import { Client, createTestApp, TEST_PASSWORD, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import { buildUser } from "../support/factories.ts";

type Column = "none" | Role;
const COLUMNS: readonly Column[] = ["none", "admin", "moderator", "wrangler"];

/** The table as it should be: one row per action, a 1 where that role may take it. */
const EXPECTED: Record<StaffAction, Record<Column, 0 | 1>> = {
  "admin.open": { none: 0, admin: 1, moderator: 1, wrangler: 0 },
  "roles.manage": { none: 0, admin: 1, moderator: 0, wrangler: 0 },
  "settings.manage": { none: 0, admin: 1, moderator: 0, wrangler: 0 },
  "invitations.manage": { none: 0, admin: 1, moderator: 0, wrangler: 0 },
  "audit.read": { none: 0, admin: 1, moderator: 0, wrangler: 0 },
  "users.lookup": { none: 0, admin: 1, moderator: 1, wrangler: 0 },
  "reports.handle": { none: 0, admin: 1, moderator: 1, wrangler: 0 },
  "content.moderate": { none: 0, admin: 1, moderator: 1, wrangler: 0 },
  "users.discipline": { none: 0, admin: 1, moderator: 1, wrangler: 0 },
  "spam.handle": { none: 0, admin: 1, moderator: 1, wrangler: 0 },
  "tags.wrangle": { none: 0, admin: 1, moderator: 0, wrangler: 1 },
};

const withRoles = (roles: readonly Role[]) => ({ roles: new Set<string>(roles) });

test("the permission table has exactly the actions of the expected matrix", () => {
  assert.deepEqual([...STAFF_ACTIONS].sort(), Object.keys(EXPECTED).sort());
  assert.deepEqual([...ROLES].sort(), COLUMNS.filter((c) => c !== "none").sort());
});

test("every role × every action: may() answers as the matrix says", () => {
  const got: Record<string, Record<string, 0 | 1>> = {};
  for (const action of STAFF_ACTIONS) {
    got[action] = {};
    for (const column of COLUMNS) {
      const user = withRoles(column === "none" ? [] : [column]);
      got[action][column] = may(user, action) ? 1 : 0;
    }
  }
  assert.deepEqual(got, EXPECTED);
});

test("roles combine: any combination may what any of its roles may; guests may nothing", () => {
  const combinations: Role[][] = [[]];
  for (const role of ROLES) for (const c of [...combinations]) combinations.push([...c, role]);
  assert.equal(combinations.length, 2 ** ROLES.length);
  for (const action of STAFF_ACTIONS) {
    assert.equal(may(null, action), false, `a guest may not ${action}`);
    for (const roles of combinations) {
      const expected = roles.some((r) => EXPECTED[action][r] === 1);
      assert.equal(may(withRoles(roles), action), expected, `${roles.join("+")} / ${action}`);
    }
  }
  // Deny by default: a role name the table does not know, an action it does not list.
  assert.equal(may(withRoles(["superuser" as Role]), "admin.open"), false);
  assert.equal(may(withRoles(["admin"]), "toString" as StaffAction), false);
});

/**
 * Which action guards a route, by the longest matching address prefix: the areas of the
 * dashboard, and the roles form inside the accounts area. An /admin route matching nothing
 * more specific than "/admin" is expected to need only admin.open: a new admin-only area must
 * add its line here, or the moderator check below fails.
 */
const ROUTE_ACTIONS: [prefix: string, action: StaffAction][] = [
  ["/admin/users/:login/roles", "roles.manage"],
  ["/admin/users/:login/moderation", "users.discipline"],
  ["/admin/users/:login/remove-spam", "spam.handle"],
  ["/admin/content", "content.moderate"],
  ["/admin/users", "users.lookup"],
  ["/admin/audit", "audit.read"],
  ["/admin/settings", "settings.manage"],
  ["/admin/invitations", "invitations.manage"],
  ["/admin/reports", "reports.handle"],
  ["/admin/spam", "spam.handle"],
  ["/admin", "admin.open"],
];

function actionOf(url: string): StaffAction {
  const match = ROUTE_ACTIONS.filter(([prefix]) => url === prefix || url.startsWith(`${prefix}/`))
    .sort((a, b) => b[0].length - a[0].length)
    .at(0);
  assert.ok(match, `no action for ${url}`);
  return match[1];
}

describeEachEngine("every /admin route, by who asks", (engine) => {
  let t: TestApp;
  let routes: DeclaredRoute[];
  const clients = {} as Record<"user" | "suspended" | "wrangler" | "moderator" | "admin", Client>;
  const TARGET = "policy_target";

  let targetId = 0;
  /**
   * The address with real values: the target account's login or id, else 1 (an id that may
   * not exist: a 404 after the permission check is fine).
   */
  const pathOf = (url: string) =>
    url.replace(/:([A-Za-z_]+)/g, (_, name: string) =>
      /login/i.test(name) ? TARGET : /user/i.test(name) ? String(targetId) : "1",
    );

  before(async () => {
    t = await createTestApp(engine);
    routes = declaredRoutes(t.app).filter((r) => r.url === "/admin" || r.url.startsWith("/admin/"));
    targetId = (await buildUser(t.deps.db, { login: TARGET })).id;
    const personas: [keyof typeof clients, Role[]][] = [
      ["user", []],
      ["suspended", []],
      ["wrangler", ["wrangler"]],
      ["moderator", ["moderator"]],
      ["admin", ["admin"]],
    ];
    for (const [name, roles] of personas) {
      const login = `policy_${name}`;
      const u = await buildUser(t.deps.db, { login, password: TEST_PASSWORD, roles });
      if (name === "suspended")
        await t.deps.db
          .updateTable("users")
          .set({ suspended_until: t.clock.now + 7 * 86_400_000 })
          .where("id", "=", u.id)
          .execute();
      const c = new Client(t.app);
      assert.equal((await c.logIn(login)).statusCode, 303);
      clients[name] = c;
    }
  });
  after(() => t.close());

  const send = (c: Client | undefined, r: DeclaredRoute) => {
    const client = c ?? new Client(t.app);
    return r.method === "GET" ? client.get(pathOf(r.url)) : client.post(pathOf(r.url), {});
  };

  test("the admin area's own routes are among those walked", () => {
    const urls = new Set(routes.map((r) => `${r.method} ${r.url}`));
    for (const url of [
      "GET /admin",
      "GET /admin/users",
      "GET /admin/users/:login",
      "POST /admin/users/:login/roles",
      "GET /admin/audit",
    ])
      assert.ok(urls.has(url), url);
  });

  test("every /admin route needs a signed-in user", () => {
    for (const r of routes) assert.equal(r.auth, "user", `${r.method} ${r.url}`);
  });

  test("a guest is sent to log in (GET) or refused with 401 (POST)", async () => {
    for (const r of routes) {
      const res = await send(undefined, r);
      if (r.method === "GET") {
        assert.equal(res.statusCode, 303, `${r.method} ${r.url}`);
        assert.match(String(res.headers.location), /^\/login\?return_to=%2Fadmin/);
      } else assert.equal(res.statusCode, 401, `${r.method} ${r.url}`);
    }
  });

  for (const who of ["user", "suspended", "wrangler"] as const) {
    test(`${who === "user" ? "an ordinary user" : `a ${who} user`} is refused everywhere (403)`, async () => {
      for (const r of routes) {
        const res = await send(clients[who], r);
        assert.equal(res.statusCode, 403, `${r.method} ${r.url}: ${res.body.slice(0, 200)}`);
      }
    });
  }

  for (const who of ["moderator", "admin"] as const) {
    test(`a ${who} gets past the check exactly where the table allows`, async () => {
      for (const r of routes) {
        const action = actionOf(r.url);
        const allowed = EXPECTED[action][who] === 1;
        const res = await send(clients[who], r);
        const where = `${r.method} ${r.url} (${action}): ${res.statusCode} ${res.body.slice(0, 300)}`;
        if (!allowed) assert.equal(res.statusCode, 403, where);
        else {
          assert.ok(![401, 403].includes(res.statusCode), where);
          assert.ok(res.statusCode < 500, where);
        }
      }
    });
  }

  test("the dashboard lists what the viewer may use, and only that", async () => {
    const areas = (html: string) =>
      [...html.matchAll(/<h2><a href="(\/admin\/[a-z]+)">/g)].map((m) => m[1]).sort();
    const admin = await clients.admin.get("/admin");
    assert.equal(admin.statusCode, 200);
    assert.deepEqual(areas(admin.body), [
      "/admin/audit",
      "/admin/invitations",
      "/admin/reports",
      "/admin/settings",
      "/admin/spam",
      "/admin/users",
    ]);
    const moderator = await clients.moderator.get("/admin");
    assert.equal(moderator.statusCode, 200);
    assert.deepEqual(areas(moderator.body), ["/admin/reports", "/admin/spam", "/admin/users"]);
  });

  test("the header's Admin link shows for staff who may open /admin, and no one else", async () => {
    const link = '<a href="/admin">Admin</a>';
    assert.ok((await clients.admin.get("/works")).body.includes(link));
    assert.ok((await clients.moderator.get("/works")).body.includes(link));
    assert.ok(!(await clients.wrangler.get("/works")).body.includes(link));
    assert.ok(!(await clients.user.get("/works")).body.includes(link));
    assert.ok(!(await new Client(t.app).get("/works")).body.includes(link));
  });

  test("the audit log takes no POST: no declared route, and the address answers 404", async () => {
    const posts = declaredRoutes(t.app).filter(
      (r) => r.method !== "GET" && (r.url === "/admin/audit" || r.url.startsWith("/admin/audit/")),
    );
    assert.deepEqual(posts, []);
    const res = await clients.admin.post("/admin/audit", { action: "x" });
    assert.equal(res.statusCode, 404);
  });
});

/** Every .ts/.tsx file under a folder. */
function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (/\.tsx?$/.test(name)) out.push(path);
  }
  return out;
}

test("no source file outside the migrations updates or deletes audit log entries", () => {
  const root = new URL("../../src", import.meta.url).pathname;
  const files = sources(root).filter((f) => !f.includes(join("core", "db", "migrations")));
  assert.ok(files.length > 50, `found only ${files.length} source files`);
  const writes =
    /(updateTable|deleteFrom)\(\s*["'`]audit_log["'`]|\b(update|delete\s+from)\s+["`]?audit_log\b/i;
  const offenders = files.filter((f) => writes.test(readFileSync(f, "utf8")));
  assert.deepEqual(offenders, []);
  // The check itself finds what it looks for.
  assert.ok(writes.test('db.deleteFrom("audit_log")'));
  assert.ok(writes.test("sql`update audit_log set reason = ''`"));
  assert.ok(writes.test('db\n  .updateTable("audit_log")\n  .set({ actor_user_id: null })'));
  assert.ok(!writes.test('db.insertInto("audit_log")'));
});
