import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { QueueName, QueueRegistry } from '@crescendo/platform';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { booted, createTestApp, lateTestApp, type TestApp } from './test-app';
import { waitFor } from './wait-for';

export interface AppWithWorker {
  t: TestApp;
  /** The worker (a Nest application context running every queue), once booted. */
  worker: () => INestApplicationContext;
  /** Waits until every domain event published so far was handled by the worker. */
  eventsDrained: () => Promise<true>;
}

/** useTestApp (test-app.ts), with a real worker beside the API (jobs and domain events run end to end). */
export function useAppWithWorker(): AppWithWorker {
  let app: TestApp | undefined;
  let worker: INestApplicationContext | undefined;
  beforeAll(async () => {
    app = await createTestApp();
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    await worker.init();
  }, 60_000); // an API and a worker to boot (slow on a loaded machine)
  afterAll(async () => {
    await worker?.close();
    await app?.close();
  });
  return {
    t: lateTestApp(() => booted(app)),
    worker: () => booted(worker),
    eventsDrained: () => eventsDrained(booted(worker)),
  };
}

/** Waits until the worker's events queue holds no waiting, active or delayed domain event. */
export function eventsDrained(worker: INestApplicationContext): Promise<true> {
  return waitFor('the events queue to drain', async () => {
    const counts = await worker.get(QueueRegistry).get(QueueName.Events).getJobCounts('waiting', 'active', 'delayed');
    return counts.waiting + counts.active + counts.delayed === 0 ? true : undefined;
  });
}
