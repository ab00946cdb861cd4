/**
 * Load on one page with autocannon (in this process), every response's latency and status
 * kept, and the server's own CPU time over the run; plus logging in through the real form.
 */
import autocannon from "autocannon";

export interface LoadRun {
  requests: number;
  seconds: number;
  /** Response times, ms. */
  latencies: number[];
  statuses: Record<string, number>;
  /** Socket errors and timeouts (no response at all). */
  errors: number;
  /** The server tree's CPU time over the run, ms. */
  cpuMs: number;
  /** PostgreSQL's backends' CPU time over the run, ms (null: SQLite, in the server). */
  databaseCpuMs: number | null;
}

export interface LoadSpec {
  url: string;
  headers?: Record<string, string>;
  connections: number;
  seconds: number;
  /** Per-request timeout, s (a stall must show as a latency, not vanish as an error). */
  timeoutS?: number;
  cpuMs: () => number;
  databaseCpuMs?: (() => Promise<Map<number, number>>) | undefined;
  /** Resolves when the run should end early (the stall scenario's backfill is done). */
  until?: Promise<unknown>;
}

export async function load(spec: LoadSpec): Promise<LoadRun> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const database = spec.databaseCpuMs && (await databaseSampler(spec.databaseCpuMs));
  const cpuBefore = spec.cpuMs();
  const started = performance.now();
  let instance: autocannon.Instance | undefined;
  const finished = new Promise<autocannon.Result>((ok, fail) => {
    instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        duration: spec.seconds,
        timeout: spec.timeoutS ?? 10,
        headers: spec.headers ?? {},
      },
      (err: unknown, result: autocannon.Result) => (err ? fail(toError(err)) : ok(result)),
    );
  });
  instance!.on("response", (_client, statusCode, _bytes, responseTime) => {
    latencies.push(responseTime);
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
  void spec.until?.then(() => instance!.stop());
  const result = await finished;
  const seconds = (performance.now() - started) / 1000;
  const cpuMs = spec.cpuMs() - cpuBefore;
  const databaseCpuMs = database ? await database.stop() : null;
  return {
    requests: latencies.length,
    seconds,
    latencies,
    statuses,
    errors: result.errors + result.timeouts,
    cpuMs,
    databaseCpuMs,
  };
}

/**
 * The database backends' CPU time from now until `stop`, sampled every second: a pool closes
 * idle connections and opens others, and a backend's time is read while it lives (one that
 * appears during the run counts from zero; the last second of one that ends is lost).
 */
async function databaseSampler(read: () => Promise<Map<number, number>>) {
  const baseline = await read();
  const last = new Map(baseline);
  let sampling = true;
  const loop = (async () => {
    while (sampling) {
      await new Promise((r) => setTimeout(r, 1000));
      for (const [pid, ms] of await read()) last.set(pid, ms);
    }
  })();
  return {
    stop: async () => {
      sampling = false;
      await loop;
      for (const [pid, ms] of await read()) last.set(pid, ms);
      let total = 0;
      for (const [pid, ms] of last) {
        const before = baseline.get(pid) ?? 0;
        total += ms >= before ? ms - before : ms; // less than before: a new process, same id
      }
      return total;
    },
  };
}

const toError = (err: unknown) => (err instanceof Error ? err : new Error(String(err)));

/**
 * Logs in as a reader would: the log-in page (its CSRF token and cookie), then AO3's form
 * `POST /users/login`. Returns the Cookie header a logged-in reader sends.
 */
export async function logIn(base: string, login: string, password: string): Promise<string> {
  const cookies = new Map<string, string>();
  const remember = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair = ""] = c.split(";");
      const eq = pair.indexOf("=");
      cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  };
  const header = () => [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  const page = await fetch(`${base}/users/login`);
  remember(page);
  const token = /name="authenticity_token" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!token) throw new Error("the log-in page carries no authenticity_token");
  const res = await fetch(`${base}/users/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: header() },
    body: new URLSearchParams({
      authenticity_token: token,
      "user[login]": login,
      "user[password]": password,
    }).toString(),
  });
  remember(res);
  await res.arrayBuffer();
  if (res.status !== 302 && res.status !== 303)
    throw new Error(`logging in as ${login} answered ${res.status}`);
  return header();
}

/** Fetches a page once and checks it is the page meant (200, and a text it must show). */
export async function checkPage(
  url: string,
  headers: Record<string, string>,
  mustShow: string,
): Promise<number> {
  const res = await fetch(url, { headers, redirect: "manual" });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  if (!body.includes(mustShow)) throw new Error(`${url} does not show "${mustShow}"`);
  return body.length;
}
