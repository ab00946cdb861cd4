/**
 * `npm run fanfold -- <command>`: maintenance commands, using the same configuration as the
 * server (DATABASE_URL, FANFOLD_DATA_DIR, …).
 *
 *   migrate                         bring the database schema up to date
 *   generate --works N [--users N] [--bodies full|short|none] [--seed S] [--batch N]
 *                                   add generated demo/benchmark content (a fresh archive only)
 *   index-text                      build the full-text index entries works lack (the
 *                                   server also does this in the background at start-up)
 *   user grant LOGIN ROLE           give a user a role (e.g. wrangler)
 *   user revoke LOGIN ROLE
 */
import { parseArgs } from "node:util";
import { findUserByLogin, setRoles } from "./accounts/queries.ts";
import { ConfigError, loadConfig } from "./core/config.ts";
import { migrateToLatest, openDb } from "./core/db/index.ts";
import { countUsers } from "./demo/queries.ts";
import { loadDemoCorpus } from "./demo/seed.ts";
import { TextFollower } from "./search/text/follower.ts";
import { ensureFixedTags } from "./tags/queries.ts";

const ROLES = new Set(["wrangler", "moderator", "admin"]);

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  const handle = openDb(config.database);
  try {
    await migrateToLatest(handle.db);
    await ensureFixedTags(handle.db, Date.now());
    switch (command ?? "") {
      case "migrate":
        console.log(`Database is up to date (${handle.engine}).`);
        break;
      case "generate": {
        const { values } = parseArgs({
          args: rest,
          options: {
            works: { type: "string", default: "200" },
            users: { type: "string" },
            bodies: { type: "string", default: "full" },
            seed: { type: "string", default: "1" },
            batch: { type: "string", default: "1000" },
          },
        });
        const works = Number(values.works);
        if (!Number.isInteger(works) || works < 0 || works > 10_000_000)
          fail("--works must be a whole number up to 10,000,000");
        const bodies = values.bodies;
        if (bodies !== "full" && bodies !== "short" && bodies !== "none")
          fail("--bodies must be full, short or none");
        if ((await countUsers(handle.db)) > 0)
          fail("generate fills an empty archive; this one already has accounts.");
        const users = values.users ? Number(values.users) : Math.max(12, Math.round(works / 20));
        console.log(
          `Generating ${works.toLocaleString("en-US")} works by ${users.toLocaleString("en-US")} accounts (${bodies} bodies) into ${handle.engine}…`,
        );
        const result = await loadDemoCorpus(handle.db, handle.engine, {
          works,
          users,
          bodies,
          seed: Number(values.seed),
          batch: Number(values.batch),
          log: (m) => console.log(m),
        });
        console.log(
          `Done: ${result.works.toLocaleString("en-US")} works in ${(result.ms / 1000).toFixed(1)} s. Demo password: ${result.password}`,
        );
        break;
      }
      case "index-text": {
        const follower = new TextFollower(handle.db, handle.engine, {
          log: (m) => console.log(m),
        });
        await follower.backfill();
        await follower.close();
        break;
      }
      case "user": {
        const [action, login, role] = rest;
        if ((action !== "grant" && action !== "revoke") || !login || !role)
          fail("usage: user grant|revoke LOGIN ROLE");
        if (!ROLES.has(role)) fail(`Unknown role "${role}"; roles are ${[...ROLES].join(", ")}.`);
        const user = await findUserByLogin(handle.db, login);
        if (!user) fail(`No user named "${login}".`);
        const roles = new Set(user.roles.split(" ").filter(Boolean));
        if (action === "grant") roles.add(role);
        else roles.delete(role);
        await setRoles(handle.db, user.id, [...roles]);
        console.log(`${user.login} now has roles: ${[...roles].join(", ") || "(none)"}`);
        break;
      }
      default:
        fail("usage: fanfold migrate | generate --works N | index-text | user grant LOGIN ROLE");
    }
  } finally {
    await handle.close();
  }
}

await main(process.argv.slice(2));
