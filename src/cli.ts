/**
 * `npm run fanfold -- <command>`: maintenance commands, using the same configuration as the
 * server (DATABASE_URL, FANFOLD_DATA_DIR, …).
 *
 *   serve [--workers N]             migrate, add demo content to an empty archive, serve from N
 *                                   worker processes (default FANFOLD_WORKERS, else one per core)
 *   migrate                         bring the database schema up to date
 *   generate --works N [--users N] [--bodies full|short|none] [--seed S] [--batch N]
 *                                   add generated demo/benchmark content (a fresh archive only)
 *   index-text                      build the full-text index entries works lack (the
 *                                   server also does this in the background at start-up)
 *   create-admin LOGIN EMAIL [--password-stdin]
 *                                   make an admin account (the first one: a fresh archive has
 *                                   none); prints a generated password once, or reads one line
 *                                   from standard input
 *   create-admin LOGIN --existing   make an existing account an admin
 *   user grant LOGIN ROLE           give a user a role: admin, moderator or wrangler (audited)
 *   user revoke LOGIN ROLE
 *   user reset-link LOGIN           print a password reset link for an account (one hour)
 *   backup FILE                     a consistent backup while the archive runs (database,
 *                                   secret, stored files) into a new tar FILE
 *   restore FILE                    check FILE, restore it into the configured empty data
 *                                   directory or PostgreSQL database, then migrate
 *   import-ao3-dump --tags TAGS.csv [--works WORKS.csv] [--limit N] [--batch N]
 *                                   the OTW's AO3 data dump: tags with their synonyms, works as
 *                                   metadata only (progress on stderr, summary on stdout)
 *   import FILE… --user LOGIN --fandom NAME [--fandom NAME…] [--pseud NAME]
 *          [--split auto|none|heading:N|marker:TEXT] [--encoding LABEL] [--rating RATING]
 *          [--warning WARNING…] [--language CODE] [--tag NAME…] [--draft]
 *                                   post each file (.txt, .md, .html, .docx, .epub) as a work
 *                                   of LOGIN; prints title, chapters, words, time, address;
 *                                   exits 1 if any file was not imported
 */
import { parseArgs } from "node:util";
import { createAdminCommand, readAllStdin, userRoleCommand, type CliOutcome } from "./admin/cli.ts";
import { printResetLink } from "./accounts/recovery/cli.ts";
import { backupCommand } from "./core/backup/command.ts";
import { ao3DumpCommand } from "./import/ao3-dump/cli.ts";
import { workerCount } from "./serve/options.ts";
import { serve } from "./serve/serve.ts";
import { importCommand } from "./import/cli.ts";
import { ConfigError, loadConfig } from "./core/config.ts";
import { migrateToLatest, openDb } from "./core/db/index.ts";
import { countUsers } from "./demo/queries.ts";
import { loadDemoCorpus } from "./demo/seed.ts";
import { TextFollower } from "./search/text/follower.ts";
import { ensureFixedTags } from "./tags/queries.ts";

/** Prints a staff command's outcome; a refusal exits 2 once the database is closed. */
function report(outcome: CliOutcome) {
  for (const line of outcome.out) (outcome.status === 0 ? console.log : console.error)(line);
  if (outcome.status !== 0) process.exitCode = outcome.status;
}

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
  if (command === "serve") {
    const count = workerCount(rest, config.workers);
    if ("error" in count) fail(count.error);
    return serve(config, count.workers);
  }
  // Before the database is opened: a restore needs its target untouched, a backup changes nothing.
  if (command === "backup" || command === "restore") {
    process.exitCode = await backupCommand(command, rest, config);
    return;
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
      case "create-admin":
        report(
          await createAdminCommand(handle.db, rest, {
            hashCost: config.passwordHashCost,
            now: Date.now(),
            readStdin: readAllStdin,
          }),
        );
        break;
      case "import-ao3-dump":
        process.exitCode = await ao3DumpCommand(handle.db, handle.engine, rest);
        break;
      case "user":
        if (rest[0] === "reset-link") {
          await printResetLink(handle.db, config, rest[1]);
          break;
        }
        report(await userRoleCommand(handle.db, rest, { now: Date.now() }));
        break;
      case "import":
        process.exitCode = await importCommand(handle.db, rest, {
          out: (line) => console.log(line),
          err: (line) => console.error(line),
          now: () => Date.now(),
          publicUrl: config.publicUrl,
        });
        break;
      default:
        fail(
          "usage: fanfold serve [--workers N] | migrate | generate --works N | index-text | create-admin LOGIN EMAIL | user grant|revoke LOGIN ROLE | user reset-link LOGIN | backup FILE | restore FILE | import-ao3-dump --tags TAGS.csv [--works WORKS.csv] | import FILE… --user LOGIN --fandom NAME",
        );
    }
  } finally {
    await handle.close();
  }
}

await main(process.argv.slice(2));
