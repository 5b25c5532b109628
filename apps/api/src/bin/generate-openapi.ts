// Writes libs/api-client/openapi.json from the code: boots the API module without listening.
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOpenApiDocument, createApiApp } from '../app.factory';

async function main() {
  // The document depends only on the code, never on the local .env.
  Object.assign(process.env, {
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/crescendo',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    JWT_SECRET: 'openapi-generation-only-openapi-generation-only',
    SETTINGS_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64'),
    CRON_SECRET: 'openapi-generation-only',
    LOG_LEVEL: 'silent',
    WEB_DIST_DIR: '',
  });
  const app = await createApiApp({ logger: false, preview: true });
  await app.init();
  const document = buildOpenApiDocument(app);
  const target = join(__dirname, '..', '..', '..', '..', 'libs', 'api-client', 'openapi.json');
  writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
  await app.close();
  console.log(`OpenAPI document written to ${target} (${Object.keys(document.paths).length} paths)`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
