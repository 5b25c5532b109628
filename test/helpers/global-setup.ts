import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/platform/src/database/data-source-options';
import { adminDatabaseUrl, testEnv } from './test-env';

/** Creates this run's own database and applies every migration to it. */
export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const database = `crescendo_test_${runId}`;
  const admin = new Client({ connectionString: adminDatabaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();

  const url = new URL(adminDatabaseUrl);
  url.pathname = `/${database}`;
  Object.assign(process.env, testEnv, {
    DATABASE_URL: url.toString(),
    REDIS_PREFIX: `crescendo-test-${runId}`,
    TEST_DATABASE_NAME: database,
  });

  const dataSource = new DataSource(dataSourceOptions(url.toString()));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();
}
