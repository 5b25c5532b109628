import { JobName } from '@crescendo/platform';
import { bindJobHandlers, DiscoveredHandler, JobBindingError } from './job-handlers';

const handler = (name: JobName, source: string): DiscoveredHandler => ({ name, source, handle: () => source });

describe('bindJobHandlers (the worker boot check)', () => {
  it('binds every job name to its one handler', () => {
    const bound = bindJobHandlers([
      handler(JobName.Cleanup, 'CleanupHandler.handleCleanup'),
      handler(JobName.CollectMetrics, 'CollectMetricsHandler.handleCollectMetrics'),
    ]);
    expect([...bound.keys()].sort()).toEqual(Object.values(JobName).sort());
    expect(bound.get(JobName.Cleanup)!.handle(undefined)).toBe('CleanupHandler.handleCleanup');
  });

  it('refuses to boot when a job has no handler, naming the job', () => {
    const run = () => bindJobHandlers([handler(JobName.Cleanup, 'CleanupHandler.handleCleanup')]);
    expect(run).toThrow(JobBindingError);
    expect(run).toThrow(`no handler for ${JobName.CollectMetrics}`);
  });

  it('refuses to boot when a job has two handlers, naming both', () => {
    const run = () =>
      bindJobHandlers([
        handler(JobName.Cleanup, 'A.cleanup'),
        handler(JobName.Cleanup, 'B.cleanup'),
        handler(JobName.CollectMetrics, 'C.collect'),
      ]);
    expect(run).toThrow(`${JobName.Cleanup} has 2 handlers (A.cleanup, B.cleanup)`);
  });

  it('refuses a handler marked with a name that is no JobName', () => {
    const run = () =>
      bindJobHandlers([
        handler(JobName.Cleanup, 'A.cleanup'),
        handler(JobName.CollectMetrics, 'C.collect'),
        handler('maintenance.typo' as JobName, 'D.typo'),
      ]);
    expect(run).toThrow('unknown job maintenance.typo handled by D.typo');
  });
});
