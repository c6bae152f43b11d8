import { test, expect, type Page } from '@playwright/test';

const BACKEND = process.env.PORTAL_BACKEND_URL ?? 'http://localhost:7007';

/** Waits until the backend reports ready: Playwright's web server check only covers the frontend. */
export async function waitForBackend() {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      const res = await fetch(`${BACKEND}/.backstage/health/v1/readiness`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(`Backend at ${BACKEND} did not become ready in time`);
    }
    await new Promise(r => setTimeout(r, 1000));
  }
}

/** Saves a full-page screenshot as a test artifact. */
export async function shot(page: Page, name: string) {
  await page.screenshot({
    path: test.info().outputPath(`${name}.png`),
    fullPage: true,
  });
}

/** Signs in as the embedded default's guest and waits for the sidebar. */
export async function signIn(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
}
