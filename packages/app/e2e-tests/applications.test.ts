import { test, expect, type Page } from '@playwright/test';
import { shot, signIn, waitForBackend } from './support';

test.describe.configure({ mode: 'serial' });

// Unique per run: the local repositories outlive the e2e server's fresh SQLite directory.
const name = `orders-api-${Math.random().toString(36).slice(2, 7)}`;
const description = 'Takes and tracks customer orders for the Innovate shop.';

test.beforeAll(async () => {
  await waitForBackend();
});

type StepState = 'completed' | 'failed' | 'processing' | 'skipped' | 'open';

/**
 * The task page's steps as the user sees them: a green check for a completed step, a red mark for a failed one, a
 * spinner for a running one, and no duration under a skipped one. The icon has no accessible state, so its colour
 * class is read (makeStyles names it `...-completed-N` / `...-error-N` on the development server the tests start).
 */
async function taskSteps(page: Page) {
  return page.getByTestId('step-label').evaluateAll(labels =>
    labels.map(label => {
      const icon = label.querySelector('.MuiStepLabel-iconContainer > div');
      const iconClass = icon?.getAttribute('class') ?? '';
      let state: string;
      if (label.querySelector('.MuiCircularProgress-root'))
        state = 'processing';
      else if (/completed/.test(iconClass)) state = 'completed';
      else if (/error/.test(iconClass)) state = 'failed';
      else if (!label.querySelector('.MuiTypography-caption'))
        state = 'skipped';
      else state = 'open';
      const stepName =
        label.querySelector('.MuiStepLabel-labelContainer div')?.textContent ??
        '';
      return { name: stepName.trim(), state: state as StepState };
    }),
  );
}

