import { test, expect, type Page } from '@playwright/test';
import {
  accountsReadBy,
  pickEntity,
  shot,
  signIn,
  waitForBackend,
} from './support';

/*
 * The template forms check what a person types when they press Next (or Review), in sentences: a name an
 * environment has already, the Regions each account allows, a teardown confirmation that does not match.
 * Nothing is created: every test stops before Create.
 */

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  await waitForBackend();
});

function stepHeading(page: Page, title: string) {
  // The stepper marks the active step; its label is the step's title.
  return page.locator('.MuiStepLabel-active', { hasText: title });
}

test('New AWS environment: a taken name keeps the form on its first step and points to the Update template; each account offers only its Regions', async ({
  page,
}) => {
  await signIn(page);
  const accounts = await accountsReadBy(page, () =>
    page.goto('/create/templates/default/aws-environment'),
  );
  expect(accounts.length).toBeGreaterThan(0);
  await expect(
    page.getByRole('heading', { name: 'New AWS environment' }).first(),
  ).toBeVisible();

  // Each account offers exactly its own Regions, and starts on its default one.
  const account = page.getByRole('combobox', { name: 'AWS account' });
  const region = page.getByRole('combobox', { name: 'Region' });
  for (const { accountId, regions, defaultRegion } of accounts) {
    await account.selectOption(accountId);
    await expect
      .poll(() => region.locator('option').evaluateAll(os => os.map(o => (o as HTMLOptionElement).value)))
      .toEqual(regions);
    await expect(region).toHaveValue(defaultRegion);
  }
  // A Region picked in one account goes back to the default when the next account does not allow it.
  const wide = accounts.find(a => a.regions.length > 1);
  const other = wide && accounts.find(a => !a.regions.includes(wide.regions.find(r => r !== wide.defaultRegion)!));
  if (wide && other) {
    const picked = wide.regions.find(r => r !== wide.defaultRegion)!;
    await account.selectOption(wide.accountId);
    await region.selectOption(picked);
    await account.selectOption(other.accountId);
    await expect(region).toHaveValue(other.defaultRegion);
  }
  await shot(page, 'forms-01-regions-follow-the-account');

  // innovate-dev is one of the seeded environments: its name cannot be taken again.
  const dev = accounts.find(a => a.name === 'innovate-dev') ?? accounts[0];
  await account.selectOption(dev.accountId);
  await page.getByRole('textbox', { name: 'Name' }).fill('innovate-dev');
  await pickEntity(page, 'Owner', 'web', /web/i);
  await page.getByRole('button', { name: 'Next' }).click();

  const taken = page
    .getByText(/innovate-dev already exists.*Update an AWS environment/)
    .first();
  await expect(taken).toBeVisible();
  await expect(stepHeading(page, 'Environment')).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Name' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'VPC range' })).toHaveCount(0);
  // No schema wording reaches the page.
  await expect(page.getByText(/must match pattern|subschema|must have required/)).toHaveCount(0);
  await shot(page, 'forms-02-name-taken');

  // A free name moves on to the next step.
  await page
    .getByRole('textbox', { name: 'Name' })
    .fill(`e2e-${Date.now().toString(36).slice(-5)}`);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('textbox', { name: 'VPC range' })).toBeVisible();
});

test('Teardown: a confirmation that does not match the environment cannot be submitted', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/create/templates/default/aws-environment-teardown');
  await expect(
    page.getByRole('heading', { name: 'Tear down an AWS environment' }).first(),
  ).toBeVisible();

  await pickEntity(page, 'Environment', 'innovate-dev', /innovate-dev/);
  await expect(page.getByText('Type innovate-dev to confirm.')).toBeVisible();
  const confirm = page.getByRole('textbox', {
    name: "Type the environment's name to confirm",
  });
  await confirm.fill('innovate-prod');
  await page.getByRole('button', { name: 'Review' }).click();

  await expect(
    page
      .getByText(
        "Type the environment's name, innovate-dev, exactly to confirm the teardown.",
      )
      .first(),
  ).toBeVisible();
  await expect(confirm).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create' })).toHaveCount(0);
  await shot(page, 'forms-03-teardown-mismatch');

  // The exact name reaches the review; the test stops there.
  await confirm.fill('innovate-dev');
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByRole('button', { name: 'Create' })).toBeVisible();
});
