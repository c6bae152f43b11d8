import { test, expect, type Page } from '@playwright/test';
import { pickEntity, shot, signIn, waitForBackend } from './support';

/*
 * The New AWS environment form previews what Create would make before anything is created: on its last step,
 * "Preview" lists the six stacks, each CREATE with its resources, beside the cost estimate. The preview runs change
 * sets that are deleted, never executed, so previewing twice finds the name still free. The test stops before Create.
 */

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  await waitForBackend();
});

/** The six layers of the reference architecture (its blueprint), one stack each. */
const LAYERS = [
  'network',
  'security',
  'observability',
  'data',
  'compute',
  'edge',
];

async function fillNewEnvironmentForm(page: Page, name: string) {
  await page.goto('/create/templates/default/aws-environment');
  await expect(
    page.getByRole('heading', { name: 'New AWS environment' }).first(),
  ).toBeVisible({ timeout: 120_000 });
  await page.getByRole('textbox', { name: 'Name' }).fill(name);
  await pickEntity(page, 'Owner', 'web', /web/i);
  await page
    .getByRole('combobox', { name: 'AWS account' })
    .selectOption('222222222222');
  await page.getByRole('button', { name: 'Next' }).click();
  const vpc = page.getByRole('textbox', { name: 'VPC range' });
  await expect(vpc).toBeVisible();
  await vpc.fill(`10.${100 + Math.floor(Math.random() * 150)}.0.0/16`);
  // Compute, database and edge keep their defaults.
  for (let step = 0; step < 3; step++) {
    await page.getByRole('button', { name: 'Next' }).click();
  }
  await expect(
    page.getByRole('region', { name: 'Estimated monthly cost' }),
  ).toBeVisible();
  await page.getByLabel('Alert e-mail').fill('web@innovate.example');
  await page.getByLabel('Cost center').fill('CC-1042');
}

for (const viewport of [
  { width: 1280, height: 800 },
  { width: 1440, height: 900 },
]) {
  test(`the New form previews its six stacks and their resources before Create (${viewport.width}x${viewport.height})`, async ({
    page,
  }) => {
    test.setTimeout(300_000);
    await page.setViewportSize(viewport);
    await signIn(page);
    const name = `e2e-pv-${Date.now().toString(36).slice(-5)}`;
    await fillNewEnvironmentForm(page, name);

    const preview = page.getByRole('region', { name: 'Preview' });
    await expect(preview).toBeVisible();
    const dryRun = page.waitForResponse(
      response =>
        new URL(response.url()).pathname === '/api/scaffolder/v2/dry-run',
      { timeout: 120_000 },
    );
    await preview.getByRole('button', { name: 'Preview' }).click();
    expect((await dryRun).status()).toBe(200);

    const headline = preview.getByText(
      /^Create makes 6 stacks with \d+ resources, estimated at \$[\d,]+ per month\.$/,
    );
    await expect(headline).toBeVisible();
    await expect(
      preview.getByText('Nothing is replaced: every resource is new.'),
    ).toBeVisible();
    const counts: number[] = [];
    for (const layer of LAYERS) {
      const stackName = `${name}-${layer}`;
      const heading = preview.getByRole('heading', {
        name: new RegExp(`^${stackName}: CREATE, \\d+ resources$`),
      });
      await expect(heading).toBeVisible();
      const rows = preview
        .getByRole('table', { name: `Resources of ${stackName}` })
        .locator('tbody tr');
      expect(await rows.count()).toBeGreaterThan(0);
      counts.push(await rows.count());
    }
    // The headline's total is the stacks' resources added up.
    const total = counts.reduce((sum, n) => sum + n, 0);
    await expect(
      preview.getByText(
        new RegExp(`^Create makes 6 stacks with ${total} resources`),
      ),
    ).toBeVisible();
    await expect(
      preview
        .getByRole('table', { name: `Resources of ${name}-network` })
        .getByText('AWS::EC2::VPC', { exact: true })
        .first(),
    ).toBeVisible();
    // The preview and the estimate are on the same step, before Create.
    await expect(
      page.getByRole('region', { name: 'Estimated monthly cost' }),
    ).toBeVisible();
    await expect(page.getByRole('button', { name: 'Create' })).toHaveCount(0);
    await preview
      .getByRole('heading', { name: /-network: CREATE/ })
      .scrollIntoViewIfNeeded();
    await shot(page, `create-preview-${viewport.width}x${viewport.height}`);

    // Nothing was left behind: a second preview finds the name still free and the same six new stacks.
    const again = page.waitForResponse(
      response =>
        new URL(response.url()).pathname === '/api/scaffolder/v2/dry-run',
      { timeout: 120_000 },
    );
    await preview.getByRole('button', { name: 'Preview again' }).click();
    expect((await again).status()).toBe(200);
    await expect(preview.getByRole('alert')).toHaveCount(0);
    await expect(
      preview.getByText(
        new RegExp(`^Create makes 6 stacks with ${total} resources`),
      ),
    ).toBeVisible();

    // The preview holds no value of its own: the Review step lists the form, not the preview.
    await page.getByRole('button', { name: 'Review', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Create' })).toBeVisible();
  });
}
