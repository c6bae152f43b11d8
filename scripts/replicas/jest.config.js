// The multi-replica test runs on its own (scripts/replicas/run.sh), not in the packages' unit test run: it starts
// PostgreSQL, Redis and three Node processes and takes a few minutes.
module.exports = {
  rootDir: __dirname,
  testMatch: ['<rootDir>/*.test.ts'],
  testEnvironment: 'node',
  transform: {
    '\\.ts$': require.resolve('@backstage/cli/config/jestSwcTransform.js'),
  },
  testTimeout: 300_000,
  maxWorkers: 1,
};
