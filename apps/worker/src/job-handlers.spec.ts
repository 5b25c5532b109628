import { defineJobs, definedJobs, type JobName, OnJob, QueueName, type TriggeredJob } from '@crescendo/platform';
import { LeadsJobs } from '@crescendo/leads';
import { OperationsJobs } from '@crescendo/operations';
import { bindJobHandlers, DiscoveredHandler, JobBindingError } from './job-handlers';

const handler = (name: JobName, source: string): DiscoveredHandler => ({ name, source, handle: () => source });
// The check is exercised on two names, so the spec does not change each time a job is added.
const names = [OperationsJobs.Cleanup, OperationsJobs.CollectMetrics];

describe('bindJobHandlers (the worker boot check)', () => {
  it('binds every job name to its one handler', () => {
    const bound = bindJobHandlers(
      [
        handler(OperationsJobs.Cleanup, 'CleanupHandler.handleCleanup'),
        handler(OperationsJobs.CollectMetrics, 'CollectMetricsHandler.handleCollectMetrics'),
      ],
      names,
    );
    expect([...bound.keys()].sort()).toEqual([...names].sort());
    expect(bound.get(OperationsJobs.Cleanup)!.handle(undefined, undefined as never)).toBe(
      'CleanupHandler.handleCleanup',
    );
  });

  it('refuses to boot when a job has no handler, naming the job', () => {
    const run = () => bindJobHandlers([handler(OperationsJobs.Cleanup, 'CleanupHandler.handleCleanup')], names);
    expect(run).toThrow(JobBindingError);
    expect(run).toThrow(`no handler for ${OperationsJobs.CollectMetrics}`);
  });

  it('refuses to boot when a job has two handlers, naming both', () => {
    const run = () =>
      bindJobHandlers(
        [
          handler(OperationsJobs.Cleanup, 'A.cleanup'),
          handler(OperationsJobs.Cleanup, 'B.cleanup'),
          handler(OperationsJobs.CollectMetrics, 'C.collect'),
        ],
        names,
      );
    expect(run).toThrow(`${OperationsJobs.Cleanup} has 2 handlers (A.cleanup, B.cleanup)`);
  });

  it('refuses a handler marked with a name that is no JobName', () => {
    const run = () =>
      bindJobHandlers(
        [
          handler(OperationsJobs.Cleanup, 'A.cleanup'),
          handler(OperationsJobs.CollectMetrics, 'C.collect'),
          handler('maintenance.typo' as JobName, 'D.typo'),
        ],
        names,
      );
    expect(run).toThrow('unknown job maintenance.typo handled by D.typo');
  });
});

describe('job definitions (features declare their own jobs)', () => {
  it('knows the jobs of the features loaded, and refuses a name defined twice differently', () => {
    expect(definedJobs()).toEqual(expect.arrayContaining([OperationsJobs.Cleanup, LeadsJobs.ImportLeads]));
    expect(() =>
      defineJobs(OperationsJobs, {
        [OperationsJobs.Cleanup]: { queue: QueueName.Events },
        [OperationsJobs.CollectMetrics]: { queue: QueueName.Events },
      }),
    ).toThrow('Job maintenance.cleanup is defined twice');
  });

  it('ties a handler to its job payload (checked by the compiler: npx tsc)', () => {
    class Handlers {
      @OnJob(OperationsJobs.Cleanup)
      cleanup(data: TriggeredJob) {
        return data.trigger;
      }

      // @ts-expect-error the import job's handler cannot take the cleanup job's payload
      @OnJob(LeadsJobs.ImportLeads)
      importLeads(data: TriggeredJob) {
        return data.trigger;
      }
    }
    expect(new Handlers().cleanup({ trigger: 'manual' })).toBe('manual');
  });
});
