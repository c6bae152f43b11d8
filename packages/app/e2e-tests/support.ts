import { test, expect, type ConsoleMessage, type Page } from '@playwright/test';

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

/** An AWS account as GET /api/aws-environments/accounts lists it. */
export interface PortalAwsAccount {
  accountId: string;
  name: string;
  regions: string[];
  defaultRegion: string;
}

/**
 * Runs `navigate` and returns the accounts the page itself read from the backend (the account pickers ask for
 * them when a form opens), so that a test follows app-config's `awsEnvironments.accounts` without copying it.
 */
export async function accountsReadBy(
  page: Page,
  navigate: () => Promise<unknown>,
): Promise<PortalAwsAccount[]> {
  // The form's code is loaded on first use, which takes a while on a busy 2-core machine.
  const response = page.waitForResponse(
    res =>
      new URL(res.url()).pathname === '/api/aws-environments/accounts' &&
      res.request().method() === 'GET',
    { timeout: 120_000 },
  );
  await navigate();
  const body = await (await response).json();
  return Array.isArray(body) ? body : body.items;
}

/** Picks an entity in a catalog picker (OwnerPicker, EntityPicker) by typing part of its name. */
export async function pickEntity(
  page: Page,
  label: string,
  typed: string,
  option: RegExp,
) {
  const box = page.getByRole('textbox', { name: label, exact: true });
  await box.click();
  await box.fill(typed);
  await page.getByRole('option', { name: option }).first().click();
}

/** A console warning or error of the page. */
export interface ConsoleEntry {
  type: string;
  text: string;
  url: string;
}

/**
 * The project's own code: its plugins (`plugins/aws-environments*`, by file or chunk name and by their components'
 * names) and the app's modules (`packages/app/src/modules`).
 */
const OUR_CODE =
  /aws-environments|aws_environments|EnvironmentsTable|EnvironmentsOverview|app[/_]src[/_]modules|Environment[A-Z]\w*(Picker|Field|Card|Estimate|Preview)|Aws[A-Z]\w*(Picker|Field)|ReviewDisplayName/;

/**
 * Records the page's console warnings and errors from now on. `ours()` keeps those the project's own code causes:
 * the message, or the component that raised it (the first frame of React's component stack), or the script that
 * logged it names the project's code; `extra` adds messages to count whatever raised them. Warnings that
 * Backstage's or material-table's own components raise (deprecated `defaultProps`, their markup) are not counted;
 * `all()` keeps them for the record.
 */
export function recordConsole(page: Page) {
  const messages: ConsoleEntry[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'warning' || message.type() === 'error') {
      messages.push({
        type: message.type(),
        text: message.text(),
        url: message.location().url,
      });
    }
  });
  const raisedBy = (text: string) =>
    text
      .split(/\n\s+at /)
      .slice(0, 2)
      .join(' ');
  return {
    all: () => messages,
    ours: (extra?: RegExp) =>
      messages.filter(
        m =>
          OUR_CODE.test(`${raisedBy(m.text)} ${m.url}`) ||
          (extra !== undefined && extra.test(m.text)),
      ),
  };
}

/** Attaches the page's console warnings and errors to the test, for the record. */
export async function attachConsole(
  name: string,
  messages: ConsoleEntry[],
) {
  await test.info().attach(name, {
    body: JSON.stringify(messages, null, 2),
    contentType: 'application/json',
  });
}
