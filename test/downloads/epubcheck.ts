/**
 * EPUBCheck from the test suite: `java -jar /usr/share/java/epubcheck.jar` (Debian's
 * `epubcheck` package; its /usr/bin wrapper is broken there). A JVM start costs seconds, so
 * with a JDK every file is checked in one JVM (EpubBatch.java, run as a source file);
 * without one, one `java -jar` per file, two at a time.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export const EPUBCHECK_JAR = "/usr/share/java/epubcheck.jar";
const BATCH = join(import.meta.dirname, "EpubBatch.java");
const JVM_FLAGS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss1024k"];

export const epubcheckAvailable = () => existsSync(EPUBCHECK_JAR);

export interface EpubMessage {
  severity: "FATAL" | "ERROR" | "WARNING" | "USAGE" | "INFO" | "SUPPRESSED";
  id: string;
  message: string;
  where: string[];
}

export interface EpubReport {
  file: string;
  /** FATAL, ERROR and WARNING messages (what "0 errors and 0 warnings" counts). */
  problems: EpubMessage[];
  fatals: number;
  errors: number;
  warnings: number;
}

interface JsonReport {
  checker: { nFatal: number; nError: number; nWarning: number };
  messages: {
    severity: EpubMessage["severity"];
    ID: string;
    message: string;
    locations?: { path?: string; line?: number; column?: number }[];
  }[];
}

function readReport(file: string, json: string): EpubReport {
  if (!existsSync(json)) throw new Error(`epubcheck wrote no report for ${file}`);
  const r = JSON.parse(readFileSync(json, "utf8")) as JsonReport;
  const problems = r.messages
    .filter((m) => m.severity === "FATAL" || m.severity === "ERROR" || m.severity === "WARNING")
    .map((m) => ({
      severity: m.severity,
      id: m.ID,
      message: m.message,
      where: (m.locations ?? []).map((l) => `${l.path ?? "?"}:${l.line ?? "?"}:${l.column ?? "?"}`),
    }));
  return {
    file,
    problems,
    fatals: r.checker.nFatal,
    errors: r.checker.nError,
    warnings: r.checker.nWarning,
  };
}

let batchWorks: boolean | undefined;

/** Checks every file, in order; one JVM for all when a JDK is there. */
export async function epubcheck(files: readonly string[]): Promise<EpubReport[]> {
  const out = mkdtempSync(join(tmpdir(), "fanfold-epubcheck-"));
  const jsons = files.map((_, i) => join(out, `${i}.json`));
  if (batchWorks !== false) {
    try {
      const args = files.flatMap((f, i) => [f, jsons[i]!]);
      await run("java", [...JVM_FLAGS, "-cp", EPUBCHECK_JAR, BATCH, ...args], {
        maxBuffer: 64 * 1024 * 1024,
      });
      batchWorks = true;
      return files.map((f, i) => readReport(f, jsons[i]!));
    } catch (err) {
      if (jsons.every((j) => existsSync(j))) return files.map((f, i) => readReport(f, jsons[i]!));
      // No compiler (a JRE only): one JVM per file below.
      if (batchWorks === true) throw err;
      batchWorks = false;
    }
  }
  const reports: EpubReport[] = new Array<EpubReport>(files.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      // Exit status 1 means "problems found": the report says which.
      await run(
        "java",
        [...JVM_FLAGS, "-jar", EPUBCHECK_JAR, files[i]!, "--json", jsons[i]!, "-q"],
        {
          maxBuffer: 64 * 1024 * 1024,
        },
      ).catch(() => undefined);
      reports[i] = readReport(files[i]!, jsons[i]!);
    }
  };
  await Promise.all([worker(), worker()]);
  return reports;
}

export const describeProblems = (r: EpubReport) =>
  r.problems.map((p) => `${p.severity} ${p.id} ${p.message} @ ${p.where.join(", ")}`).join("\n");
