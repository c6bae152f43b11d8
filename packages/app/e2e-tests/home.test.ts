import { test, expect, type Page } from '@playwright/test';
import { shot, signIn, waitForBackend } from './support';

/*
 * The home page a person lands on after signing in, at the two laptop sizes people use most: its sections, a
 * sidebar whose texts are whole, and the way from "My environments" to an environment's page. The second size also
 * creates an environment for the guest's team from the form, which passes through "Pending requests" and
 * "Recent tasks" before it shows under "My environments".
 */

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  await waitForBackend();
});

const SECTIONS = [
  'Search',
  'My environments',
  'Create',
  'Recent tasks',
  'Pending requests',
];

/** React's development warnings the page logged that name one of the home page's own components. */
function collectHomeWarnings(page: Page): string[] {
  const warnings: string[] = [];
  page.on('console', message => {
    const text = message.text();
    if (
      (message.type() === 'error' || message.type() === 'warning') &&
      /Warning:/.test(text) &&
      /HomePage|MyEnvironmentsCard|CreateCard|TasksCard|TaskList|CardMessage|SidebarLogo|NavItem/.test(
        text,
      )
    ) {
      warnings.push(text);
    }
  });
  return warnings;
}

async function expectHomeSections(page: Page) {
  await expect(page).toHaveURL(/\/$/);
  for (const name of SECTIONS) {
    await expect(
      page.getByRole('heading', { level: 2, name, exact: true }),
    ).toBeVisible();
  }
  await expect(
    page.getByPlaceholder('Search the catalog and docs'),
  ).toBeVisible();
  // My environments settles on a table or on its empty state, never on an endless spinner or an error.
  await expect(
    page
      .getByRole('table', { name: 'My environments' })
      .or(page.getByText('Your teams own no environment yet')),
  ).toBeVisible({ timeout: 60_000 });
  await expect(
    page
      .getByRole('list', { name: 'Recent tasks' })
      .or(page.getByText('You have not run a template yet')),
  ).toBeVisible();
  await expect(
    page
      .getByRole('list', { name: 'Pending requests' })
      .or(page.getByText('Nothing pending')),
  ).toBeVisible();
}

/** The word mark and every item title of the open sidebar are shown whole: nothing cut off or ellipsized. */
async function expectSidebarNotClipped(page: Page) {
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(nav.getByRole('link', { name: 'Catalog Graph' })).toBeVisible();

  const logo = await page.getByTestId('sidebar-logo').evaluate(root => {
    // The word mark itself (the link around it is inline and may be narrower than what it holds).
    const mark = root
      .querySelector('a')!
      .firstElementChild!.getBoundingClientRect();
    const drawer = root.parentElement!.getBoundingClientRect();
    return {
      text: root.textContent,
      clipped: root.scrollWidth > root.clientWidth,
      overflowsDrawer: mark.right > drawer.right,
    };
  });
  expect(logo).toEqual({
    text: 'Innovate.developer portal',
    clipped: false,
    overflowsDrawer: false,
  });

  const labels = await nav.locator('a > span').evaluateAll(spans =>
    spans
      .filter(span => span.textContent?.trim())
      .map(span => ({
        text: span.textContent!.trim(),
        clipped: span.scrollWidth > span.clientWidth,
      })),
  );
  expect(labels.map(label => label.text)).toEqual(
    expect.arrayContaining(['Home', 'Catalog', 'Catalog Graph']),
  );
  expect(labels.filter(label => label.clipped)).toEqual([]);
}

test.describe('at 1280 x 800', () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test('sign-in lands on the home page with all its sections, a whole sidebar and a working search box', async ({
    page,
  }) => {
    const warnings = collectHomeWarnings(page);
    await signIn(page);
    await expectHomeSections(page);
    await expectSidebarNotClipped(page);
    await shot(page, 'home-1280-01-landing');

    // The quick links open the templates' forms.
    await page
      .getByRole('list', { name: 'Templates' })
      .getByRole('link', { name: 'Flask REST API' })
      .click();
    await expect(page).toHaveURL(/\/create\/templates\/default\/flask-api$/);
    await expect(
      page.getByRole('heading', { name: 'Flask REST API' }).first(),
    ).toBeVisible();

    // The sidebar's Home item and word mark both lead back; the search box opens the search page.
    await page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Home', exact: true })
      .click();
    await expectHomeSections(page);
    const search = page.getByPlaceholder('Search the catalog and docs');
    await search.fill('innovate');
    await search.press('Enter');
    await expect(page).toHaveURL(/\/search\?query=innovate/);
    await shot(page, 'home-1280-02-search');
    expect(warnings).toEqual([]);
  });
});

