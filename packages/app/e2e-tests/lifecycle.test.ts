import { test, expect, type Page } from '@playwright/test';
import { pickEntity, shot, signIn, waitForBackend } from './support';

/*
 * Versions and their support calendar, as the portal reads them from AWS (here the simulated organization): the
 * Health card and the Environments page say where each environment stands, and the New AWS environment form offers
 * the versions AWS offers, with the extended-support surcharge, and an estimate that names where its prices came
 * from. Every expectation follows what the backend answered the page, not a list copied from the simulation.
 */

test.describe.configure({ mode: 'serial' });
// The Environments page's widest layout the lifecycle chip must fit in.
test.use({ viewport: { width: 1280, height: 900 } });

test.beforeAll(async () => {
  await waitForBackend();
});

interface Summary {
  name: string;
  entityRef: string;
  lifecycle?: { worst: string; daysLeft?: number; summary: string };
}

interface Component {
  kind: 'kubernetes' | 'database';
  version: string;
  phase: string;
  daysLeft?: number;
  extendedSupportMonthly?: number;
}

interface KubernetesVersion {
  version: string;
  phase: string;
}

function pathIs(path: string | RegExp) {
  return (response: { url(): string; request(): { method(): string } }) => {
    const { pathname } = new URL(response.url());
    return (
      response.request().method() === 'GET' &&
      (typeof path === 'string' ? pathname === path : path.test(pathname))
    );
  };
}

/** Opens the Environments page until every environment's health (with its lifecycle) has been collected. */
async function openEnvironments(page: Page): Promise<Summary[]> {
  let items: Summary[] = [];
  await expect(async () => {
    const answer = page.waitForResponse(
      pathIs('/api/aws-environments/environments'),
    );
    await page.goto('/aws-environments');
    items = (await (await answer).json()).items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every(item => item.lifecycle)).toBe(true);
  }).toPass({ timeout: 180_000, intervals: [2_000, 5_000] });
  return items;
}

function usd(amount: number) {
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: 'USD',
    maximumFractionDigits: Number.isInteger(amount) ? 0 : 2,
  }).format(amount);
}

test('the Health card shows every environment’s versions, one is in extended support, and the Environments page marks it', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await signIn(page);
  const items = await openEnvironments(page);

  // The chip of each row follows the environment's lifecycle summary; a row in standard support for long has none.
  for (const item of items) {
    const row = page.getByRole('row', { name: new RegExp(`^${item.name}\\s`) });
    await expect(row).toBeVisible();
    const { worst, daysLeft } = item.lifecycle!;
    const soon = daysLeft !== undefined && daysLeft < 90;
    if (worst === 'standard' && !soon) {
      await expect(
        row.getByText(/Extended support|Support ends in|Unsupported version/),
      ).toHaveCount(0);
    } else {
      const chip = row.getByText(
        /^(Extended support|Support ends in \d+ days?|Support has ended|Unsupported version)$/,
      );
      await expect(chip).toBeVisible();
      // At 1280 px the chip stays on one line and is not cut off, and no word of its cell is split.
      const fits = await chip.evaluate(label => {
        const linesOf = (range: Range) =>
          new Set(
            Array.from(range.getClientRects(), rect => Math.round(rect.top)),
          ).size;
        const whole = document.createRange();
        whole.selectNodeContents(label);
        const split: string[] = [];
        const cell = label.closest('td')!;
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (const word of node.textContent!.matchAll(/\S+/g)) {
            const range = document.createRange();
            range.setStart(node, word.index!);
            range.setEnd(node, word.index! + word[0].length);
            if (linesOf(range) > 1) split.push(word[0]);
          }
        }
        return {
          lines: linesOf(whole),
          cut: label.scrollWidth > label.clientWidth + 1,
          split,
        };
      });
      expect(fits).toEqual({ lines: 1, cut: false, split: [] });
    }
  }
  const extended = items.filter(item => item.lifecycle!.worst === 'extended');
  expect(extended.length).toBeGreaterThan(0);
  await shot(page, 'lifecycle-01-environments');

  // Every environment's Health card lists the versions its health reports, with their support.
  for (const item of items) {
    const name = item.entityRef.split('/').pop()!;
    const health = page.waitForResponse(
      pathIs(
        new RegExp(`/api/aws-environments/environments/[^/]+/${name}/health$`),
      ),
    );
    await page.goto(`/catalog/default/resource/${name}`);
    const components: Component[] = (await (await health).json()).lifecycle
      .components;
    expect(components.some(c => c.kind === 'kubernetes')).toBe(true);
    const versions = page.getByRole('table', { name: 'Versions' });
    await expect(versions).toBeVisible();
    for (const component of components) {
      const row = versions.getByRole('row', {
        name: new RegExp(
          component.kind === 'kubernetes'
            ? 'Kubernetes \\(EKS\\)'
            : 'PostgreSQL',
        ),
      });
      await expect(
        row.getByRole('cell', { name: component.version, exact: true }).first(),
      ).toBeVisible();
      if (component.phase === 'extended') {
        await expect(
          row.getByText(
            component.extendedSupportMonthly
              ? `In extended support (+${usd(
                  component.extendedSupportMonthly,
                )}/month)`
              : 'In extended support',
          ),
        ).toBeVisible();
        if (component.daysLeft !== undefined) {
          await expect(
            row.getByText(/^Support (ends in \d+ days?|has ended)$/),
          ).toBeVisible();
        }
      } else if (component.phase === 'standard') {
        await expect(row.getByText('In standard support')).toBeVisible();
        if (component.daysLeft !== undefined) {
          await expect(
            row.getByText(/^Standard support ends in \d+ days?$/),
          ).toBeVisible();
        }
      }
    }
    if (extended.some(e => e.name === item.name)) {
      await expect(versions.getByText(/In extended support/)).toBeVisible();
      await shot(page, `lifecycle-02-${name}-extended-support`);
    }
  }
});

