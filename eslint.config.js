// Type-aware lint, plus rules that guard the architecture (see ../shared/STYLE.md, pattern 12).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const domains = [
  "accounts",
  "works",
  "tags",
  "demo",
  "search",
  "exclusions",
  "engagement",
  "admin",
  "moderation",
  "personal-data",
  "site-pages",
  "import",
  "downloads",
  "feeds",
  "collections",
];
/** Running the archive: above every reader-facing domain, imported by none of them. */
const operations = ["admin", "moderation", "personal-data"];

// ---------------------------------------------------------------------------------------------
// Import boundaries. ESLint keeps only the last matching block's options for a rule, so a
// folder's block must carry every restriction that applies there: each block below is built
// by one helper that always includes the shared one (Kysely only where SQL is built).
// test/process/lint-boundaries.test.ts lints snippets against this config to keep them firing.

/** Files that may build SQL: query modules, the db core and migrations, the visibility rules. */
const SQL_FILES = [
  "src/**/*queries.ts",
  "src/core/db/**",
  "src/works/visibility.ts",
  "src/**/*.test.ts",
  "src/**/*.test.tsx",
];
const KYSELY_ONLY_IN_QUERIES = {
  name: "kysely",
  allowTypeImports: false,
  message: "Build SQL in a queries.ts module.",
};

/** Which folders may not import which domains, and why (the dependency directions). */
const DIRECTIONS = [
  { folder: "core", forbidden: domains, message: "core/ must not import domain code." },
  {
    folder: "accounts",
    forbidden: domains.filter((d) => d !== "accounts"),
    message: "accounts/ is beneath every domain: it must not import one.",
  },
  {
    folder: "tags",
    forbidden: ["works", "accounts", "engagement", "search", "exclusions", ...operations],
    message: "tags/ must not import other domains.",
  },
  {
    // Works know nothing of search or engagement: those follow works (change log, job queue,
    // reading-page add-ons), never the other way round.
    folder: "works",
    forbidden: [
      "engagement",
      "search",
      "exclusions",
      "import",
      "downloads",
      "feeds",
      "collections",
      ...operations,
    ],
    message:
      "works/ must not import search, engagement, exclusions, import, downloads, feeds, collections or the operations domains.",
  },
  {
    // The index follows the change log; engagement's counts reach it as changes, not imports.
    folder: "search",
    forbidden: ["engagement", "collections", ...operations],
    message: "search/ must not import engagement, collections or the operations domains.",
  },
  {
    // Collections set the works' switches through works/commands.ts and tell engagement
    // through the job queue (issue 15); engagement and the operations follow collections.
    folder: "collections",
    forbidden: ["engagement", "exclusions", "import", "downloads", "feeds", ...operations],
    message:
      "collections/ may import works, tags, accounts, search and core only: not engagement or the operations domains.",
  },
  {
    // Moderation hides content through columns the visibility rules read, not through imports.
    folder: "engagement",
    forbidden: operations,
    message: "engagement/ must not import admin, moderation or personal-data.",
  },
];

/** `no-restricted-imports` for one group of files: the shared paths plus the folder's patterns. */
function restrictedImports({ sql, patterns = [] }) {
  const options = {};
  if (!sql) options.paths = [KYSELY_ONLY_IN_QUERIES];
  if (patterns.length > 0) options.patterns = patterns;
  return { "no-restricted-imports": ["error", options] };
}

const importBoundaries = [
  // Every source file: Kysely only where SQL is built.
  { files: ["src/**/*.ts", "src/**/*.tsx"], ignores: SQL_FILES, rules: restrictedImports({}) },
  ...DIRECTIONS.flatMap(({ folder, forbidden, message }) => {
    const files = [`src/${folder}/**`];
    const patterns = [{ group: forbidden.map((d) => `**/${d}/**`), message }];
    return [
      { files, ignores: SQL_FILES, rules: restrictedImports({ patterns }) },
      // The folder's SQL files (an inner array: every pattern in it must match).
      {
        files: SQL_FILES.map((glob) => [`src/${folder}/**`, glob]),
        rules: restrictedImports({ sql: true, patterns }),
      },
    ];
  }),
  {
    // After the folders' blocks, so that it wins: migrations import nothing at all.
    files: ["src/core/db/migrations/**"],
    rules: restrictedImports({
      sql: true,
      patterns: [
        {
          group: ["../../*", "../../../*", "**/src/**"],
          message: "Migrations are frozen: import nothing from the app.",
        },
      ],
    }),
  },
];

export default tseslint.config(
  { ignores: ["node_modules/", "data/", "dist/", "coverage/", "artifacts/"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ["*.js", "scripts/*.mjs"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/switch-exhaustiveness-check": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      // Route handlers are async by contract even when they only render.
      "@typescript-eslint/require-await": "off",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: "Raw HTML goes through core/views/trusted-html.tsx (UserHtml) only.",
        },
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: "Read configuration through core/config.ts.",
        },
      ],
    },
  },
  ...importBoundaries,
  { files: ["src/core/db/migrations/**"], rules: { "@typescript-eslint/no-explicit-any": "off" } },
  {
    files: [
      "src/core/config.ts",
      "test/**",
      "e2e/**",
      "bench/**",
      "scripts/**",
      "src/**/*.test.ts",
      "src/**/*.test.tsx",
    ],
    rules: { "no-restricted-syntax": "off" },
  },
  {
    files: ["src/core/views/trusted-html.tsx"],
    rules: { "no-restricted-syntax": "off" },
  },
  {
    files: ["**/*.test.ts", "**/*.test.tsx", "test/**", "e2e/**"],
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-floating-promises": "off",
    },
  },
  {
    files: ["*.js", "scripts/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
  {
    // Browser code served as-is (no build step): plain lint, browser globals.
    files: ["src/core/views/assets/*.js"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false },
      globals: { window: "readonly", document: "readonly", fetch: "readonly" },
    },
  },
);
