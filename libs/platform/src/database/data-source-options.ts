import type { DataSourceOptions } from 'typeorm';
import { SnakeNamingStrategy } from './snake-naming.strategy';
import { migrations } from './migrations';

/** Shared by the apps, the migration CLI and the test harness so all three see the same schema. */
export function dataSourceOptions(url: string, extra: Partial<DataSourceOptions> = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations,
    migrationsTableName: 'typeorm_migrations',
    // gen_random_uuid() is built into PostgreSQL 13+; no extension to install.
    uuidExtension: 'pgcrypto',
    namingStrategy: new SnakeNamingStrategy(),
    ...extra,
    // JIT off on the app's connections: it pays 100–200 ms of compiling as soon as a statement's estimated cost
    // passes jit_above_cost, and the app's statements are short (dashboards read rollups, a dozen small reads
    // batched into one: see batchedRead), where that compiling would dwarf the reading.
    extra: { options: '-c jit=off', ...(extra.extra as object | undefined) },
  } as DataSourceOptions;
}
