/**
 * PostgreSQL's notices of change-log commits (the trigger of migration
 * 2026-12-10T1100-changes-notify): one dedicated connection LISTENs on `fanfold_changes`, so
 * the catalog knows the log is unchanged without reading it. `version` moves on every notice
 * and every (re)connection, and is null while not listening: a follower that saw the same
 * version before and after its last read of the log has nothing new to read.
 */
import pg from "pg";

export const CHANGES_CHANNEL = "fanfold_changes";

/** What the catalog needs of a notice source (tests give their own). */
export interface ChangeNotices {
  readonly version: number | null;
  close(): Promise<void>;
}

const RETRY_MS = [500, 1_000, 2_000, 5_000, 10_000, 30_000];

export class PgChangeNotices implements ChangeNotices {
  version: number | null = null;
  private client: pg.Client | null = null;
  private retry: NodeJS.Timeout | null = null;
  private failures = 0;
  private closed = false;
  private counter = 0;

  constructor(
    private readonly url: string,
    private readonly log?: (message: string) => void,
  ) {}

  /** Starts listening; resolves once listening or once the first attempt failed. */
  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.url });
    this.client = client;
    client.on("notification", () => {
      if (this.version !== null) this.version = ++this.counter;
    });
    const lost = (err?: Error) => {
      if (this.client !== client) return;
      this.client = null;
      this.version = null;
      client.removeAllListeners("notification");
      void client.end().catch(() => undefined);
      if (this.closed) return;
      this.log?.(`change notices: connection lost (${err?.message ?? "ended"}); reading the log`);
      this.schedule();
    };
    client.on("error", lost);
    client.on("end", () => lost());
    try {
      await client.connect();
      await client.query(`listen ${CHANGES_CHANNEL}`);
      if (this.client !== client) return;
      this.failures = 0;
      // A new version: anything committed while not listening is read from the log.
      this.version = ++this.counter;
    } catch (err) {
      lost(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private schedule() {
    const wait = RETRY_MS[Math.min(this.failures++, RETRY_MS.length - 1)]!;
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.connect();
    }, wait);
    this.retry.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    this.version = null;
    await client?.end().catch(() => undefined);
  }
}
