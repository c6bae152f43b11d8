import { test, expect, type Page } from '@playwright/test';
import {
  accountsReadBy,
  attachConsole,
  pickEntity,
  recordConsole,
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

/** The Review step's table as [label, value] rows, top to bottom. */
async function reviewRows(page: Page): Promise<Array<[string, string]>> {
  return page.locator('table tr').evaluateAll(rows =>
    rows.map(row => {
      const cells = Array.from(row.querySelectorAll('td, th')).map(
        cell => (cell as HTMLElement).innerText.trim(),
      );
      return [cells[0] ?? '', cells[1] ?? ''] as [string, string];
    }),
  );
}

/** Whether the browser's own checks would stop the form (and show its "Please fill out this field." bubble). */
function browserWouldBlock(page: Page) {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('form')).some(form => !form.checkValidity()),
  );
}

for (const viewport of [
  { width: 1280, height: 800 },
  { width: 1440, height: 900 },
]) {
  test(`New AWS environment at ${viewport.width}x${viewport.height}: Next names every problem of the step at once; Review lists the form in its order, in words, with the estimate`, async ({
    page,
  }) => {
    await page.setViewportSize(viewport);
    const consoleMessages = recordConsole(page);
    await signIn(page);
    const accounts = await accountsReadBy(page, () =>
      page.goto('/create/templates/default/aws-environment'),
    );
    const dev = accounts.find(a => a.name === 'innovate-dev') ?? accounts[0];
    const name = page.getByRole('textbox', { name: 'Name' });
    const owner = page.getByRole('textbox', { name: 'Owner', exact: true });
    await expect(name).toBeVisible();

    // A taken name with nothing else filled in: the form's own sentences, all of them, and no browser bubble.
    await name.fill('innovate-dev');
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(
      page.getByText(/innovate-dev already exists.*Update an AWS environment/).first(),
    ).toBeVisible();
    await expect(page.getByText('Choose the team that owns the environment.').first()).toBeVisible();
    await expect(page.getByText('Choose the AWS account the environment runs in.').first()).toBeVisible();
    expect(await browserWouldBlock(page)).toBe(false);
    await expect(page.getByText(/must have required|must match|Please fill out/)).toHaveCount(0);
    await expect(stepHeading(page, 'Environment')).toBeVisible();
    await shot(page, `forms-04-first-next-${viewport.width}`);

    // The owner is shown by the team's name, not its entity ref.
    await pickEntity(page, 'Owner', 'platform', /Platform team/);
    await expect(owner).toHaveValue('Platform team');
    await expect(owner).not.toHaveValue(/group:/);
    await page.getByRole('combobox', { name: 'AWS account' }).selectOption(dev.accountId);
    await expect(page.getByRole('combobox', { name: 'Region' })).toHaveValue(dev.defaultRegion);
    await name.fill(`e2e-${Date.now().toString(36).slice(-5)}`);
    await page.getByRole('button', { name: 'Next' }).click();

    await expect(page.getByRole('textbox', { name: 'VPC range' })).toBeVisible();
    await page.getByRole('button', { name: 'Next' }).click();

    // Database: the DR copy starts on a choice that reads "No copy".
    await expect(stepHeading(page, 'Database')).toBeVisible();
    await expect(
      page.getByRole('button', { name: /^Copy backups to Region \(disaster recovery\)/ }),
    ).toHaveText('No copy');
    await shot(page, `forms-05-database-${viewport.width}`);
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(stepHeading(page, 'Edge')).toBeVisible();
    await page.getByRole('button', { name: 'Next' }).click();

    await expect(stepHeading(page, 'Cost')).toBeVisible();
    await page.getByRole('textbox', { name: 'Alert e-mail' }).fill('platform@innovate.example');
    await page.getByRole('textbox', { name: 'Cost center' }).fill('cc-1042');
    const estimate = page.getByRole('region', { name: 'Estimated monthly cost' });
    await expect(estimate.getByText(/^Prices from/)).toBeVisible();
    const totalText = await estimate.getByRole('row', { name: /^Total/ }).getByRole('cell').last().innerText();
    const total = Number(totalText.replace(/[^0-9.]/g, ''));
    expect(total).toBeGreaterThan(0);
    // exact: the Preview button's name contains "review" too.
    await page.getByRole('button', { name: 'Review', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Create' })).toBeVisible();

    const rows = await reviewRows(page);
    const values = Object.fromEntries(rows);
    expect(rows.map(([label]) => label)).toEqual([
      'Name',
      'Owner',
      'System',
      'Stage',
      'AWS account',
      'Region',
      'Availability Zones',
      'NAT gateways',
      'VPC range',
      'Node capacity',
      'Frontend node type',
      'API node type',
      'Frontend nodes, minimum',
      'Frontend nodes, desired',
      'Frontend nodes, maximum',
      'API nodes, minimum',
      'API nodes, desired',
      'API nodes, maximum',
      'Kubernetes version',
      'Engine',
      'PostgreSQL version',
      'Instance class',
      'Storage (GiB, RDS only)',
      'Multi-AZ standby',
      'Read replica',
      'Automated backup retention (days)',
      'Copy backups to Region (disaster recovery)',
      'AWS WAF with managed rules',
      'Domain name',
      'Route 53 hosted zone id',
      'Monthly budget (USD)',
      'Alert e-mail',
      'Cost center',
      'Estimated monthly cost (USD)',
    ]);
    // The system by its title, not its entity ref.
    expect(values.System).not.toMatch(/system:|\//);
    expect(values).toMatchObject({
      Owner: 'Platform team',
      System: 'Innovate web application',
      'AWS account': `${dev.name} (${dev.accountId})`,
      Region: dev.defaultRegion,
      'NAT gateways': 'One for the VPC (cheaper)',
      'Frontend nodes, minimum': '1',
      'Frontend nodes, maximum': '4',
      'API nodes, desired': '2',
      'Multi-AZ standby': 'No',
      'Read replica': 'No',
      'AWS WAF with managed rules': 'No',
      'Copy backups to Region (disaster recovery)': 'No copy',
      'Cost center': 'cc-1042',
    });
    expect(Number(values['Estimated monthly cost (USD)'])).toBeCloseTo(total, 1);
    await expect(page.getByText(/\u2705|\u274C/)).toHaveCount(0);
    await shot(page, `forms-06-review-${viewport.width}`);
    await attachConsole(`console-new-form-${viewport.width}`, consoleMessages.all());
    expect(consoleMessages.ours()).toEqual([]);
  });
}

test('Teardown: no environment or a confirmation that does not match cannot be submitted, in the form\'s own words; Review names the environment', async ({
  page,
}) => {
  const consoleMessages = recordConsole(page);
  await signIn(page);
  await page.goto('/create/templates/default/aws-environment-teardown');
  await expect(
    page.getByRole('heading', { name: 'Tear down an AWS environment' }).first(),
  ).toBeVisible();

  // Nothing chosen: the form's sentences, not the browser's "Please fill out this field." bubble.
  const environment = page.getByRole('textbox', { name: 'Environment', exact: true });
  await expect(environment).toBeVisible();
  expect(await browserWouldBlock(page)).toBe(false);
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await expect(page.getByText('Choose the environment to tear down.').first()).toBeVisible();
  await expect(page.getByText(/must have required|Please fill out/)).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Create' })).toHaveCount(0);
  await shot(page, 'forms-07-teardown-nothing-chosen');

  await pickEntity(page, 'Environment', 'innovate-dev', /innovate-dev/);
  // The environment by its title, not its entity ref.
  await expect(environment).toHaveValue(/^innovate-dev\b/);
  await expect(page.getByText('Type innovate-dev to confirm.')).toBeVisible();
  const confirm = page.getByRole('textbox', {
    name: "Type the environment's name to confirm",
  });
  await confirm.fill('innovate-prod');
  await page.getByRole('button', { name: 'Review', exact: true }).click();

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
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Create' })).toBeVisible();
  const values = Object.fromEntries(await reviewRows(page));
  expect(values.Environment).toMatch(/^innovate-dev\b/);
  expect(JSON.stringify(values)).not.toMatch(/resource:default/);
  await shot(page, 'forms-08-teardown-review');
  await attachConsole('console-teardown-form', consoleMessages.all());
  expect(consoleMessages.ours()).toEqual([]);
});

/** What each select of the page shows, by its label: the name of the chosen option. */
function shownChoices(page: Page) {
  return page.locator('select').evaluateAll(selects =>
    Object.fromEntries(
      (selects as HTMLSelectElement[]).map(select => [
        (select.labels?.[0]?.textContent ?? select.id).replace(/\s*\*\s*$/, '').trim(),
        select.selectedOptions[0]?.textContent?.trim() ?? '',
      ]),
    ),
  );
}

test('Update: every choice left alone reads "Keep current"; no environment is named in a sentence; Review names the environment', async ({
  page,
}) => {
  const consoleMessages = recordConsole(page);
  await signIn(page);
  await page.goto('/create/templates/default/aws-environment-update');
  await expect(
    page.getByRole('heading', { name: 'Update an AWS environment' }).first(),
  ).toBeVisible();

  const environment = page.getByRole('textbox', { name: 'Environment', exact: true });
  await expect(environment).toBeVisible();
  expect(await shownChoices(page)).toEqual({
    'Availability Zones': 'Keep current',
    'NAT gateways': 'Keep current',
  });

  // Next without an environment: the form's own sentence, no browser bubble.
  expect(await browserWouldBlock(page)).toBe(false);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText('Choose the environment to update.').first()).toBeVisible();
  await expect(page.getByText(/must have required|Please fill out/)).toHaveCount(0);
  await expect(stepHeading(page, 'Environment')).toBeVisible();
  await shot(page, 'forms-09-update-nothing-chosen');

  await pickEntity(page, 'Environment', 'innovate-dev', /innovate-dev/);
  await expect(environment).toHaveValue(/^innovate-dev\b/);
  await page.getByRole('button', { name: 'Next' }).click();

  // Each later step: every choice shows its name, "Keep current" until changed.
  const steps: Array<[string, string[]]> = [
    ['Network and compute', ['Node capacity', 'Frontend node type', 'API node type']],
    ['Database', ['Engine', 'Instance class', 'Multi-AZ standby', 'Read replica', 'Copy backups to Region (disaster recovery)']],
    ['Edge', ['AWS WAF with managed rules']],
  ];
  for (const [title, labels] of steps) {
    await expect(stepHeading(page, title)).toBeVisible();
    const shown = await shownChoices(page);
    for (const label of labels) {
      expect.soft(shown[label], `${title}: ${label}`).toBe('Keep current');
    }
    await shot(page, `forms-10-update-${title.toLowerCase().replace(/\W+/g, '-')}`);
    await page.getByRole('button', { name: 'Next' }).click();
  }
  await expect(stepHeading(page, 'Cost')).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(stepHeading(page, 'Apply')).toBeVisible();
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Create' })).toBeVisible();

  const values = Object.fromEntries(await reviewRows(page));
  expect(values.Environment).toMatch(/^innovate-dev\b/);
  expect(values).toMatchObject({
    'Availability Zones': 'Keep current',
    'NAT gateways': 'Keep current',
    'Node capacity': 'Keep current',
    'Copy backups to Region (disaster recovery)': 'Keep current',
  });
  expect(JSON.stringify(values)).not.toMatch(/resource:default/);
  await shot(page, 'forms-11-update-review');
  await attachConsole('console-update-form', consoleMessages.all());
  expect(consoleMessages.ours()).toEqual([]);
});
