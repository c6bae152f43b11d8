import { test, expect } from '@playwright/test';
import { shot, waitForBackend } from './support';

test.beforeAll(async () => {
  await waitForBackend();
});

test('a guest signs in, finds the seeded organisation in the catalog and opens the Create page', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();

  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(
    nav.getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();

  // Sign-in lands on the home page (home.test.ts); the catalog opens on the components the guest's team owns: the
  // portal. All of them include the Innovate web application's API and SPA.
  await nav.getByRole('link', { name: 'Catalog', exact: true }).click();
  await expect(page).toHaveURL(/\/catalog/);
  await expect(
    page.getByRole('link', { name: 'Innovate Developer Portal', exact: true }),
  ).toBeVisible();
  await page.getByRole('menuitem', { name: /^All/ }).click();
  await expect(page.getByRole('link', { name: 'Innovate API' })).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Innovate web client' }),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Innovate Developer Portal', exact: true }),
  ).toBeVisible();
  await shot(page, '01-catalog-components');

  // The system that groups them.
  await page.goto('/catalog?filters[kind]=system&filters[user]=all');
  await expect(
    page.getByRole('link', { name: 'Innovate web application' }),
  ).toBeVisible();
  await shot(page, '02-catalog-systems');

  await page.getByRole('link', { name: 'Innovate web application' }).click();
  await expect(
    page.getByRole('heading', { name: /Innovate web application/ }).first(),
  ).toBeVisible();
  await shot(page, '03-system-page');

  await nav.getByRole('link', { name: 'Create', exact: true }).click();
  await expect(page).toHaveURL(/\/create/);
  await expect(page.getByRole('heading', { name: 'Templates' })).toBeVisible();
  // Templates come from the templates/ folder, which the embedded default registers as a catalog location.
  await expect(page.getByText('New AWS environment').first()).toBeVisible();
  await shot(page, '04-create-page');
});
