import { JobName } from '@crescendo/platform';
import { bindJobHandlers, DiscoveredHandler, JobBindingError } from './job-handlers';

const handler = (name: JobName, source: string): DiscoveredHandler => ({ name, source, handle: () => source });
// The check is exercised on two names, so the spec does not change each time a job is added.
const names = [JobName.Cleanup, JobName.CollectMetrics];

describe('bindJobHandlers (the worker boot check)', () => {
  it('binds every job name to its one handler', () => {
    const bound = bindJobHandlers(
      [
        handler(JobName.Cleanup, 'CleanupHandler.handleCleanup'),
        handler(JobName.CollectMetrics, 'CollectMetricsHandler.handleCollectMetrics'),
      ],
      names,
    );
    expect([...bound.keys()].sort()).toEqual([...names].sort());
    expect(bound.get(JobName.Cleanup)!.handle(undefined, undefined as never)).toBe('CleanupHandler.handleCleanup');
  });

  it('refuses to boot when a job has no handler, naming the job', () => {
    const run = () => bindJobHandlers([handler(JobName.Cleanup, 'CleanupHandler.handleCleanup')], names);
    expect(run).toThrow(JobBindingError);
    expect(run).toThrow(`no handler for ${JobName.CollectMetrics}`);
  });

  it('refuses to boot when a job has two handlers, naming both', () => {
    const run = () =>
      bindJobHandlers(
        [
          handler(JobName.Cleanup, 'A.cleanup'),
          handler(JobName.Cleanup, 'B.cleanup'),
          handler(JobName.CollectMetrics, 'C.collect'),
        ],
        names,
      );
    expect(run).toThrow(`${JobName.Cleanup} has 2 handlers (A.cleanup, B.cleanup)`);
  });

  it('refuses a handler marked with a name that is no JobName', () => {
    const run = () =>
      bindJobHandlers(
        [
          handler(JobName.Cleanup, 'A.cleanup'),
          handler(JobName.CollectMetrics, 'C.collect'),
          handler('maintenance.typo' as JobName, 'D.typo'),
        ],
        names,
      );
    expect(run).toThrow('unknown job maintenance.typo handled by D.typo');
  });
});
