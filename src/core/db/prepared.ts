/**
 * Queries built once and run many times. Kysely builds and compiles its query tree on every
 * call; a hot path instead writes its query once with named placeholders:
 *
 *   const workById = prepared((db, p: Params<{ id: number }>) =>
 *     db.selectFrom("works").selectAll().where("id", "=", p("id")),
 *   );
 *   const work = await workById.executeTakeFirst(db, { id });
 *
 * The builder runs on the first call per database (SQLite and PostgreSQL compile to
 * different SQL); later calls only swap parameter values into the stored CompiledQuery.
 * A placeholder stands for one bound value: it cannot become a variable-length `in (…)`
 * list, an identifier, or SQL text (`sql.lit`, `sql.raw`), and the query's shape cannot
 * depend on parameter values. The first call checks every placeholder became a parameter.
 */
import type { Compilable, CompiledQuery, DialectAdapter, Kysely, QueryResult } from "kysely";
import type { Database } from "./schema.ts";

/** Placeholder maker handed to the builder: `p("id")` stands for the `id` parameter. */
export type Params<P> = <K extends keyof P & string>(name: K) => P[K];

export interface PreparedQuery<P, O> {
  /** The rows (for writes without `returning`, none). */
  execute(db: Kysely<Database>, ...params: ParamsArg<P>): Promise<O[]>;
  executeTakeFirst(db: Kysely<Database>, ...params: ParamsArg<P>): Promise<O | undefined>;
  /** Rows plus `numAffectedRows` / `insertId`, for writes. */
  executeQuery(db: Kysely<Database>, ...params: ParamsArg<P>): Promise<QueryResult<O>>;
}

/** A query without placeholders takes no parameter object. */
type ParamsArg<P> = [keyof P] extends [never] ? [] : [params: P];

/** What the builder's `p(name)` really returns: found again among compiled parameters. */
class Placeholder {
  constructor(readonly name: string) {}
}

interface Stored {
  compiled: CompiledQuery;
  /** For each compiled parameter: the placeholder's name, or undefined for a constant. */
  names: (string | undefined)[];
}

export function prepared<P = Record<never, never>, O = unknown>(
  build: (db: Kysely<Database>, p: Params<P>) => Compilable<O>,
): PreparedQuery<P, O> {
  // One compiled form per dialect; transactions share their database's adapter.
  const byAdapter = new WeakMap<DialectAdapter, Stored>();

  const compile = (db: Kysely<Database>): Stored => {
    const adapter = db.getExecutor().adapter;
    const known = byAdapter.get(adapter);
    if (known) return known;
    const made = new Set<string>();
    const p = ((name: string) => {
      made.add(name);
      return new Placeholder(name);
    }) as Params<P>;
    const compiled = build(db, p).compile();
    const names = compiled.parameters.map((v) => (v instanceof Placeholder ? v.name : undefined));
    for (const name of made)
      if (!names.includes(name))
        throw new Error(`prepared query: placeholder "${name}" did not become a parameter`);
    const stored = { compiled, names };
    byAdapter.set(adapter, stored);
    return stored;
  };

  const executeQuery = (db: Kysely<Database>, params?: P): Promise<QueryResult<O>> => {
    const { compiled, names } = compile(db);
    const values = params as Record<string, unknown> | undefined;
    const parameters = compiled.parameters.map((constant, i) => {
      const name = names[i];
      if (name === undefined) return constant;
      const value = values?.[name];
      if (value === undefined) throw new Error(`prepared query: parameter "${name}" is missing`);
      return value;
    });
    return db.executeQuery<O>({ ...compiled, parameters });
  };

  return {
    executeQuery: (db, ...params) => executeQuery(db, params[0]),
    execute: async (db, ...params) => (await executeQuery(db, params[0])).rows,
    executeTakeFirst: async (db, ...params) => (await executeQuery(db, params[0])).rows[0],
  };
}

/** Lists longer than this are built on every call (listings ask for a page of 20 at a time). */
const MAX_PREPARED_LIST = 100;

/**
 * A query over a list of ids (`in (…)`), built once per list length: a placeholder stands for
 * one value, so each length is its own prepared query, `build` given that many placeholders.
 * A listing asks for the same page size again and again; a longer list is built each call.
 */
export function preparedForIds<O>(
  build: (db: Kysely<Database>, ids: readonly number[]) => Compilable<O>,
): (db: Kysely<Database>, ids: readonly number[]) => Promise<O[]> {
  const byLength: (PreparedQuery<Record<string, number>, O> | undefined)[] = [];
  return async (db, ids) => {
    const n = ids.length;
    if (n > MAX_PREPARED_LIST) return (await db.executeQuery(build(db, ids).compile())).rows;
    let query = byLength[n];
    if (!query) {
      const names = Array.from({ length: n }, (_, i) => `id${i}`);
      query = prepared<Record<string, number>, O>((db, p) => build(db, names.map(p)));
      byLength[n] = query;
    }
    const params: Record<string, number> = {};
    for (let i = 0; i < n; i++) params[`id${i}`] = ids[i]!;
    return query.execute(db, params);
  };
}
