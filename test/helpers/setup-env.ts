import { workerDatabaseName } from './test-env';

// Each worker inherits the run's environment from global-setup and uses its own copy of the migrated
// database; this also guards against running a spec file without it.
const database = process.env.TEST_DATABASE_NAME;
if (!database) {
  throw new Error('Run the tests through jest (npm test): global-setup creates the test database');
}
const url = new URL(process.env.DATABASE_URL!);
url.pathname = `/${workerDatabaseName(database, process.env.JEST_WORKER_ID ?? '1')}`;
process.env.DATABASE_URL = url.toString();
