/**
 * PostgreSQL: pg_dump (custom format) in the snapshot the manifest's digests were taken in,
 * and pg_restore into an empty database. Both tools come with the PostgreSQL client package;
 * their major version must be at least the server's (pg_dump) or the dump's (pg_restore).
 */
import { spawn } from "node:child_process";
import type { Log } from "./sqlite.ts";

export class ToolError extends Error {}

export interface Tool {
  path: string;
  /** e.g. "pg_dump (PostgreSQL) 15.20" */
  version: string;
  major: number;
}

const INSTALL =
  "install the PostgreSQL client tools of your server's version (Debian/Ubuntu: apt-get install postgresql-client; or the postgresql-client-NN package of that major version)";

interface Run {
  code: number | null;
  stdout: string;
  /** The last lines of its error output. */
  tail: string[];
}

function run(path: string, args: string[], onLine?: (line: string) => void): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(path, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    const tail: string[] = [];
    let partial = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => {
      const lines = (partial + b.toString()).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        tail.push(line);
        if (tail.length > 20) tail.shift();
        onLine?.(line);
      }
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (partial) tail.push(partial);
      resolvePromise({ code, stdout, tail });
    });
  });
}

/** The tool's version; a missing tool is refused with the package to install. */
export async function findTool(name: "pg_dump" | "pg_restore", path: string): Promise<Tool> {
  let result: Run;
  try {
    result = await run(path, ["--version"]);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT")
      throw new ToolError(`${name} was not found (${path}): ${INSTALL}.`);
    throw err;
  }
  const version = result.stdout.trim().split("\n")[0] ?? "";
  const major = Number(/\)\s+(\d+)/.exec(version)?.[1]);
  if (result.code !== 0 || !Number.isInteger(major))
    throw new ToolError(`${path} --version did not answer like ${name}: ${version}`);
  return { path, version: version.replace(/\s+\(.*\)$/, ""), major };
}

export function majorOf(version: string): number {
  return Number(/\)\s+(\d+)/.exec(version)?.[1]);
}

export async function dumpPostgres(
  tool: Tool,
  url: string,
  snapshot: string,
  file: string,
  tables: number,
  log: Log,
): Promise<void> {
  let done = 0;
  const result = await run(
    tool.path,
    [
      "--format=custom",
      `--snapshot=${snapshot}`,
      "--no-password",
      "--verbose",
      `--file=${file}`,
      `--dbname=${url}`,
    ],
    (line) => {
      const table = /dumping contents of table "([^"]+)"/.exec(line)?.[1];
      if (table) log(`backup: table ${table.replace(/^public\./, "")} (${++done} of ${tables})`);
    },
  );
  if (result.code !== 0)
    throw new ToolError(`pg_dump failed (exit ${result.code}):\n${result.tail.join("\n")}`);
}

export async function restorePostgres(
  tool: Tool,
  url: string,
  file: string,
  tables: number,
  log: Log,
): Promise<void> {
  let done = 0;
  const result = await run(
    tool.path,
    [
      "--no-owner",
      "--no-privileges",
      "--exit-on-error",
      // All or nothing: a failed restore leaves the database empty, ready for another try.
      "--single-transaction",
      "--no-password",
      "--verbose",
      `--dbname=${url}`,
      file,
    ],
    (line) => {
      const table = /processing data for table "([^"]+)"/.exec(line)?.[1];
      if (table) log(`restore: table ${table.replace(/^public\./, "")} (${++done} of ${tables})`);
    },
  );
  if (result.code !== 0)
    throw new ToolError(`pg_restore failed (exit ${result.code}):\n${result.tail.join("\n")}`);
}
