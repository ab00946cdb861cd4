/**
 * Named prepared statements on PostgreSQL. `pg` parses and plans a query anew on every call
 * unless it is given a name; with one, each connection parses it once and later calls send
 * only the parameters. This pool stands in for the real one under Kysely's PostgresDialect
 * and names SELECT statements by a hash of their SQL text, so the same text always gets the
 * same name (pg refuses one name for two texts).
 *
 * Bounded: only the first `maxNames` distinct texts get names, so no connection keeps more
 * prepared statements than that. A schema change under a prepared `select *` makes the
 * server refuse it ("cached plan must not change result type"); such a text is run unnamed
 * from then on, and the call is retried once unnamed when it was not in a transaction.
 */
import { createHash } from "node:crypto";
import type { PostgresPool, PostgresPoolClient } from "kysely";
import type pg from "pg";

export interface NamedStatementStats {
  /** Distinct SQL texts given a name. */
  named: number;
  /** Calls that ran as a named statement. */
  namedCalls: number;
}

export interface NamingPool extends PostgresPool {
  stats: () => NamedStatementStats;
}

const SELECT = /^\s*select\b/i;
/** PostgreSQL's feature_not_supported, which a stale cached plan raises. */
const STALE_PLAN = "0A000";

export function namingPool(pool: pg.Pool, { maxNames = 300 } = {}): NamingPool {
  const names = new Map<string, string>();
  const unnamed = new Set<string>();
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  let namedCalls = 0;

  const nameOf = (text: string): string | undefined => {
    const known = names.get(text);
    if (known !== undefined || unnamed.has(text) || !SELECT.test(text)) return known;
    if (names.size >= maxNames) return undefined;
    const name = `ff_${createHash("sha1").update(text).digest("hex").slice(0, 24)}`;
    names.set(text, name);
    return name;
  };

  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    const query = async (text: string, values: unknown[]) => {
      const name = nameOf(text);
      if (name === undefined) return client.query(text, values);
      namedCalls++;
      try {
        return await client.query({ name, text, values });
      } catch (err) {
        if ((err as { code?: unknown }).code !== STALE_PLAN) throw err;
        names.delete(text);
        unnamed.add(text);
        // Inside a transaction the error has aborted it: only the caller can start over.
        if (client.getTransactionStatus() !== "I") throw err;
        return client.query(text, values);
      }
    };
    // Kysely passes SQL text and an array, or a cursor (streams), which goes through as is.
    const dispatch = (textOrCursor: unknown, values?: readonly unknown[]): unknown =>
      typeof textOrCursor === "string"
        ? query(textOrCursor, [...(values ?? [])])
        : client.query(textOrCursor as pg.Submittable);
    return {
      query: dispatch as PostgresPoolClient["query"],
      release: () => client.release(),
    };
  };

  return {
    async connect() {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (!wrapper) {
        wrapper = wrap(client);
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
    stats: () => ({ named: names.size, namedCalls }),
  };
}
