import 'reflect-metadata';
import { ConfigError, loadEnvFile } from '@crescendo/platform';
import { createApiApp } from './app.factory';

async function main() {
  loadEnvFile();
  const app = await createApiApp();
  const { AppConfig } = await import('@crescendo/platform');
  const config = app.get(AppConfig);

  // SIGTERM: stop accepting, let in-flight requests finish, close pools; give up after the timeout.
  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      setTimeout(() => process.exit(1), config.env.SHUTDOWN_TIMEOUT_MS).unref();
      app.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
  await app.listen(config.env.PORT, config.env.HOST);
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
