import { screen } from '@testing-library/react';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  mockApis,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { createApiRef, identityApiRef } from '@backstage/core-plugin-api';
import { scaffolderApiRef } from '@backstage/plugin-scaffolder';
import { searchPlugin } from '@backstage/plugin-search';
import { awsEnvironmentsApiRef } from '@internal/plugin-aws-environments';
import { homePage } from './index';

// The page's code is loaded on first render, which takes a few seconds in Jest.
jest.setTimeout(30_000);

/** The search plugin's query API, which the search bar's context reads (APIs are matched by their id). */
const searchApiRef = createApiRef<{ query: () => Promise<unknown> }>({
  id: 'plugin.search.queryservice',
});

describe('home page', () => {
  it('is mounted at / and shows every section with its heading', async () => {
    const tester = createExtensionTester(homePage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/');
    await renderInTestApp(tester.reactElement(), {
      mountedRoutes: { '/search': searchPlugin.routes.root as any },
      apis: [
        [
          awsEnvironmentsApiRef,
          {
            listEnvironments: async () => ({ mode: 'simulated', items: [] }),
          } as any,
        ],
        [searchApiRef, { query: async () => ({ results: [] }) }],
        [scaffolderApiRef, { listTasks: async () => ({ tasks: [] }) } as any],
        [
          identityApiRef,
          mockApis.identity({
            userEntityRef: 'user:default/guest',
            ownershipEntityRefs: ['group:default/platform-team'],
          }),
        ],
      ],
    });
    for (const name of [
      'Search',
      'My environments',
      'Create',
      'Recent tasks',
      'Pending requests',
    ]) {
      expect(
        await screen.findByRole(
          'heading',
          { level: 2, name },
          { timeout: 20_000 },
        ),
      ).toBeInTheDocument();
    }
    expect(
      screen.getByPlaceholderText('Search the catalog and docs'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('Your teams own no environment yet'),
    ).toBeInTheDocument();
  });
});
