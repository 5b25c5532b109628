import type { Pool, QueryConfig } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * The pg pool behind a TypeORM data source, for the hottest reads only: a query sent straight to it skips
 * TypeORM's per-query runner (created, connected, logged, released), which cost about 4 % of the CPU of
 * GET /api/leads. Errors are pg's own (not QueryFailedError) and queries are not in TypeORM's log.
 */
export function pgPool(dataSource: DataSource): Pool {
  return (dataSource.driver as PostgresDriver).master as Pool;
}

/** Each connection keeps every statement it prepared until it closes: the cap bounds Postgres's memory. */
export const MAX_PREPARED_STATEMENTS = 64;
const statementNames = new Map<string, string>();

/**
 * A query config that makes Postgres parse (and, once it settles on a generic plan, plan) the statement once
 * per pooled connection instead of on every call: a named prepared statement. For hot reads whose text comes
 * from a small set of shapes (the leads list: one text per combination of filters and sort); the parse and
 * plan were about a fifth of Postgres's CPU per GET /api/leads. Beyond the cap, texts run unnamed as before.
 * Needs a session-pooling connection (no PgBouncer in transaction mode in front of Postgres).
 */
export function preparedStatement(text: string, values: unknown[]): QueryConfig<unknown[]> {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_PREPARED_STATEMENTS) {
    name = `crescendo_${statementNames.size}`;
    statementNames.set(text, name);
  }
  return name === undefined ? { text, values } : { name, text, values };
}
