import Redis from 'ioredis';
import { rmSync } from 'node:fs';
import { Client } from 'pg';
import { adminDatabaseUrl } from './test-env';

/** Drops this run's databases (the migrated one and each worker's copy), its Redis keys and its OpenAPI document. */
export default async function globalTeardown(): Promise<void> {
  if (process.env.TEST_OPENAPI_DOCUMENT) rmSync(process.env.TEST_OPENAPI_DOCUMENT, { force: true });
  const database = process.env.TEST_DATABASE_NAME;
  if (database && process.env.KEEP_TEST_DATABASE !== '1') {
    const admin = new Client({ connectionString: adminDatabaseUrl });
    await admin.connect();
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $1 || '\\_w%'`,
      [database],
    );
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    await admin.end();
  }
  const prefix = process.env.REDIS_PREFIX;
  if (prefix?.startsWith('crescendo-test-')) {
    const redis = new Redis(process.env.REDIS_URL!);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await redis.quit();
  }
}
