/** Queues: the mechanism's own list (a worker per queue). Which jobs run on which queue, each feature says. */
export enum QueueName {
  Maintenance = 'maintenance',
  Events = 'events',
  Automation = 'automation',
  Webhooks = 'webhooks',
  Imports = 'imports',
  Exports = 'exports',
  Agents = 'agents',
  Ai = 'ai',
  /** Media work of the studio (ffmpeg compositions): long, CPU-bound, kept off the other queues. */
  Studio = 'studio',
}

/**
 * Every job's payload, by job name: the contract between the API (producer) and the worker (consumer). Empty
 * here; each feature adds its own jobs by declaration merging, beside their names and definitions:
 *
 *   export const LeadsJobs = { ImportLeads: 'leads.import' } as const;
 *   declare module '@crescendo/platform' {
 *     interface JobPayloads { [LeadsJobs.ImportLeads]: ImportLeadsPayload }
 *   }
 *   defineJobs(LeadsJobs, { [LeadsJobs.ImportLeads]: { queue: QueueName.Imports } });
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface JobPayloads {}

export type JobName = keyof JobPayloads & string;

/** The payload of a maintenance job: queued by its schedule, or by hand (an operator, a test). */
export interface TriggeredJob {
  trigger: 'schedule' | 'manual';
}

/** Where a job runs, and the cron schedule (UTC) of a job the worker queues for itself. */
export interface JobDefinition<N extends JobName> {
  queue: QueueName;
  schedule?: { pattern: string; data: JobPayloads[N] };
}

export interface JobSchedule<N extends JobName = JobName> {
  name: N;
  pattern: string;
  data: JobPayloads[N];
}

const definitions = new Map<string, JobDefinition<JobName>>();

/**
 * Registers a feature's jobs when its module loads: every name in `names` must have its definition (the
 * compiler checks it), and a name defined twice is refused. The worker then refuses to start unless each
 * registered job has exactly one @OnJob handler.
 */
export function defineJobs<const Names extends Record<string, JobName>>(
  names: Names,
  jobs: { [N in Names[keyof Names]]: JobDefinition<N> },
): void {
  for (const name of Object.values(names)) {
    const definition = (jobs as Record<string, JobDefinition<JobName>>)[name];
    const known = definitions.get(name);
    if (known && known !== definition) throw new Error(`Job ${name} is defined twice`);
    definitions.set(name, definition);
  }
}

/** The names of every job defined so far (every job of the features loaded). */
export function definedJobs(): JobName[] {
  return [...definitions.keys()] as JobName[];
}

/** The queue of a job; throws for a name no loaded feature defines. */
export function jobQueue(name: JobName): QueueName {
  const definition = definitions.get(name);
  if (!definition) throw new Error(`Unknown job ${name}: no loaded feature defines it`);
  return definition.queue;
}

/** Repeatable work the worker schedules for itself (cron syntax, UTC). */
export function jobSchedules(): JobSchedule[] {
  return [...definitions].flatMap(([name, { schedule }]) =>
    schedule ? [{ name: name as JobName, pattern: schedule.pattern, data: schedule.data }] : [],
  );
}
