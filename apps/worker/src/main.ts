import 'reflect-metadata';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig, ConfigError, loadEnvFile } from '@crescendo/platform';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module';

/** The BullMQ worker: a Nest application context with no HTTP server. */
async function main() {
  loadEnvFile();
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  const config = app.get(AppConfig);
  const logger = new NestLogger('WorkerMain');

  // SIGTERM: stop taking jobs, let running ones finish (worker.close), close pools; give up after the timeout.
  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      logger.log({ signal, timeoutMs: config.env.SHUTDOWN_TIMEOUT_MS }, 'Shutting down');
      setTimeout(() => {
        logger.error('Shutdown timed out; exiting');
        process.exit(1);
      }, config.env.SHUTDOWN_TIMEOUT_MS).unref();
      app.close().then(
        () => process.exit(0),
        (error) => {
          logger.error({ err: error }, 'Shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
