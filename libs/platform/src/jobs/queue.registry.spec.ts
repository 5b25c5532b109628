import { Logger } from '@nestjs/common';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { AppConfig, loadEnv } from '../config/config.service';
import { AppException } from '../http/app.exception';
import { EventJobs } from '../events/event.jobs';
import { QueueRegistry } from './queue.registry';

const env = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/unused',
  JWT_SECRET: 'x'.repeat(32),
  SETTINGS_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
  CRON_SECRET: 'y'.repeat(16),
  REDIS_PREFIX: `test-queue-registry-${process.pid}`,
};

// Enqueueing happens inside requests: BullMQ would wait without limit for a Redis that is not there.
describe('QueueRegistry.enqueue without Redis', () => {
  let registry: QueueRegistry;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    server.close();
    await once(server, 'close');
    registry = new QueueRegistry(new AppConfig(loadEnv({ ...env, REDIS_URL: `redis://127.0.0.1:${port}` })));
  });
  afterAll(() => registry.onApplicationShutdown());

  it('answers 503 REDIS_UNAVAILABLE within a few seconds instead of hanging', async () => {
    const started = Date.now();
    const error = await registry
      .enqueue(EventJobs.DispatchDomainEvent, {} as never)
      .then(() => null)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppException);
    expect(error).toMatchObject({ status: 503, code: 'REDIS_UNAVAILABLE', extra: { retryAfter: 5 } });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
