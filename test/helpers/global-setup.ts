import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '@jest/types';
import { Client } from 'pg';
import * as tsConfigPaths from 'tsconfig-paths';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/platform/src/database/data-source-options';
import { adminDatabaseUrl, testEnv, workerDatabaseName } from './test-env';

/**
 * Creates this run's database, applies every migration to it, then copies it once per jest worker:
 * spec files in parallel workers never see each other's rows (instance-wide routes, retention sweeps
 * and rollups count everything in their database). Builds the OpenAPI document every spec's answers are checked
 * against once for the run (≈ 1 s per spec file otherwise).
 */
export default async function globalSetup(globalConfig: Config.GlobalConfig): Promise<void> {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const database = `crescendo_test_${runId}`;
  const admin = new Client({ connectionString: adminDatabaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);

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

  const workers = globalConfig.maxWorkers > 1 ? globalConfig.maxWorkers : 1;
  for (let worker = 1; worker <= workers; worker++) {
    await admin.query(`CREATE DATABASE ${workerDatabaseName(database, String(worker))} TEMPLATE ${database}`);
  }
  await admin.end();

  // Preview: the modules and routes without providers, so nothing connects (as `npm run openapi` builds it).
  // Jest's moduleNameMapper does not apply to global setup: the @crescendo/* aliases resolve through tsconfig-paths.
  const { compilerOptions } = await import('../../tsconfig.json');
  tsConfigPaths.register({ baseUrl: join(__dirname, '..', '..'), paths: compilerOptions.paths });
  const { buildOpenApiDocument, createApiApp } = await import('../../apps/api/src/app.factory');
  const app = await createApiApp({ logger: false, preview: true });
  await app.init();
  const documentFile = join(tmpdir(), `crescendo-openapi-${runId}.json`);
  writeFileSync(documentFile, JSON.stringify(buildOpenApiDocument(app)));
  await app.close();
  process.env.TEST_OPENAPI_DOCUMENT = documentFile;
}
