import type { Pool } from 'pg';
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
