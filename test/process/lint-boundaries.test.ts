/**
 * The architecture's import boundaries (eslint.config.js) must keep firing. ESLint keeps only
 * the last matching block's options for a rule, so a folder's block once silently dropped the
 * shared "Kysely only in query modules" path. For each case this takes the options the real
 * config computes for a file (calculateConfigForFile) and lints a one-line snippet with them.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ESLint, Linter } from "eslint";
import tseslint from "typescript-eslint";

const root = new URL("../..", import.meta.url).pathname;
const eslint = new ESLint({ cwd: root });

type Case = [file: string, source: string, fires: boolean];

const CASES: Case[] = [
  // Kysely only where SQL is built, in every folder (core, tags and works were the gap).
  ["src/core/http/route.tsx", "kysely", true],
  ["src/core/db/index.ts", "kysely", false],
  ["src/core/db/migrations/2099-01-01T0000-x.ts", "kysely", false],
  ["src/tags/views.tsx", "kysely", true],
  ["src/tags/queries.ts", "kysely", false],
  ["src/works/present.ts", "kysely", true],
  ["src/works/chapter-queries.ts", "kysely", false],
  ["src/works/visibility.ts", "kysely", false],
  ["src/search/listings/routes.tsx", "kysely", true],
  ["src/search/index/index-queries.ts", "kysely", false],
  ["src/accounts/routes.tsx", "kysely", true],
  ["src/engagement/kudos/commands.ts", "kysely", true],
  ["src/engagement/kudos/queries.ts", "kysely", false],
  ["src/exclusions/views.tsx", "kysely", true],
  ["src/demo/generate.ts", "kysely", true],
  // The core knows no domain.
  ["src/core/http/route.tsx", "../../works/load.ts", true],
  ["src/core/db/index.ts", "../../tags/queries.ts", true],
  ["src/core/http/route.tsx", "./errors.ts", false],
  // Accounts are beneath every domain.
  ["src/accounts/routes.tsx", "../works/load.ts", true],
  ["src/accounts/queries.ts", "../engagement/counters/viewer-counts.ts", true],
  ["src/accounts/routes.tsx", "../core/config.ts", false],
  // Tags know no other domain.
  ["src/tags/routes.tsx", "../works/load.ts", true],
  ["src/tags/queries.ts", "../search/index/catalog.ts", true],
  ["src/tags/routes.tsx", "../exclusions/viewer.ts", true],
  ["src/tags/routes.tsx", "./names.ts", false],
  // Works know nothing of search, engagement or exclusions.
  ["src/works/routes/reading.tsx", "../../engagement/kudos/add-on.tsx", true],
  ["src/works/queries.ts", "../search/index/catalog.ts", true],
  ["src/works/present.ts", "../tags/names.ts", false],
  // Search follows the change log, not engagement.
  ["src/search/listings/routes.tsx", "../../engagement/counters/viewer-counts.ts", true],
  ["src/search/index/index-queries.ts", "../../engagement/counters/viewer-counts.ts", true],
  ["src/search/listings/routes.tsx", "../../works/visibility.ts", false],
  // Engagement may use works and tags, but not the operations domains above it.
  ["src/engagement/kudos/commands.ts", "../../works/load.ts", false],
  ["src/engagement/comments/commands.ts", "../../moderation/commands.ts", true],
  ["src/works/commands.ts", "../admin/routes.tsx", true],
  ["src/accounts/commands.ts", "../personal-data/commands.ts", true],
  ["src/tags/routes.tsx", "../moderation/commands.ts", true],
  // The operations domains may use the reader-facing ones.
  ["src/moderation/commands.ts", "../works/load.ts", false],
  ["src/personal-data/commands.ts", "../engagement/bookmarks/queries.ts", false],
  // Collections (issue 15) use works, search and accounts; works and search never use them,
  // and they tell engagement through the job queue.
  ["src/collections/routes.tsx", "../works/load.ts", false],
  ["src/collections/routes.tsx", "../search/listings/routes.tsx", false],
  ["src/collections/commands.ts", "../engagement/notifications/notify.ts", true],
  ["src/collections/commands.ts", "../moderation/commands.ts", true],
  ["src/collections/views.tsx", "kysely", true],
  ["src/collections/queries.ts", "kysely", false],
  ["src/works/routes/reading.tsx", "../../collections/add-on.tsx", true],
  ["src/search/listings/find-works.ts", "../../collections/queries.ts", true],
  // Migrations are frozen: nothing from the app.
  ["src/core/db/migrations/2099-01-01T0000-x.ts", "../../../works/load.ts", true],
  ["src/core/db/migrations/2099-01-01T0000-x.ts", "../schema.ts", false],
];

async function fires(file: string, source: string): Promise<boolean> {
  const config = (await eslint.calculateConfigForFile(root + file)) as {
    rules?: Record<string, Linter.RuleEntry>;
  };
  const rule = config.rules?.["no-restricted-imports"];
  if (!rule) return false;
  const messages = new Linter({ configType: "flat" }).verify(
    `import { x } from ${JSON.stringify(source)};\nexport const y = x;\n`,
    [
      {
        files: ["**/*.ts", "**/*.tsx"],
        languageOptions: { parser: tseslint.parser },
        rules: { "no-restricted-imports": rule },
      },
    ],
    { filename: root + file },
  );
  return messages.some((m) => m.ruleId === "no-restricted-imports");
}

test("each import boundary fires where it should and nowhere else", async () => {
  const wrong: string[] = [];
  for (const [file, source, expected] of CASES) {
    const actual = await fires(file, source);
    if (actual !== expected) {
      wrong.push(`${file}: import "${source}" ${expected ? "should be refused" : "is refused"}`);
    }
  }
  assert.deepEqual(wrong, []);
});