/** Opens the Flask REST API template from the Create page and fills the whole form up to the review. */
async function fillFlaskApiForm(page: Page, componentName: string) {
  await signIn(page);
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Create', exact: true })
    .click();
  await page
    .locator('.MuiCard-root')
    .filter({ has: page.getByText('Flask REST API', { exact: true }) })
    .getByRole('button', { name: 'Choose' })
    .click();
  await expect(
    page.getByRole('heading', { name: 'Flask REST API' }).first(),
  ).toBeVisible();

  await page.getByRole('textbox', { name: 'Name' }).fill(componentName);
  await page.getByRole('textbox', { name: 'Description' }).fill(description);
  const owner = page.getByRole('textbox', { name: 'Owner' });
  await owner.click();
  await owner.fill('web');
  // Pickers list entities by their title; web-team's is "Web application team".
  await page
    .getByRole('option')
    .filter({ hasText: 'Web application team' })
    .click();
  await expect(owner).toHaveValue(/web-team|Web application team/);
  // The system defaults to innovate-web; the picker shows it pre-selected.
  await expect(page.getByRole('textbox', { name: 'System' })).toHaveValue(
    /innovate-web/,
  );
  await shot(page, '01-flask-api-component');
  await page.getByRole('button', { name: 'Next' }).click();

  // Target environments come from the catalog's aws-environment resources.
  const environments = page.getByRole('textbox', {
    name: 'Target environments',
  });
  const crash = page.getByText('Something Went Wrong');
  await expect(environments.or(crash).first()).toBeVisible();
  await expect(crash, 'the Environments page of the form crashed').toHaveCount(
    0,
  );
  for (const environment of ['innovate-dev', 'innovate-staging']) {
    await environments.click();
    await environments.fill(environment);
    await page
      .getByRole('option')
      .filter({ hasText: new RegExp(`^${environment}\\b`) })
      .click();
    await expect(
      page.locator('.MuiChip-root').filter({ hasText: environment }),
    ).toBeVisible();
  }
  await shot(page, '02-flask-api-environments');
  await page.getByRole('button', { name: 'Next' }).click();

  await page.getByRole('button', { name: /Publish to/ }).click();
  await page
    .getByRole('option', { name: /This portal's local git repositories/ })
    .click();
  await expect(
    page.getByText("This portal's local git repositories").first(),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await expect(page.getByText(componentName).first()).toBeVisible();
}

test('a Flask API created from the browser lands in the catalog with its owner, system and environments', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await fillFlaskApiForm(page, name);
  await shot(page, '03-flask-api-review');
  await page.getByRole('button', { name: 'Create' }).click();

  await expect(page).toHaveURL(/\/create\/tasks\//);
  // The output links appear once the task has finished successfully.
  const openInCatalog = page.getByRole('link', { name: 'Open in catalog' });
  await expect(openInCatalog).toBeVisible({ timeout: 180_000 });
  // On the embedded default the repository is a local git folder.
  await expect(page.getByRole('link', { name: 'Repository' })).toHaveAttribute(
    'href',
    new RegExp(`^file://.*/repositories/${name}$`),
  );
  await expect(page.getByText('Next steps').first()).toBeVisible();

  // Every step the template lists has finished; only the GitHub branch, not taken here, is skipped.
  await expect
    .poll(async () => (await taskSteps(page)).map(step => step.state), {
      timeout: 30_000,
    })
    .not.toContain('processing');
  const steps = await taskSteps(page);
  expect(steps.length).toBeGreaterThanOrEqual(4);
  for (const step of steps) {
    expect(['completed', 'skipped'], `step "${step.name}"`).toContain(
      step.state,
    );
  }
  const completed = steps
    .filter(step => step.state === 'completed')
    .map(step => step.name);
  expect(completed).toContain('Check name, environments and repository');
  expect(completed).toContain('Generate the project');
  expect(completed).toContain('Publish to a local git repository');
  expect(completed).toContain('Register in the catalog');
  await shot(page, '04-flask-api-task-completed');

  await openInCatalog.click();
  await expect(
    page.getByRole('heading', { name: new RegExp(name) }).first(),
  ).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText(description).first()).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Web application team' }).first(),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Innovate web application' }).first(),
  ).toBeVisible();
  // The environments are listed by their title, "<name> (<stage>)".
  const dependsOn = page.getByRole('article').filter({
    has: page.getByRole('heading', { name: 'Depends on resources' }),
  });
  for (const environment of ['innovate-dev', 'innovate-staging']) {
    await expect(
      dependsOn.getByRole('link', { name: new RegExp(`^${environment} \\(`) }),
    ).toBeVisible();
  }
  await expect(dependsOn.getByRole('row')).toHaveCount(3);
  // The relations graph draws the same dependsOn edges.
  const relations = page
    .getByRole('article')
    .filter({ has: page.getByRole('heading', { name: 'Relations' }) });
  await expect(relations.getByText('dependsOn').first()).toBeVisible();
  await expect(relations.getByText('innovate-staging (staging)')).toBeVisible();
  await shot(page, '05-flask-api-component-page');

  // A file location has no browsable source link; the entity inspector shows where the component came from.
  await page.getByRole('button', { name: 'More actions' }).click();
  await page.getByRole('menuitem', { name: 'Inspect entity' }).click();
  await expect(
    page
      .getByRole('dialog')
      .getByText(new RegExp(`repositories/${name}/catalog-info\\.yaml`))
      .first(),
  ).toBeVisible();
  await shot(page, '06-flask-api-source-location');
});

test('creating the same Flask API again fails at the first step and leaves a single component', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await fillFlaskApiForm(page, name);
  await page.getByRole('button', { name: 'Create' }).click();

  await expect(page).toHaveURL(/\/create\/tasks\//);
  await expect(
    page.getByText(new RegExp(`Repository ${name} already exists`)).first(),
  ).toBeVisible({ timeout: 120_000 });
  await expect
    .poll(async () => (await taskSteps(page)).map(step => step.state), {
      timeout: 30_000,
    })
    .not.toContain('processing');
  const steps = await taskSteps(page);
  expect(steps[0]).toEqual({
    name: 'Check name, environments and repository',
    state: 'failed',
  });
  for (const step of steps.slice(1)) {
    expect(step.state, `step "${step.name}"`).not.toBe('completed');
  }
  await expect(page.getByRole('link', { name: 'Open in catalog' })).toHaveCount(
    0,
  );
  // The task log shows the refusal as a sentence: no Node stack frames, no server file paths.
  const shown = await page.locator('body').innerText();
  expect(shown).toContain(`Repository ${name} already exists`);
  expect(shown).not.toMatch(/^\s*at .*:\d+:\d+\)?$/m);
  expect(shown).not.toMatch(/node_modules|\/src\/[\w/]+\.ts\b/);
  await shot(page, '07-flask-api-duplicate-refused');

  await page.goto('/catalog?filters[kind]=component&filters[user]=all');
  await expect(page.getByRole('link', { name: 'Innovate API' })).toBeVisible();
  await expect(page.getByRole('link', { name, exact: true })).toHaveCount(1);
  await shot(page, '08-flask-api-single-component');
});
