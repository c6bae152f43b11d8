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

const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 1440, height: 900 },
];

for (const viewport of VIEWPORTS) {
  const size = `${viewport.width}x${viewport.height}`;

  test.describe(`at ${size}`, () => {
    test.use({ viewport });

    test('sign-in lands on the home page with all its sections, a whole sidebar and a working search box', async ({
      page,
    }) => {
      const warnings = collectHomeWarnings(page);
      await signIn(page);
      await expectHomeSections(page);
      await expectSidebarNotClipped(page);
      await shot(page, `home-${size}-01-landing`);

      // The quick links open the templates' forms.
      await page
        .getByRole('list', { name: 'Templates' })
        .getByRole('link', { name: 'Flask REST API' })
        .click();
      await expect(page).toHaveURL(/\/create\/templates\/default\/flask-api$/);
      await expect(
        page.getByRole('heading', { name: 'Flask REST API' }).first(),
      ).toBeVisible();

      // The sidebar's Home item leads back; the search box opens the search page.
      await page
        .getByRole('navigation', { name: 'sidebar nav' })
        .getByRole('link', { name: 'Home', exact: true })
        .click();
      await expectHomeSections(page);
      const search = page.getByPlaceholder('Search the catalog and docs');
      await search.fill('innovate');
      await search.press('Enter');
      await expect(page).toHaveURL(/\/search\?query=innovate/);
      await shot(page, `home-${size}-02-search`);
      expect(warnings).toEqual([]);
    });
  });
}