test('the New AWS environment form offers the Kubernetes versions AWS offers, labels extended support, and the estimate names its prices', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await signIn(page);
  await page.goto('/create/templates/default/aws-environment');
  await expect(
    page.getByRole('heading', { name: 'New AWS environment' }).first(),
  ).toBeVisible();

  await page
    .getByRole('textbox', { name: 'Name' })
    .fill(`e2e-${Date.now().toString(36).slice(-5)}`);
  await pickEntity(page, 'Owner', 'web', /web/i);
  const account = page.getByRole('combobox', { name: 'AWS account' });
  await account.selectOption('222222222222');
  const region = await page
    .getByRole('combobox', { name: 'Region' })
    .inputValue();

  // The Kubernetes picker asks the backend for the versions of the account and Region.
  const answer = page.waitForResponse(
    pathIs('/api/aws-environments/aws-versions'),
  );
  await page.getByRole('button', { name: 'Next' }).click();
  const versions = await (await answer).json();
  expect(versions.region).toBe(region);
  const kubernetes: KubernetesVersion[] = versions.kubernetes;
  const surcharge =
    Math.round(
      (versions.eksPricing.extendedHourly -
        versions.eksPricing.standardHourly) *
        730 *
        100,
    ) / 100;
  const expectedLabels = kubernetes.map(k =>
    k.phase === 'extended'
      ? `${k.version} (extended support, +${usd(surcharge)}/month)`
      : k.version,
  );
  const picker = page.getByRole('combobox', { name: 'Kubernetes version' });
  await expect
    .poll(() => picker.locator('option').allInnerTexts())
    .toEqual(expectedLabels);
  const extendedVersion = kubernetes.find(k => k.phase === 'extended');
  expect(extendedVersion).toBeDefined();
  // Newest first, and the newest in standard support is chosen.
  await expect(picker).toHaveValue(
    kubernetes.find(k => k.phase === 'standard')!.version,
  );
  await expect(
    page.getByText(
      /^Standard support for Kubernetes [\d.]+ ends \d{4}-\d{2}-\d{2}/,
    ),
  ).toBeVisible();
  await shot(page, 'lifecycle-03-kubernetes-versions');

  // A version in extended support says what it costs, and the estimate prices its control plane accordingly.
  await picker.selectOption(extendedVersion!.version);
  await expect(
    page.getByText(
      new RegExp(
        `^Kubernetes ${extendedVersion!.version.replace(
          '.',
          '\\.',
        )} is in extended support`,
      ),
    ),
  ).toBeVisible();
  await page
    .getByRole('textbox', { name: 'VPC range' })
    .fill(`10.${100 + Math.floor(Math.random() * 150)}.0.0/16`);

  await page.getByRole('button', { name: 'Next' }).click();
  const databaseVersion = page.getByRole('combobox', {
    name: 'PostgreSQL version',
  });
  await expect(databaseVersion).toBeVisible();
  await expect
    .poll(
      async () =>
        (
          await databaseVersion.locator('option').allInnerTexts()
        ).length,
    )
    .toBeGreaterThan(1);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('checkbox', { name: /AWS WAF/ })).toBeVisible();

  // The estimate names where its prices came from and when, as the backend answered for the Region.
  const pricesAnswer = page.waitForResponse(
    pathIs(`/api/aws-environments/prices/${region}`),
  );
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(
    page.getByRole('region', { name: 'Estimated monthly cost' }),
  ).toBeVisible();
  const prices = await (await pricesAnswer).json();
  const sources: Record<string, string> = {
    aws: `Prices from the AWS Price List API, read ${prices.asOf}.`,
    simulated: `Prices from the simulated organization, as of ${prices.asOf}.`,
    snapshot: `Prices from the shipped price table of ${prices.asOf}`,
  };
  await expect(page.getByText(sources[prices.source])).toBeVisible();
  await expect(
    page
      .getByRole('table', { name: 'Cost estimate by item' })
      .getByText('EKS control plane (extended support)'),
  ).toBeVisible();
  await shot(page, 'lifecycle-04-cost-estimate-prices');

  // The total reaches the Review step; nothing is created.
  await page.getByLabel('Alert e-mail').fill('web@innovate.example');
  await page.getByLabel('Cost center').fill('CC-1042');
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await expect(page.getByText('Estimated monthly cost (USD)')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create' })).toBeVisible();
  await shot(page, 'lifecycle-05-review');
});

