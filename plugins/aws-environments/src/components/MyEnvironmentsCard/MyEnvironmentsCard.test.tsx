import { screen, within } from '@testing-library/react';
import { identityApiRef } from '@backstage/core-plugin-api';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { MyEnvironmentsCard } from './MyEnvironmentsCard';
import { awsEnvironmentsApiRef } from '../../api/AwsEnvironmentsApi';
import {
  FakeAwsEnvironmentsApi,
  environmentListOf,
  pending,
} from '../../__fixtures__/FakeAwsEnvironmentsApi';
import { makeSummary } from '../../__fixtures__';
import type { AwsEnvironmentsApi, EnvironmentListQuery } from '../../api/types';

/** A member of the web team, as the guest of the embedded default is a member of the platform team. */
const webTeamMember = mockApis.identity({
  userEntityRef: 'user:default/aisha.khan',
  ownershipEntityRefs: ['user:default/aisha.khan', 'group:default/web-team'],
});

function renderCard(
  api: AwsEnvironmentsApi,
  identity: typeof webTeamMember = webTeamMember,
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [awsEnvironmentsApiRef, api],
        [identityApiRef, identity],
      ]}
    >
      <MyEnvironmentsCard refreshIntervalMs={null} />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('MyEnvironmentsCard', () => {
  it('shows progress while the environments load', async () => {
    await renderCard(
      new FakeAwsEnvironmentsApi({ listEnvironments: () => pending() }),
    );
    expect(
      screen.getByRole('heading', { name: 'My environments' }),
    ).toBeVisible();
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('lists only the environments of the user’s teams, with health and month-to-date cost, linked to their pages', async () => {
    await renderCard(new FakeAwsEnvironmentsApi());

    const table = await screen.findByRole('table', { name: 'My environments' });
    const rows = within(table).getAllByRole('row').slice(1);
    // innovate-dev and innovate-prod belong to the web team; innovate-staging to the platform team.
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('innovate-dev');
    expect(rows[0]).toHaveTextContent('Degraded');
    expect(rows[0]).toHaveTextContent('$211');
    expect(rows[1]).toHaveTextContent('innovate-prod');
    expect(rows[1]).toHaveTextContent('Healthy');
    expect(rows[1]).toHaveTextContent('$912');
    expect(screen.queryByText('innovate-staging')).not.toBeInTheDocument();

    expect(
      within(rows[1]).getByRole('link', { name: 'innovate-prod' }),
    ).toHaveAttribute('href', '/catalog/default/resource/innovate-prod');
    expect(
      screen.getByRole('link', { name: /All environments/ }),
    ).toHaveAttribute('href', '/aws-environments');
  });

  it('says when costs have not been collected yet instead of showing a zero', async () => {
    await renderCard(
      new FakeAwsEnvironmentsApi({
        listEnvironments: async () =>
          environmentListOf([
            makeSummary({ name: 'innovate-qa', costs: undefined }),
          ]),
      }),
    );
    const row = (
      await screen.findByRole('link', { name: 'innovate-qa' })
    ).closest('tr')!;
    expect(row).toHaveTextContent('Not collected yet');
    expect(row).not.toHaveTextContent('$0');
  });

  it('offers to create an environment when the user’s teams own none', async () => {
    await renderCard(
      new FakeAwsEnvironmentsApi(),
      mockApis.identity({
        userEntityRef: 'user:default/li.wei',
        ownershipEntityRefs: ['user:default/li.wei', 'group:default/data-team'],
      }),
    );
    expect(
      await screen.findByText('Your teams own no environment yet'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Create an environment' }),
    ).toHaveAttribute('href', '/create/templates/default/aws-environment');
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('shows the server’s message when the environments cannot be read', async () => {
    await renderCard(
      new FakeAwsEnvironmentsApi({
        listEnvironments: async () => {
          throw new Error('The insights service is not reachable.');
        },
      }),
    );
    expect(
      await screen.findByText('The insights service is not reachable.'),
    ).toBeInTheDocument();
  });
});

describe('MyEnvironmentsCard with many environments', () => {
  it('asks the server for a small page of the user’s teams’ environments and says how many more there are', async () => {
    const queries: EnvironmentListQuery[] = [];
    const items = Array.from({ length: 14 }, (_, i) =>
      makeSummary({
        name: `web-${String(i).padStart(2, '0')}`,
        entityRef: `resource:default/web-${String(i).padStart(2, '0')}`,
        owner: i < 12 ? 'group:default/web-team' : 'group:default/data-team',
      }),
    );
    await renderCard(
      new FakeAwsEnvironmentsApi({
        listEnvironments: async query => {
          queries.push(query ?? {});
          return environmentListOf(items, query);
        },
      }),
    );
    const table = await screen.findByRole('table', { name: 'My environments' });
    expect(within(table).getAllByRole('row').slice(1)).toHaveLength(10);
    expect(
      screen.getByText(
        '2 more environments of your teams: see All environments.',
      ),
    ).toBeInTheDocument();
    expect(queries).toEqual([
      {
        owner: ['user:default/aisha.khan', 'group:default/web-team'],
        limit: 10,
      },
    ]);
  });
});