test.describe('at 1440 x 900', () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test('an environment created for the guest’s team is pending, then recent, then listed under My environments and opens its page', async ({
    page,
  }) => {
    test.setTimeout(600_000);
    const warnings = collectHomeWarnings(page);
    const name = `home-${Date.now().toString(36).slice(-5)}`;
    await signIn(page);
    await expectHomeSections(page);
    await expectSidebarNotClipped(page);
    await shot(page, 'home-1440-01-landing');

    // Create: the quick link opens the New AWS environment form; the guest's team (Platform team) will own it.
    await page
      .getByRole('list', { name: 'Templates' })
      .getByRole('link', { name: 'New AWS environment' })
      .click();
    await expect(
      page.getByRole('heading', { name: 'New AWS environment' }).first(),
    ).toBeVisible();
    await page.getByRole('textbox', { name: 'Name' }).fill(name);
    const owner = page.getByRole('textbox', { name: 'Owner' });
    await owner.click();
    await owner.fill('platform');
    await page
      .getByRole('option', { name: /platform/i })
      .first()
      .click();
    // The first account the picker offers for a dev environment, whatever app-config lists.
    const account = page.getByRole('combobox', { name: 'AWS account' });
    const accountIds = (await account.locator('option').allInnerTexts())
      .map(option => option.match(/\d{12}/)?.[0])
      .filter((id): id is string => !!id);
    expect(accountIds.length).toBeGreaterThan(0);
    await account.selectOption(accountIds[0]);
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByText('Network and compute').first()).toBeVisible();
    await page
      .getByRole('textbox', { name: 'VPC range' })
      .fill(`10.${100 + Math.floor(Math.random() * 150)}.0.0/16`);
    for (const step of ['Database', 'Edge']) {
      await page.getByRole('button', { name: 'Next' }).click();
      await expect(page.getByText(step).first()).toBeVisible();
    }
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(
      page.getByText('Estimated monthly cost').first(),
    ).toBeVisible();
    await page.getByLabel('Alert e-mail').fill('platform@innovate.example');
    await page.getByLabel('Cost center').fill('CC-1001');
    await page.getByRole('button', { name: 'Review', exact: true }).click();
    await page.getByRole('button', { name: 'Create' }).click();
    await expect(page).toHaveURL(/\/create\/tasks\//);
    const taskPath = new URL(page.url()).pathname;

    // While it runs, the request is pending on the home page and links back to its task.
    await page.goto('/');
    const pending = page.getByRole('list', { name: 'Pending requests' });
    const pendingLink = pending.getByRole('link', {
      name: `New AWS environment: ${name}`,
    });
    await expect(pendingLink).toBeVisible();
    await expect(pendingLink).toHaveAttribute('href', taskPath);
    await expect(
      pending.getByRole('listitem').filter({ hasText: name }),
    ).toContainText(/Running|Waiting to start/);
    await shot(page, 'home-1440-02-pending-request');

    // Once it has finished it leaves Pending requests and shows as completed under Recent tasks.
    const recentTask = page
      .getByRole('list', { name: 'Recent tasks' })
      .getByRole('listitem')
      .filter({ hasText: `New AWS environment: ${name}` });
    await expect(recentTask).toContainText('Completed', {
      timeout: 420_000,
    });
    await expect(pendingLink).toHaveCount(0);

    // The environment shows under My environments with its health and month-to-date cost once it is in the
    // catalog and its insights have been read.
    const row = page
      .getByRole('table', { name: 'My environments' })
      .getByRole('row')
      .filter({ hasText: name });
    await expect(async () => {
      await page.reload();
      await expect(row).toBeVisible({ timeout: 5_000 });
    }).toPass({ timeout: 180_000, intervals: [5_000] });
    await expect(row).toContainText(/Healthy|Degraded|Down|Unknown/);
    await expect(row).toContainText(/\$[\d,]+|Not collected yet/);
    await shot(page, 'home-1440-03-my-environments');

    await row.getByRole('link', { name }).click();
    await expect(page).toHaveURL(
      new RegExp(`/catalog/default/resource/${name}$`),
    );
    await expect(
      page.getByRole('heading', { name: new RegExp(name) }).first(),
    ).toBeVisible();
    await shot(page, 'home-1440-04-environment-page');
    expect(warnings).toEqual([]);
  });
});
