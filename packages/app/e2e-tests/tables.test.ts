import { test, expect, type Locator, type Page } from '@playwright/test';
import {
  attachConsole,
  recordConsole,
  shot,
  signIn,
  waitForBackend,
} from './support';

test.beforeAll(async () => {
  await waitForBackend();
});

/** A cell whose text does not fit: a word split over two lines, or content wider than the cell. */
interface CellProblem {
  column: string;
  text: string;
  problem: string;
}

/**
 * Measures every header and body cell of the table found by `selector`: a cell is wrong when its content is wider
 * than the cell (`scrollWidth > clientWidth`) or when a word of it lies on more than one line (the word's Range has
 * client rectangles on different lines). Also reports a horizontal scroll around the table.
 */
async function measureTable(page: Page, selector: string) {
  return page
    .locator(selector)
    .first()
    .evaluate((table: HTMLTableElement) => {
      const problems: CellProblem[] = [];
      const headers = Array.from(table.querySelectorAll('thead th')).map(th =>
        (th.textContent ?? '').trim(),
      );
      const cells = Array.from(
        table.querySelectorAll<HTMLTableCellElement>('th, td'),
      );
      for (const cell of cells) {
        if (cell.getClientRects().length === 0) continue;
        const column =
          cell.closest('thead') !== null
            ? `header ${(cell.textContent ?? '').trim()}`
            : headers[cell.cellIndex] ?? `column ${cell.cellIndex}`;
        const text = (cell.textContent ?? '').trim();
        if (cell.scrollWidth > cell.clientWidth + 1) {
          problems.push({
            column,
            text,
            problem: `content ${cell.scrollWidth}px wide in a ${cell.clientWidth}px cell`,
          });
        }
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const value = node.nodeValue ?? '';
          for (const match of value.matchAll(/\S+/g)) {
            const range = document.createRange();
            range.setStart(node, match.index!);
            range.setEnd(node, match.index! + match[0].length);
            const lines = new Set(
              Array.from(range.getClientRects())
                .filter(rect => rect.width > 0 && rect.height > 0)
                .map(rect => Math.round(rect.top + rect.height / 2)),
            );
            if (lines.size > 1) {
              problems.push({
                column,
                text,
                problem: `"${match[0]}" split over ${lines.size} lines`,
              });
            }
          }
        }
      }
      // material-table puts the table in a box that scrolls sideways when the columns are wider than the page.
      let scroller: HTMLElement | null = table.parentElement;
      while (scroller && scroller !== document.body) {
        if (scroller.scrollWidth > scroller.clientWidth + 1) {
          const style = getComputedStyle(scroller);
          if (style.overflowX === 'auto' || style.overflowX === 'scroll') {
            problems.push({
              column: 'table',
              text: '',
              problem: `scrolls sideways: ${scroller.scrollWidth}px of content in ${scroller.clientWidth}px`,
            });
          }
        }
        scroller = scroller.parentElement;
      }
      return {
        problems,
        rows: table.querySelectorAll('tbody tr').length,
        width: Math.round(table.getBoundingClientRect().width),
      };
    });
}

/** The texts of one column of the table, top to bottom, found by its header. */
async function columnTexts(table: Locator, header: string) {
  return table.evaluate((element: HTMLTableElement, title: string) => {
    const index = Array.from(element.querySelectorAll('thead th')).findIndex(
      th => (th.textContent ?? '').trim() === title,
    );
    return Array.from(element.querySelectorAll('tbody tr')).map(row =>
      (row.children[index]?.textContent ?? '').trim(),
    );
  }, header);
}

const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 1440, height: 900 },
];

