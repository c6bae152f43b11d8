import { test, expect } from '@playwright/test';
import { shot, signIn, waitForBackend } from './support';

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  await waitForBackend();
});

test('the Environments page shows the simulated organization’s environments, and prod shows health, costs and findings', async ({
  page,
}) => {
  await signIn(page);
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Environments' })
    .click();

  await expect(page.getByText('Simulated AWS organization.')).toBeVisible();
  for (const name of ['innovate-dev', 'innovate-staging', 'innovate-prod']) {
    await expect(
      page.getByRole('link', { name: new RegExp(`^${name}\\b`) }),
    ).toBeVisible();
  }
  // Health comes from the scheduled collection shortly after start-up: reload until it is there.
  // In the table: the Health filter above it offers "Healthy" too.
  const table = page.locator('table').first();
  await expect(async () => {
    await page.reload();
    await expect(table.getByText('Healthy').first()).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 120_000, intervals: [2_000, 5_000] });
  await shot(page, '01-environments');

  await page.getByRole('link', { name: /^innovate-prod\b/ }).click();
  await expect(
    page.getByText('Environment health', { exact: true }).first(),
  ).toBeVisible();
  await expect(
    page.getByRole('cell', { name: 'innovate-prod-data', exact: true }),
  ).toBeVisible();
  await expect(page.getByText('Costs', { exact: true }).first()).toBeVisible();
  await expect(
    page.getByText('Month to date', { exact: false }).first(),
  ).toBeVisible();
  // The daily cost chart is drawn (recharts renders one bar rectangle per day and service).
  await expect(page.locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(
    page.getByText('Security findings', { exact: true }).first(),
  ).toBeVisible();
  await expect(page.getByText(/Critical: \d+/).first()).toBeVisible();
  await shot(page, '02-prod-environment');

  // The Infrastructure tab lists the environment's stacks with their resources, template version and account.
  await page.getByRole('link', { name: 'Infrastructure', exact: true }).click();
  await expect(
    page.getByText('AWS account', { exact: true }).first(),
  ).toBeVisible();
  await expect(page.getByText('innovate-prod-compute').first()).toBeVisible();
  // The simulated organization's drifted stack says so, and opens onto its resources.
  await page
    .getByText('innovate-prod-security', { exact: true })
    .first()
    .click();
  await expect(page.getByText('Drifted').first()).toBeVisible();
  await expect(page.getByText('Logical ID').first()).toBeVisible();
  await shot(page, '03-prod-infrastructure');
});

test('a new dev environment is created from the template form and shows up with its health', async ({
  page,
}) => {
  test.setTimeout(480_000);
  const name = `e2e-${Date.now().toString(36).slice(-5)}`;
  await signIn(page);
  await page.goto('/create/templates/default/aws-environment');
  await expect(
    page.getByRole('heading', { name: 'New AWS environment' }).first(),
  ).toBeVisible();

  await page.getByRole('textbox', { name: 'Name' }).fill(name);
  const owner = page.getByRole('textbox', { name: 'Owner' });
  await owner.click();
  await owner.fill('web');
  await page.getByRole('option', { name: /web/i }).first().click();

  // The account picker offers only the configured accounts, with their stage.
  const account = page.getByRole('combobox', { name: 'AWS account' });
  const offered = await account.locator('option').allInnerTexts();
  expect(offered.some(o => o.includes('222222222222'))).toBe(true);
  for (const option of offered) {
    expect(option).toMatch(
      /111111111111|222222222222|333333333333|Choose an account/,
    );
  }
  await account.selectOption('222222222222');
  await shot(page, '04-template-basics');

  // Network and compute: a VPC range of its own (ranges may not overlap within an account); database and edge
  // keep their stage defaults.
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText('Network and compute').first()).toBeVisible();
  const vpcRange = `10.${100 + Math.floor(Math.random() * 150)}.0.0/16`;
  await page.getByRole('textbox', { name: 'VPC range' }).fill(vpcRange);
  for (const step of ['Database', 'Edge']) {
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByText(step).first()).toBeVisible();
  }
  await page.getByRole('button', { name: 'Next' }).click();

  // The cost page shows the estimate of the chosen options before anything is created.
  await expect(page.getByText('Estimated monthly cost').first()).toBeVisible();
  await expect(
    page.getByRole('table', { name: 'Cost estimate by item' }),
  ).toBeVisible();
  await page.getByLabel('Alert e-mail').fill('web@innovate.example');
  await page.getByLabel('Cost center').fill('CC-1042');
  await shot(page, '05-template-cost-estimate');

  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await shot(page, '06-template-review');
  await page.getByRole('button', { name: 'Create' }).click();

  // The task log streams stack events while the six stacks are created in the simulated organization.
  await expect(page).toHaveURL(/\/create\/tasks\//);
  await expect(page.getByText(`${name}-network`).first()).toBeVisible({
    timeout: 120_000,
  });
  await expect(
    page.getByRole('link', { name: 'Open the environment' }),
  ).toBeVisible({
    timeout: 360_000,
  });
  await shot(page, '07-task-completed');

  await page.goto('/aws-environments');
  // Found by the search, whichever page of the list it would be on.
  await page.locator('#environments-search').fill(name);
  const row = page.getByRole('row', { name: new RegExp(name) });
  await expect(row).toBeVisible({ timeout: 60_000 });
  await expect(row.getByText('Healthy')).toBeVisible({ timeout: 120_000 });
  await shot(page, '08-new-environment-in-overview');
});
