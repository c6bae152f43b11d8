// The chart test runs outside the packages' unit test run (the chart is not a yarn workspace):
//   node node_modules/.bin/jest --config charts/innovate-portal/tests/jest.config.js
// kubernetes-models and the packages it imports are published as ES modules only; Jest loads CommonJS, so they are
// resolved through their "import" exports (see resolver.js) and compiled to CommonJS by the test's SWC transform.
const swcTransform = require.resolve(
  '@backstage/cli/config/jestSwcTransform.js',
);

module.exports = {
  rootDir: __dirname,
  testMatch: ['<rootDir>/*.test.ts'],
  testEnvironment: 'node',
  resolver: require.resolve('./resolver.js'),
  transform: {
    '\\.ts$': [swcTransform, { jsc: { parser: { syntax: 'typescript' } } }],
    '\\.js$': [swcTransform, { jsc: { parser: { syntax: 'ecmascript' } } }],
  },
  transformIgnorePatterns: [
    '/node_modules/(?!(@kubernetes-models|kubernetes-models|is-cidr|cidr-regex|ip-regex)/)',
  ],
  // helm runs once per case; a render takes a fraction of a second, the first call also unpacks helm.
  testTimeout: 60_000,
};
