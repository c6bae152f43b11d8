import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { EnvironmentsPage } from './EnvironmentsPage';
import { awsEnvironmentsApiRef } from '../../api/AwsEnvironmentsApi';
import {
  FakeAwsEnvironmentsApi,
  pending,
} from '../../__fixtures__/FakeAwsEnvironmentsApi';
import { makeSeededSummaries } from '../../__fixtures__';
import type { AwsEnvironmentsApi } from '../../api/types';

// material-table renders slowly in jsdom; on a shared CI machine a sort or filter step can pass Jest's 5 s default.
jest.setTimeout(20_000);

function renderPage(api: AwsEnvironmentsApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[awsEnvironmentsApiRef, api]]}>
      <EnvironmentsPage />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

/** Names of the environments in the table, top to bottom. */
function environmentOrder(): string[] {
  const table = screen.getByRole('table');
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map(row => within(row).queryAllByRole('link')[0]?.textContent ?? '')
    .filter(Boolean);
}

describe('EnvironmentsPage', () => {
  it('shows progress while environments load', async () => {
    await renderPage(
      new FakeAwsEnvironmentsApi({ listEnvironments: () => pending() }),
    );
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('says when an environment’s health has not been collected yet, rather than calling it stale', async () => {
    const [first] = makeSeededSummaries();
    await renderPage(
      new FakeAwsEnvironmentsApi({
        listEnvironments: async () => ({
          mode: 'simulated',
          items: [
            {
              ...first,
              health: { verdict: 'unknown', reasons: [], stale: true },
            },
          ],
        }),
      }),
    );
    const row = (await screen.findByRole('link', { name: first.name })).closest(
      'tr',
    )!;
    expect(row).toHaveTextContent('(not collected yet)');
    expect(row).not.toHaveTextContent('(stale)');
  });

  it('lists every environment with its figures, labels the simulated mode and links to the entity page', async () => {
    await renderPage(new FakeAwsEnvironmentsApi());

    expect(
      await screen.findByText('Simulated AWS organization.'),
    ).toBeInTheDocument();
    expect(environmentOrder()).toEqual([
      'innovate-dev',
      'innovate-staging',
      'innovate-prod',
    ]);
    const prodRow = screen
      .getByRole('link', { name: 'innovate-prod' })
      .closest('tr')!;
    expect(within(prodRow).getByText('prod')).toBeInTheDocument();
    expect(prodRow).toHaveTextContent('innovate-prod (333333333333)');
    expect(prodRow).toHaveTextContent('Healthy');
    expect(prodRow).toHaveTextContent('$912');
    expect(prodRow).toHaveTextContent('$1,050 / $1,500');
    expect(prodRow).toHaveTextContent('1 / 4');
    expect(screen.getByRole('link', { name: 'innovate-prod' })).toHaveAttribute(
      'href',
      '/catalog/default/resource/innovate-prod',
    );
    const devRow = screen
      .getByRole('link', { name: 'innovate-dev' })
      .closest('tr')!;
    expect(devRow).toHaveTextContent('1.0.0 available');
    const stagingRow = screen
      .getByRole('link', { name: 'innovate-staging' })
      .closest('tr')!;
    expect(
      within(stagingRow).getByTitle('Forecast over budget'),
    ).toBeInTheDocument();
  });

  it('sorts by month-to-date cost, both ways', async () => {
    await renderPage(new FakeAwsEnvironmentsApi());
    await screen.findByRole('table');

    await userEvent.click(
      screen.getByRole('button', { name: 'Month to date' }),
    );
    expect(environmentOrder()).toEqual([
      'innovate-dev',
      'innovate-staging',
      'innovate-prod',
    ]);

    await userEvent.click(
      screen.getByRole('button', { name: 'Month to date' }),
    );
    expect(environmentOrder()).toEqual([
      'innovate-prod',
      'innovate-staging',
      'innovate-dev',
    ]);
  });

  it('sorts the least healthy environments first', async () => {
    await renderPage(new FakeAwsEnvironmentsApi());
    await screen.findByRole('table');
    await userEvent.click(screen.getByRole('button', { name: 'Health' }));
    expect(environmentOrder()[0]).toBe('innovate-dev');
  });

  it('filters by stage, owner and account', async () => {
    await renderPage(new FakeAwsEnvironmentsApi());
    await screen.findByRole('table');

    await userEvent.selectOptions(screen.getByLabelText('Stage'), 'prod');
    expect(environmentOrder()).toEqual(['innovate-prod']);

    await userEvent.selectOptions(screen.getByLabelText('Stage'), '');
    await userEvent.selectOptions(
      screen.getByLabelText('Account'),
      '222222222222',
    );
    expect(environmentOrder()).toEqual(['innovate-dev', 'innovate-staging']);

    await userEvent.selectOptions(
      screen.getByLabelText('Owner'),
      'group:default/platform-team',
    );
    expect(environmentOrder()).toEqual(['innovate-staging']);

    await userEvent.selectOptions(
      screen.getByLabelText('Account'),
      '333333333333',
    );
    expect(
      screen.getByText('No environment matches these filters.'),
    ).toBeInTheDocument();
  });

  it('does not show the simulated label against real AWS', async () => {
    const api = new FakeAwsEnvironmentsApi();
    api.mode = 'aws';
    await renderPage(api);
    await screen.findByRole('table');
    expect(
      screen.queryByText('Simulated AWS organization.'),
    ).not.toBeInTheDocument();
  });

  it('invites to create an environment when there is none', async () => {
    await renderPage(
      new FakeAwsEnvironmentsApi({
        listEnvironments: async () => ({ mode: 'simulated', items: [] }),
      }),
    );
    expect(await screen.findByText('No environments yet')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Create an environment' }),
    ).toHaveAttribute('href', '/create');
  });

  it('shows the error when the list cannot be read', async () => {
    await renderPage(
      new FakeAwsEnvironmentsApi({
        listEnvironments: () => Promise.reject(new Error('Backend down')),
      }),
    );
    expect(
      await screen.findByRole('heading', { name: /Backend down/ }),
    ).toBeInTheDocument();
  });

  it('keeps the fixture order stable for the other tests', () => {
    expect(makeSeededSummaries().map(s => s.name)).toEqual([
      'innovate-dev',
      'innovate-staging',
      'innovate-prod',
    ]);
  });
});
