import { defineConfig } from '@playwright/test';
import path from 'path';
import embeddedDefault from '../../playwright.config';

/**
 * The production smoke test's browser checks, run by scripts/production/run.sh against the backend it started
 * from the assembled image contents (PLAYWRIGHT_URL); the backend serves the built frontend itself. The browser
 * and its launch arguments are the root playwright.config.ts's.
 */
const repoRoot = path.resolve(__dirname, '../..');

export default defineConfig({
  testDir: path.join(__dirname, 'tests'),
  timeout: 120_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: [
    ['list'],
    [
      'json',
      {
        outputFile: path.join(repoRoot, 'test-results/production/results.json'),
      },
    ],
  ],
  outputDir: path.join(repoRoot, 'test-results/production/artifacts'),
  use: {
    baseURL: process.env.PLAYWRIGHT_URL,
    headless: true,
    actionTimeout: 30_000,
    navigationTimeout: 60_000,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: embeddedDefault.use?.launchOptions,
  },
});
