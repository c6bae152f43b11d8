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
const e2e = read('e2e/results.json');
if (e2e) {
  passed += e2e.stats.expected + e2e.stats.flaky;
  failed += e2e.stats.unexpected;
  skipped += e2e.stats.skipped;
}
const reportedFailures = failed;
if (Number(failedStages) > 0 && reportedFailures === 0) {
  failed += Number(failedStages);
}
console.log(
  `Jest: ${jestRuns.length ? `${jestPassed} passed, ${jestFailed} failed` : 'no report'}; ` +
    `Playwright: ${e2e ? `${e2e.stats.expected} passed, ${e2e.stats.unexpected} failed` : 'no report'}`,
);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
