import { Injectable } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { Job } from 'bullmq';
import { definedJobs, type JobName, ON_JOB } from '@crescendo/platform';

/** A handler gets the payload, and the BullMQ job for progress and attempt counts. */
export type JobHandlerFn = (data: unknown, job: Job) => Promise<unknown> | unknown;

export interface DiscoveredHandler {
  name: JobName;
  /** `ClassName.method`, for messages. */
  source: string;
  handle: JobHandlerFn;
}

export class JobBindingError extends Error {}

/**
 * Binds each job name to exactly one handler. Throws, naming them, when a job some feature defines has no
 * handler, more than one, or a handler is marked with a name no feature defines.
 */
export function bindJobHandlers(
  discovered: DiscoveredHandler[],
  jobNames: readonly JobName[] = definedJobs(),
): Map<JobName, DiscoveredHandler> {
  const byName = new Map<string, DiscoveredHandler[]>();
  for (const handler of discovered) byName.set(handler.name, [...(byName.get(handler.name) ?? []), handler]);

  const problems: string[] = [];
  const missing = jobNames.filter((name) => !byName.has(name));
  if (missing.length) problems.push(`no handler for ${missing.join(', ')}`);
  for (const [name, handlers] of byName) {
    if (handlers.length > 1) {
      problems.push(`${name} has ${handlers.length} handlers (${sources(handlers)})`);
    }
    if (!jobNames.includes(name as JobName)) {
      problems.push(`unknown job ${name} handled by ${sources(handlers)}`);
    }
  }
  if (problems.length) {
    throw new JobBindingError(`Refusing to start the worker: ${problems.join('; ')}`);
  }
  return new Map([...byName].map(([name, [handler]]) => [name as JobName, handler]));
}

const sources = (handlers: DiscoveredHandler[]) =>
  handlers
    .map((h) => h.source)
    .sort()
    .join(', ');

/** Finds every provider method marked @OnJob in the application. */
@Injectable()
export class JobHandlerDiscovery {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  discover(): DiscoveredHandler[] {
    const found: DiscoveredHandler[] = [];
    const seen = new Set<object>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      // A provider exported through several modules is still one instance.
      if (seen.has(instance)) continue;
      seen.add(instance);
      const prototype = Object.getPrototypeOf(instance);
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const fn = prototype[method];
        const name = this.reflector.get<JobName | undefined>(ON_JOB, fn);
        if (!name) continue;
        found.push({
          name,
          source: `${instance.constructor.name}.${method}`,
          handle: (data, job) => (instance[method] as JobHandlerFn).call(instance, data, job),
        });
      }
    }
    return found;
  }
}