for (const viewport of VIEWPORTS) {
  const size = `${viewport.width}x${viewport.height}`;

  test.describe(`at ${size}`, () => {
    test.use({ viewport });

    test('the Environments table keeps every word on one line and fits without a sideways scroll', async ({
      page,
    }) => {
      const consoleMessages = recordConsole(page);
      await signIn(page);
      await page
        .getByRole('navigation', { name: 'sidebar nav' })
        .getByRole('link', { name: 'Environments' })
        .click();
      const table = page.locator('table').first();
      await expect(
        table.getByRole('link', { name: /^innovate-prod\b/ }),
      ).toBeVisible();
      // Health comes from the scheduled collection shortly after start-up: reload until it is there.
      await expect(async () => {
        await page.reload();
        await expect(table.getByText('Healthy').first()).toBeVisible({
          timeout: 5_000,
        });
      }).toPass({ timeout: 120_000, intervals: [2_000, 5_000] });

      // "Updated" names the time zone it is told in.
      await expect.soft(page.getByText(/^Updated \d\d:\d\d \S+/)).toBeVisible();

      // The Owner filter offers the owners by the names the table shows, and filters by them.
      const ownerCells = await columnTexts(table, 'Owner');
      const shownOwners = [...new Set(ownerCells.filter(Boolean))].sort();
      const owner = page.getByLabel('Owner', { exact: true });
      const offered = (await owner.locator('option').allInnerTexts())
        .filter(o => o !== 'All')
        .sort();
      expect.soft(offered).toEqual(shownOwners);
      for (const name of offered) {
        expect.soft(name).not.toMatch(/:|\//);
      }

      const measured = await measureTable(page, 'table');
      await shot(page, `environments-${size}`);
      await test.info().attach(`environments-table-${size}`, {
        body: JSON.stringify(measured, null, 2),
        contentType: 'application/json',
      });
      expect(measured.rows).toBeGreaterThanOrEqual(3);
      expect.soft(measured.problems).toEqual([]);

      // The server filters: the rows change once its answer arrives.
      await owner.selectOption({ label: offered[0] });
      await expect
        .poll(async () => [...new Set(await columnTexts(table, 'Owner'))])
        .toEqual([offered[0]]);

      await attachConsole(`console-environments-${size}`, consoleMessages.all());
      expect(
        consoleMessages.ours(/requires all rows to have an unique id/),
      ).toEqual([]);
    });

    test('the catalog table keeps every word on one line and fits without a sideways scroll; its filters still work', async ({
      page,
    }) => {
      const consoleMessages = recordConsole(page);
      await signIn(page);
      await page
        .getByRole('navigation', { name: 'sidebar nav' })
        .getByRole('link', { name: 'Catalog', exact: true })
        .click();
      await expect(page).toHaveURL(/\/catalog/);
      const table = page.locator('table').first();

      // Every component, not only the guest's own: the user filter switches the table.
      await page.getByRole('menuitem', { name: /^All/ }).click();
      await expect(page).toHaveURL(/filters%5Buser%5D=all|filters\[user\]=all/);
      await expect(
        table.getByRole('link', { name: 'Innovate Developer Portal' }),
      ).toBeVisible();
      const components = await measureTable(page, 'table');
      await test.info().attach(`catalog-components-${size}.png`, {
        body: await page.screenshot({ fullPage: true }),
        contentType: 'image/png',
      });
      await test.info().attach(`catalog-components-table-${size}`, {
        body: JSON.stringify(components, null, 2),
        contentType: 'application/json',
      });
      expect(components.rows).toBeGreaterThanOrEqual(3);
      expect.soft(components.problems).toEqual([]);

      // The kind filter: the environments are Resources, with their own columns.
      await page.goto('/catalog?filters%5Bkind%5D=resource&filters%5Buser%5D=all');
      // An environment, by its title; its account is a Resource too.
      await expect(
        table.getByRole('link', { name: 'innovate-prod (prod)', exact: true }),
      ).toBeVisible();
      await expect(
        table.getByRole('link', { name: 'Innovate Developer Portal' }),
      ).toHaveCount(0);
      const resources = await measureTable(page, 'table');
      await test.info().attach(`catalog-resources-${size}.png`, {
        body: await page.screenshot({ fullPage: true }),
        contentType: 'image/png',
      });
      await test.info().attach(`catalog-resources-table-${size}`, {
        body: JSON.stringify(resources, null, 2),
        contentType: 'application/json',
      });
      expect(resources.rows).toBeGreaterThanOrEqual(3);
      expect.soft(resources.problems).toEqual([]);

      await attachConsole(`console-catalog-${size}`, consoleMessages.all());
      expect(consoleMessages.ours()).toEqual([]);
    });
  });
}
