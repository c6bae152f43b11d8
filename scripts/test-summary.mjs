// Prints the suite's closing line, "N passed, N failed", from the Jest and Playwright JSON reports. A stage that
// failed without reporting test cases (type check, lint) counts as one failed check.
import fs from 'node:fs';
import path from 'node:path';

const [resultsDir, failedStages] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;

const read = file => {
  try {
    return JSON.parse(fs.readFileSync(path.join(resultsDir, file), 'utf8'));
  } catch {
    return undefined;
  }
};

// Jest runs three times: the workspace's packages, the Helm chart and the multi-replica test.
const jestRuns = ['jest.json', 'chart.json', 'replicas.json'].map(read).filter(Boolean);
let jestPassed = 0;
let jestFailed = 0;
for (const run of jestRuns) {
  jestPassed += run.numPassedTests;
  jestFailed += run.numFailedTests + (run.numRuntimeErrorTestSuites ?? 0);
  skipped += run.numPendingTests + run.numTodoTests;
}
passed += jestPassed;
failed += jestFailed;
// Playwright runs twice: the embedded default's end-to-end tests and the production build's smoke test.
const e2e = read('e2e/results.json');
const production = read('production/results.json');
for (const run of [e2e, production].filter(Boolean)) {
  passed += run.stats.expected + run.stats.flaky;
  failed += run.stats.unexpected;
  skipped += run.stats.skipped;
}
const playwright = report =>
  report
    ? `${report.stats.expected + report.stats.flaky} passed, ${report.stats.unexpected} failed`
    : 'no report';
const reportedFailures = failed;
if (Number(failedStages) > 0 && reportedFailures === 0) {
  failed += Number(failedStages);
}
console.log(
  `Jest: ${jestRuns.length ? `${jestPassed} passed, ${jestFailed} failed` : 'no report'}; ` +
    `Playwright: ${playwright(e2e)}; production smoke test: ${playwright(production)}`,
);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