test('a new environment’s cards agree as soon as its task ends, and its teardown takes it off the overview at once', async ({
  page,
}) => {
  test.setTimeout(720_000);
  const name = `e2e-${Date.now().toString(36).slice(-5)}`;
  const layers = [
    'network',
    'security',
    'data',
    'compute',
    'edge',
    'observability',
  ];
  await signIn(page);

  await test.step('create a dev environment through the New form', async () => {
    await page.goto('/create/templates/default/aws-environment');
    await expect(
      page.getByRole('heading', { name: 'New AWS environment' }).first(),
    ).toBeVisible();
    await pickEntity(page, 'Owner', 'web', /web/i);
    await page
      .getByRole('combobox', { name: 'AWS account' })
      .selectOption('222222222222');
    // The name last: picking the owner fills in the fields that follow from it.
    const nameBox = page.getByRole('textbox', { name: 'Name' });
    await nameBox.fill(name);
    await expect(nameBox).toHaveValue(name);
    await page.getByRole('button', { name: 'Next' }).click();
    await page
      .getByRole('textbox', { name: 'VPC range' })
      .fill(`10.${100 + Math.floor(Math.random() * 150)}.0.0/16`);
    // Compute, database and edge keep their defaults.
    for (let step = 0; step < 3; step++) {
      await page.getByRole('button', { name: 'Next' }).click();
    }
    await expect(
      page.getByRole('region', { name: 'Estimated monthly cost' }),
    ).toBeVisible();
    await page.getByLabel('Alert e-mail').fill('web@innovate.example');
    await page.getByLabel('Cost center').fill('CC-1042');
    await page.getByRole('button', { name: 'Review', exact: true }).click();
    await page.getByRole('button', { name: 'Create' }).click();
    await expect(page).toHaveURL(/\/create\/tasks\//);
    await expect(
      page.getByRole('link', { name: 'Open the environment' }),
    ).toBeVisible({ timeout: 480_000 });
    await shot(page, 'lifecycle-05-created');
  });

  await test.step('its page right after the task: six stacks, no stale costs or findings', async () => {
    await page.getByRole('link', { name: 'Open the environment' }).click();
    await expect(page).toHaveURL(
      new RegExp(`/catalog/default/resource/${name}`),
    );
    // The collection that follows registration has run by the time the link appears, or within seconds after.
    const stacks = page.getByRole('table', { name: 'Stacks' });
    await expect(async () => {
      await page.reload();
      await expect(stacks).toBeVisible({ timeout: 5_000 });
      for (const layer of layers) {
        await expect(
          stacks.getByRole('cell', { name: `${name}-${layer}`, exact: true }),
        ).toBeVisible({ timeout: 2_000 });
      }
    }).toPass({ timeout: 30_000, intervals: [1_000, 2_000, 5_000] });
    await expect(stacks.getByRole('row')).toHaveCount(1 + layers.length);
    await expect(
      page.getByText('Security findings', { exact: true }).first(),
    ).toBeVisible();
    await expect(
      page.getByText('Costs', { exact: true }).first(),
    ).toBeVisible();
    // A brand-new environment's costs and findings are collected or waited for, never stale.
    await expect(page.getByText('Stale', { exact: true })).toHaveCount(0);
    await shot(page, 'lifecycle-06-new-environment-cards');
  });

  await test.step('tear it down; the overview no longer lists it', async () => {
    await page.goto('/create/templates/default/aws-environment-teardown');
    await expect(
      page
        .getByRole('heading', { name: 'Tear down an AWS environment' })
        .first(),
    ).toBeVisible();
    await pickEntity(page, 'Environment', name, new RegExp(name));
    await page
      .getByRole('textbox', { name: "Type the environment's name to confirm" })
      .fill(name);
    await page.getByRole('button', { name: 'Review', exact: true }).click();
    await page.getByRole('button', { name: 'Create' }).click();
    await expect(page).toHaveURL(/\/create\/tasks\//);
    await expect(page.getByText(/Deleted, in order/).first()).toBeVisible({
      timeout: 480_000,
    });
    await shot(page, 'lifecycle-07-torn-down');

    await page.goto('/aws-environments');
    await expect(
      page.getByRole('link', { name: /^innovate-dev\b/ }).first(),
    ).toBeVisible({ timeout: 60_000 });
    await expect(
      page.getByRole('row', { name: new RegExp(`\\b${name}\\b`) }),
    ).toHaveCount(0, { timeout: 5_000 });
    await shot(page, 'lifecycle-08-overview-after-teardown');
  });
});
