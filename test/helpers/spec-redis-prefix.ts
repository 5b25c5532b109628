import { createHash } from 'node:crypto';

// Each spec file gets its own Redis key space (queues, domain events, caches): jobs and events one file
// leaves queued are never taken up by a later file's worker, which slowed those files into timeouts.
const runPrefix = process.env.TEST_REDIS_RUN_PREFIX ?? process.env.REDIS_PREFIX;
if (runPrefix) {
  process.env.TEST_REDIS_RUN_PREFIX = runPrefix;
  const file = createHash('sha1')
    .update(expect.getState().testPath ?? '')
    .digest('hex')
    .slice(0, 10);
  process.env.REDIS_PREFIX = `${runPrefix}-${file}`;
}
