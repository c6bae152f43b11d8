module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // The template tests share assertion helpers named expect<What>().
    'jest/expect-expect': [
      'warn',
      { assertFunctionNames: ['expect', 'expect*'] },
    ],
  },
});
