// Each worker inherits the run's environment from global-setup; this only guards against running a
// spec file without it.
if (!process.env.TEST_DATABASE_NAME) {
  throw new Error('Run the tests through jest (npm test): global-setup creates the test database');
}
