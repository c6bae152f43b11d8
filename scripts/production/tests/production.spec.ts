import { test, expect, type Page } from '@playwright/test';
import fs from 'node:fs';

/**
 * The production backend, started by run.sh from the assembled image contents on app-config.production.yaml,
 * seen from outside: health, API access control, and sign-in through the fake GitHub.
 */
const githubUrl = process.env.PRODUCTION_GITHUB_URL!;
const backendLog = process.env.PRODUCTION_BACKEND_LOG!;
const logLinesAtReady = Number(
  process.env.PRODUCTION_BACKEND_LOG_LINES_AT_READY,
);

/** Chooses who the fake GitHub signs in next. */
async function nextGitHubLogin(login: string) {
  const res = await fetch(
    `${githubUrl}/test/next-login?login=${encodeURIComponent(login)}`,
    { method: 'POST' },
  );
  expect(res.status).toBe(204);
}

/** Clicks the GitHub card's button and waits for the OAuth popup to finish. */
async function signInWithGitHub(page: Page) {
  await page.goto('/');
  const popup = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await (await popup).waitForEvent('close');
}

function sidebarLink(page: Page, name: string) {
  return page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name, exact: true });
}

test('the backend is ready and logged no error while starting', async ({
  request,
}) => {
  const readiness = await request.get('/.backstage/health/v1/readiness');
  expect(readiness.status()).toBe(200);

  const lines = fs
    .readFileSync(backendLog, 'utf8')
    .split('\n')
    .slice(0, logLinesAtReady)
    .filter(Boolean);
  const levelOf = (line: string) => {
    try {
      return String(JSON.parse(line).level);
    } catch {
      // Plain lines come from outside the logger (Node itself, libraries writing to stderr).
      return /\b(error|exception|fatal)\b/i.test(line) ? 'error' : 'plain';
    }
  };
  const errors = lines.filter(line =>
    ['error', 'fatal'].includes(levelOf(line)),
  );
  const warnings = lines.filter(line => levelOf(line) === 'warn');
  for (const warning of new Set(warnings.map(w => JSON.parse(w).message))) {
    test
      .info()
      .annotations.push({ type: 'start-up warning', description: warning });
    console.log(`start-up warning: ${warning}`);
  }
  expect(errors, 'error lines in the backend log before readiness').toEqual([]);
});

test('API calls without a token are refused', async ({ request }) => {
  for (const path of [
    '/api/catalog/entities',
    '/api/scaffolder/v2/tasks',
    '/api/aws-environments/environments',
  ]) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(401);
  }
});

test('the sign-in page offers GitHub and no guest sign-in', async ({
  page,
}) => {
  await page.goto('/');
  await expect(
    page.getByText('Sign in with your GitHub account'),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  // The guest card's title and button (core-components' guest provider).
  await expect(page.getByText('Guest', { exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Enter' })).toHaveCount(0);
  await expect(sidebarLink(page, 'Catalog')).toHaveCount(0);
});

test('a GitHub user with a catalog User signs in as that user', async ({
  page,
}) => {
  // Errors thrown in the production frontend bundle (none are expected on these pages).
  const pageErrors: string[] = [];
  page.on('pageerror', error => pageErrors.push(error.message));
  await nextGitHubLogin('maria.lopez');
  await signInWithGitHub(page);
  await expect(sidebarLink(page, 'Catalog')).toBeVisible();

  // The Backstage identity is the catalog user (display name from catalog/org.yaml, not GitHub's profile name)
  // with the platform team's ownership.
  await page.goto('/settings');
  await expect(page.getByText('maria.lopez on GitHub').first()).toBeVisible();
  const identity = page
    .getByText('Backstage Identity')
    .locator('xpath=ancestor::*[contains(@class, "MuiCard-root")][1]');
  await expect(identity.getByText('Maria Lopez').first()).toBeVisible();
  await expect(identity.getByText('Platform team')).toBeVisible();

  // The session survives a reload (the refresh cookie, exchanged with GitHub's profile again).
  await page.reload();
  await expect(sidebarLink(page, 'Catalog')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in' })).toHaveCount(0);

  // A catalog page loads with the user's token under the permission policy.
  await page.goto('/catalog/default/user/maria.lopez');
  await expect(
    page.getByText('maria.lopez@innovate.example').first(),
  ).toBeVisible();
  await page.goto('/catalog/default/group/platform-team');
  await expect(
    page.getByText('platform@innovate.example').first(),
  ).toBeVisible();
  expect(pageErrors).toEqual([]);
});

test('a GitHub login without a catalog User is refused and gets no session', async ({
  page,
}) => {
  await nextGitHubLogin('octo.stranger');
  await signInWithGitHub(page);
  await expect(
    page.getByText(/Failed to sign-in, unable to resolve user identity/),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expect(sidebarLink(page, 'Catalog')).toHaveCount(0);

  const cookies = await page.context().cookies();
  expect(cookies.map(c => c.name)).not.toContain('github-refresh-token');
  const refresh = await page.request.get(
    '/api/auth/github/refresh?env=production',
    {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    },
  );
  expect(refresh.status()).toBe(401);
});
