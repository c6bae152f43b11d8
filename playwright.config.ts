import { defineConfig } from '@playwright/test';
import path from 'path';

/**
 * End-to-end tests drive Debian's Chromium (`/usr/bin/chromium`, or CHROMIUM_PATH) against the portal started
 * on the embedded default. A browser download is never needed.
 *
 * Unless PLAYWRIGHT_URL points at a portal that is already running, the portal is started here with a fresh
 * SQLite directory, so each run sees exactly the seeded catalog.
 */
const e2eDataDir =
  process.env.PORTAL_E2E_DATA_DIR ??
  path.resolve(__dirname, 'node_modules/.cache/e2e-data');

export default defineConfig({
  testDir: 'packages/app/e2e-tests',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: [
    ['list'],
    ['json', { outputFile: 'test-results/e2e/results.json' }],
  ],
  outputDir: 'test-results/e2e/artifacts',
  webServer: process.env.PLAYWRIGHT_URL
    ? undefined
    : {
        command: 'bash scripts/e2e-server.sh',
        url: 'http://localhost:3000',
        reuseExistingServer: false,
        timeout: 420_000,
        stdout: 'pipe',
        stderr: 'pipe',
        env: { PORTAL_E2E_DATA_DIR: e2eDataDir },
      },
  use: {
    baseURL: process.env.PLAYWRIGHT_URL ?? 'http://localhost:3000',
    headless: true,
    actionTimeout: 30_000,
    navigationTimeout: 60_000,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
  },
});
