// Type-aware lint, plus rules that guard the architecture (see ../shared/STYLE.md, pattern 12).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const domains = ["accounts", "works", "tags", "demo", "search", "exclusions", "engagement"];

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
  {
    // SQL is built only in query modules, the db core, migrations and the visibility rules.
    files: ["src/**/*.ts", "src/**/*.tsx"],
    ignores: [
      "src/**/*queries.ts",
      "src/core/db/**",
      "src/works/visibility.ts",
      "src/**/*.test.ts",
    ],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "kysely",
              allowTypeImports: false,
              message: "Build SQL in a queries.ts module.",
            },
          ],
        },
      ],
    },
  },
  {
    // The core knows no domain; domains depend on it.
    files: ["src/core/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: domains.map((d) => ({
            group: [`**/${d}/**`],
            message: "core/ must not import domain code.",
          })),
        },
      ],
    },
  },
  {
    // Tags know nothing of works, accounts or engagement.
    files: ["src/tags/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/works/**", "**/accounts/**", "**/engagement/**", "**/search/**"],
              message: "tags/ must not import other domains.",
            },
          ],
        },
      ],
    },
  },
  {
    // Works know nothing of search or engagement: those follow works (change log, job queue,
    // reading-page add-ons), never the other way round.
    files: ["src/works/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/engagement/**", "**/search/**", "**/exclusions/**"],
              message: "works/ must not import search, engagement or exclusions.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/core/db/migrations/**"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["../../*", "../../../*", "**/src/**"],
              message: "Migrations are frozen: import nothing from the app.",
            },
          ],
        },
      ],
    },
  },
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
