/**
 * The two CLI commands (src/cli.ts hands them over before it opens the database: a restore
 * must find its target empty, and a backup changes nothing).
 */
import { basename } from "node:path";
import { BackupError, createBackup, restoreBackup, type BackupConfig } from "./backup.ts";

export const BACKUP_USAGE = [
  "backup FILE                     a consistent backup while the archive runs (database,",
  "                                secret, stored files) into a new tar FILE",
  "restore FILE                    check FILE and restore it into the configured empty",
  "                                data directory or PostgreSQL database, then migrate",
];

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Runs `backup FILE` or `restore FILE`; answers the exit code. */
export async function backupCommand(
  command: "backup" | "restore",
  args: string[],
  config: BackupConfig,
  out: { info: (line: string) => void; progress: (line: string) => void } = {
    info: (line) => console.log(line),
    progress: (line) => console.error(line),
  },
): Promise<number> {
  const [file, ...extra] = args;
  if (!file || extra.length > 0) {
    out.progress(`usage: fanfold ${command} FILE`);
    return 2;
  }
  const started = Date.now();
  try {
    if (command === "backup") {
      const { manifest, bytes } = await createBackup(config, file, { log: out.progress });
      const rows = Object.values(manifest.tables).reduce((n, t) => n + t.rows, 0);
      out.info(
        `Backed up ${manifest.engine} archive ${manifest.archiveId ?? "(no id)"} into ${basename(file)}: ` +
          `${Object.keys(manifest.tables).length} tables, ${rows} rows, ${manifest.members.length} members, ` +
          `${bytes} bytes in ${seconds(Date.now() - started)}.`,
      );
      for (const note of manifest.notes) out.info(`Note: ${note}`);
    } else {
      const { manifest } = await restoreBackup(config, file, { log: out.progress });
      out.info(
        `Restored archive ${manifest.archiveId ?? "(no id)"} (backed up ${manifest.createdAt}) into ${manifest.engine} in ${seconds(Date.now() - started)}.`,
      );
    }
    return 0;
  } catch (err) {
    if (err instanceof BackupError) {
      out.progress(`${command} refused: ${err.message}`);
      return 1;
    }
    throw err;
  }
}
