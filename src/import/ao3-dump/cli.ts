/**
 * `fanfold import-ao3-dump --tags tags.csv [--works works.csv] [--limit N] [--batch N]`:
 * progress on stderr, the summary on stdout; exit status 2 for a refusal or a bad argument.
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import type { Db, Engine } from "../../core/db/index.ts";
import { Ao3DumpError, describeSummary, importAo3Dump } from "./import.ts";

export const IMPORT_AO3_DUMP_USAGE =
  "import-ao3-dump --tags TAGS.csv [--works WORKS.csv] [--limit N] [--batch N]";

export async function ao3DumpCommand(
  db: Db,
  engine: Engine,
  args: string[],
  out: { log: (line: string) => void; progress: (line: string) => void } = {
    log: (line) => console.log(line),
    progress: (line) => console.error(line),
  },
): Promise<number> {
  const refuse = (message: string) => {
    out.progress(message);
    return 2;
  };
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        tags: { type: "string" },
        works: { type: "string" },
        limit: { type: "string" },
        batch: { type: "string", default: "1000" },
      },
    }));
  } catch (err) {
    return refuse(
      `${err instanceof Error ? err.message : String(err)}\nusage: fanfold ${IMPORT_AO3_DUMP_USAGE}`,
    );
  }
  if (!values.tags)
    return refuse(
      `--tags is required: a work's tags are ids in the dump's tags file.\nusage: fanfold ${IMPORT_AO3_DUMP_USAGE}`,
    );
  for (const file of [values.tags, values.works])
    if (file !== undefined && !existsSync(file)) return refuse(`${file}: no such file`);
  const whole = (name: string, text: string | undefined, min: number) => {
    if (text === undefined) return undefined;
    const v = Number(text);
    if (!Number.isInteger(v) || v < min)
      throw new Ao3DumpError(`--${name} must be a whole number of at least ${min}`);
    return v;
  };
  try {
    const limit = whole("limit", values.limit, 0);
    const batch = whole("batch", values.batch, 1);
    out.progress(
      `Importing the AO3 data dump into ${engine}: tags from ${values.tags}${values.works ? `, works from ${values.works}${limit !== undefined ? ` (at most ${limit.toLocaleString("en-US")})` : ""}` : ""}…`,
    );
    const summary = await importAo3Dump(db, engine, {
      tagsFile: values.tags,
      ...(values.works ? { worksFile: values.works } : {}),
      ...(limit !== undefined ? { limit } : {}),
      ...(batch !== undefined ? { batch } : {}),
      progress: out.progress,
    });
    for (const line of describeSummary(summary)) out.log(line);
    return 0;
  } catch (err) {
    if (err instanceof Ao3DumpError) return refuse(err.message);
    throw err;
  }
}
