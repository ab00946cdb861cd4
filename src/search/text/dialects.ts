/** Each engine's text index (see dialect-queries.ts). */
import type { Engine } from "../../core/db/index.ts";
import type { TextDialect } from "./dialect-queries.ts";
import { postgresText } from "./postgres-text-queries.ts";
import { sqliteText } from "./sqlite-text-queries.ts";

export const textDialect = (engine: Engine): TextDialect =>
  engine === "sqlite" ? sqliteText : postgresText;
