import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { FakeOpenAI } from './fake-openai';
import { createTestApp, ProviderOverride, TestApp } from './test-app';

export interface AiTestBed {
  t: TestApp;
  fake: FakeOpenAI;
  /** Only with `withWorker`. */
  worker?: INestApplicationContext;
  /** Stops the worker, the API and the fake server, and puts the environment back as it was. */
  close: () => Promise<void>;
}

export interface AiTestBedOptions {
  /** AI_PROVIDERS, built over the fake server's address. */
  providers: (fake: FakeOpenAI) => Record<string, unknown>[];
  /** Other variables the spec needs while it runs (quotas…). */
  env?: Record<string, string>;
  overrides?: ProviderOverride[];
  /** Also boot a real worker (jobs run end to end). */
  withWorker?: boolean;
}

/**
 * What every AI spec starts from: a fake OpenAI server, AI_PROVIDERS pointing at it, the API and, when
 * asked, a worker. The variables are read when the apps boot, so they are set first and restored on close.
 */
export async function startAiTestBed(options: AiTestBedOptions): Promise<AiTestBed> {
  const fake = await FakeOpenAI.start();
  const env: Record<string, string> = { ...options.env, AI_PROVIDERS: JSON.stringify(options.providers(fake)) };
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  const restore = () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  let t: TestApp | undefined;
  let worker: INestApplicationContext | undefined;
  const close = async () => {
    await worker?.close();
    await t?.close();
    await fake.close();
    restore();
  };
  try {
    t = await createTestApp(options.overrides);
    if (options.withWorker) worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
  } catch (error) {
    await close();
    throw error;
  }
  return { t, fake, worker, close };
}
