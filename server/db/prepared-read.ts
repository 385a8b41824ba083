// A read compiled once. Kysely builds a query's tree and compiles it to SQL on
// every call: ~10–40 µs a query, a good part of what a session-only route
// costs the server (issue 12: 200 pods opening at once). A prepared read is
// built and compiled once per database with a marker for each argument; a call
// runs that SQL with the caller's values in the markers' places. The query is
// still written with Kysely, so its tables and columns are type-checked.
import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { Db } from './index.js';

type Scalar = string | number;

/** What a prepared read compiled to: the SQL, and for each parameter the argument it takes or the value it keeps. */
interface Compiled {
  sql: string;
  parameters: ({ arg: string } | { value: unknown })[];
}

/**
 * `build` writes the query with `args`' values (scalars only: each must stand
 * as one parameter, not a list an `in` would spread). Returns the read: all
 * its rows for these arguments.
 */
export function preparedRead<Args extends Record<string, Scalar>, Row>(build: (k: Kysely<Database>, args: Args) => Compilable<Row>): (db: Db, args: Args) => Promise<Row[]> {
  const byDb = new WeakMap<Kysely<Database>, Compiled>();
  return async (db, args) => {
    let compiled = byDb.get(db.k);
    if (!compiled) byDb.set(db.k, (compiled = compile(db.k, build, Object.keys(args))));
    const parameters = compiled.parameters.map((p) => ('arg' in p ? args[p.arg] : p.value));
    return (await db.k.executeQuery<Row>(CompiledQuery.raw(compiled.sql, parameters))).rows;
  };
}

function compile<Args extends Record<string, Scalar>, Row>(k: Kysely<Database>, build: (k: Kysely<Database>, args: Args) => Compilable<Row>, names: string[]): Compiled {
  // A marker no argument could be: a NUL and the argument's name.
  const markers = Object.fromEntries(names.map((n) => [n, `\u0000${n}`])) as unknown as Args;
  const byMarker = new Map(names.map((n) => [`\u0000${n}`, n]));
  const { sql, parameters } = build(k, markers).compile();
  const used = new Set<string>();
  const out = parameters.map((v) => {
    const arg = typeof v === 'string' ? byMarker.get(v) : undefined;
    if (arg === undefined) return { value: v };
    used.add(arg);
    return { arg };
  });
  // An argument that is in no parameter was spread or inlined: this read cannot take other values for it.
  const lost = names.filter((n) => !used.has(n));
  if (lost.length) throw new Error(`prepared read: ${lost.join(', ')} did not compile to one parameter each`);
  return { sql, parameters: out };
}
