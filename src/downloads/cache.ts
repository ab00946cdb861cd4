/**
 * Built downloads on disk: `<data dir>/downloads/<work id>/<key>.<format>`, where the key
 * hashes everything the file is made from (document.ts `downloadKey`). A new version's file
 * replaces the old ones of that work and format; a build in progress is shared by every
 * request (and the job) in this process that asks for the same key, so nothing is built twice.
 * Files are written under a temporary name and renamed, so a reader never gets half a file.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Config } from "../core/config.ts";
import type { DownloadFormat } from "../works/views/links.tsx";
import { buildFile } from "./build.ts";
import { downloadKey, presentDownload, type WorkRows } from "./document.ts";

export interface CachedFile {
  path: string;
  size: number;
  key: string;
  mtimeMs: number;
}

export class DownloadCache {
  private readonly building = new Map<string, Promise<CachedFile>>();
  /** How many files this cache built (tests check that concurrent requests build once). */
  builds = 0;

  constructor(
    readonly dir: string,
    private readonly config: Pick<Config, "publicUrl" | "port" | "host">,
  ) {}

  static forConfig(config: Config): DownloadCache {
    return new DownloadCache(join(config.dataDir, "downloads"), config);
  }

  private workDir = (workId: number) => join(this.dir, String(workId));
  private fileOf = (workId: number, key: string, format: DownloadFormat) =>
    join(this.workDir(workId), `${key}.${format}`);

  keyOf(rows: WorkRows, format: DownloadFormat, baseUrl: string): string {
    return downloadKey(rows, format, baseUrl);
  }

  /** The built file of this version, if there is one. */
  async find(workId: number, key: string, format: DownloadFormat): Promise<CachedFile | undefined> {
    const path = this.fileOf(workId, key, format);
    try {
      const s = await stat(path);
      return { path, size: s.size, key, mtimeMs: s.mtimeMs };
    } catch {
      return undefined;
    }
  }

  /** Builds (or waits for the build in progress of) this version, and returns its file. */
  build(rows: WorkRows, format: DownloadFormat, key: string): Promise<CachedFile> {
    const id = `${rows.work.id}/${key}.${format}`;
    const running = this.building.get(id);
    if (running) return running;
    const job = this.write(rows, format, key).finally(() => this.building.delete(id));
    this.building.set(id, job);
    return job;
  }

  private async write(rows: WorkRows, format: DownloadFormat, key: string): Promise<CachedFile> {
    const existing = await this.find(rows.work.id, key, format);
    if (existing) return existing;
    const bytes = await buildFile(format, presentDownload(rows, this.config));
    this.builds += 1;
    const dir = this.workDir(rows.work.id);
    await mkdir(dir, { recursive: true });
    const path = this.fileOf(rows.work.id, key, format);
    const tmp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, path);
    await this.removeOlder(rows.work.id, format, key);
    const s = await stat(path);
    return { path, size: s.size, key, mtimeMs: s.mtimeMs };
  }

  /** Older versions of this work's file in this format (and stray temporary files). */
  private async removeOlder(workId: number, format: DownloadFormat, keep: string) {
    const dir = this.workDir(workId);
    const names = await readdir(dir).catch(() => [] as string[]);
    await Promise.all(
      names
        .filter((n) => n.endsWith(`.${format}`) && n !== `${keep}.${format}`)
        .map((n) => rm(join(dir, n), { force: true })),
    );
  }
}
