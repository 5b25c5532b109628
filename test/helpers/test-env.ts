/** Settings every test run uses; the database name and Redis prefix are made unique per run. */
export const testEnv = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
  JWT_ISSUER: 'crescendo',
  JWT_AUDIENCE: 'crescendo-api',
  SETTINGS_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  CRON_SECRET: 'test-cron-secret-0123456789',
  METRICS_TOKEN: 'test-metrics-token-0123456789',
  ADMIN_EMAILS: 'root-admin@crescendo.test,forum-moderator@crescendo.test',
  COOKIE_SECURE: 'false',
  COOKIE_SAMESITE: 'lax',
  TRUST_PROXY: '1',
  CORS_ORIGINS: 'http://localhost:5173',
  APP_URL: 'http://localhost:3000',
  WEB_DIST_DIR: '',
  SMTP_URL: '',
  REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
};

export const adminDatabaseUrl = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The copy of the run's migrated database that jest worker `worker` uses. */
export const workerDatabaseName = (runDatabase: string, worker: string) => `${runDatabase}_w${worker}`;
