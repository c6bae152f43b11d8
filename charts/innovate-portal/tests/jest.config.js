// The chart test runs outside the packages' unit test run (the chart is not a yarn workspace):
//   node node_modules/.bin/jest --config charts/innovate-portal/tests/jest.config.js
module.exports = {
  rootDir: __dirname,
  testMatch: ['<rootDir>/*.test.ts'],
  testEnvironment: 'node',
  transform: {
    '\\.ts$': require.resolve('@backstage/cli/config/jestSwcTransform.js'),
  },
};
