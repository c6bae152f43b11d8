import {
  act,
  cleanup,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import {
  entityPresentationApiRef,
  entityRouteRef,
  type EntityPresentationApi,
  type EntityRefPresentation,
  type EntityRefPresentationSnapshot,
} from '@backstage/plugin-catalog-react';
import { EnvironmentsPage } from './EnvironmentsPage';
import { awsEnvironmentsApiRef } from '../../api/AwsEnvironmentsApi';
import {
  FakeAwsEnvironmentsApi,
  environmentListOf,
  pending,
} from '../../__fixtures__/FakeAwsEnvironmentsApi';
import { makeSeededSummaries, makeSummary } from '../../__fixtures__';
import type { AwsEnvironmentsApi } from '../../api/types';
import type {
  EnvironmentListQuery,
  HealthVerdict,
} from '@internal/plugin-aws-environments-common';

// material-table renders slowly in jsdom; on a shared CI machine a sort or filter step can pass Jest's 5 s default.
jest.setTimeout(20_000);

function renderPage(
  api: AwsEnvironmentsApi,
  refreshIntervalMs?: number,
  presentation?: EntityPresentationApi,
) {
  const page = <EnvironmentsPage refreshIntervalMs={refreshIntervalMs} />;
  return renderInTestApp(
    presentation ? (
      <TestApiProvider
        apis={[
          [awsEnvironmentsApiRef, api],
          [entityPresentationApiRef, presentation],
        ]}
      >
        {page}
      </TestApiProvider>
    ) : (
      <TestApiProvider apis={[[awsEnvironmentsApiRef, api]]}>
        {page}
      </TestApiProvider>
    ),
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

/** Names of the environments in the table, top to bottom. */
function environmentOrder(): string[] {
  // The first table: with more rows than a page, the pagination is a table of its own beneath.
  const [table] = screen.getAllByRole('table');
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
        listEnvironments: async query =>
          environmentListOf(
            [
              {
                ...first,
                health: { verdict: 'unknown', reasons: [], stale: true },
              },
            ],
            query,
          ),
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
    // In name order until a column is sorted.
    expect(environmentOrder()).toEqual([
      'innovate-dev',
      'innovate-prod',
      'innovate-staging',
    ]);
    const prodRow = screen
      .getByRole('link', { name: 'innovate-prod' })
      .closest('tr')!;
    // Stage and Region beneath the environment's name.
    expect(
      within(prodRow).getByText('prod · eu-central-1'),
    ).toBeInTheDocument();
    // The account by its name, with its id on a line of its own beneath.
    const accountCell = within(prodRow).getByText('333333333333').closest('td');
    expect(accountCell).toHaveTextContent(/^innovate-prod\s*333333333333$/);
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

  it('marks each environment whose versions need attention, and nothing where standard support lasts', async () => {
    await renderPage(new FakeAwsEnvironmentsApi());
    await screen.findByRole('table');
    const row = (name: string) =>
      screen.getByRole('link', { name }).closest('tr')!;

    const extended = within(row('innovate-dev')).getByText('Extended support');
    expect(
      within(row('innovate-dev')).getByTitle(
        'Kubernetes 1.33 in extended support (+$365/month); support ends in 244 days',
      ),
    ).toContainElement(extended);
    expect(
      within(row('innovate-staging')).getByText('Support ends in 5 days'),
    ).toBeInTheDocument();
    expect(row('innovate-prod')).not.toHaveTextContent(/support/i);
  });

  it('sorts the least healthy first and, among equally healthy ones, the versions that need attention', async () => {
    const healthy = {
      verdict: 'healthy' as const,
      reasons: [],
      stale: false,
      collectedAt: '2026-11-27T11:55:00.000Z',
    };
    const [dev, staging, prod] = makeSeededSummaries().map(item => ({
      ...item,
      health: healthy,
    }));
    await renderPage(
      new FakeAwsEnvironmentsApi({
        listEnvironments: async query =>
          environmentListOf([prod, staging, dev], query),
      }),
    );
    await screen.findByRole('table');
    await userEvent.click(screen.getByRole('button', { name: 'Health' }));
    expect(environmentOrder()).toEqual([
      'innovate-dev',
      'innovate-staging',
      'innovate-prod',
    ]);
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
    await waitFor(() => expect(environmentOrder()).toEqual(['innovate-prod']));

    await userEvent.selectOptions(screen.getByLabelText('Stage'), '');
    await userEvent.selectOptions(
      screen.getByLabelText('Account'),
      '222222222222',
    );
    await waitFor(() =>
      expect(environmentOrder()).toEqual(['innovate-dev', 'innovate-staging']),
    );

    await userEvent.selectOptions(
      screen.getByLabelText('Owner'),
      'group:default/platform-team',
    );
    await waitFor(() =>
      expect(environmentOrder()).toEqual(['innovate-staging']),
    );
    // Each filter offers the values the other filters leave: the platform team has environments in one account.
    expect(
      within(screen.getByLabelText('Account'))
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual(['All', 'innovate-dev (222222222222)']);

    await userEvent.type(screen.getByLabelText('Search'), 'nothing-like-it');
    await waitFor(
      () =>
        expect(
          screen.getByText('No environment matches these filters.'),
        ).toBeInTheDocument(),
      { timeout: 5_000 },
    );
  });

  it('offers the owners by the display names the table shows, and filters by the owner', async () => {
    const titles: Record<string, string> = {
      'group:default/web-team': 'Web Team',
      'group:default/platform-team': 'Platform Team',
    };
    // As the catalog's presentation API does: the reference at once, the entity's title once read (both as the
    // promise and as an update to whoever shows the snapshot).
    const presentation: EntityPresentationApi = {
      forEntity: entityOrRef => {
        const ref = String(entityOrRef);
        const promise = Promise.resolve({
          entityRef: ref,
          primaryTitle: titles[ref] ?? ref,
        });
        const update$ = {
          subscribe: (observer: {
            next?: (value: EntityRefPresentationSnapshot) => void;
          }) => {
            let open = true;
            promise.then(value => open && observer.next?.(value));
            return {
              closed: false,
              unsubscribe: () => {
                open = false;
              },
            };
          },
        } as unknown as EntityRefPresentation['update$'];
        return {
          snapshot: { entityRef: ref, primaryTitle: ref.split('/').pop()! },
          promise,
          update$,
        };
      },
    };
    await renderPage(new FakeAwsEnvironmentsApi(), undefined, presentation);
    await screen.findByRole('table');

    const owner = screen.getByLabelText('Owner');
    await waitFor(() =>
      expect(
        within(owner)
          .getAllByRole('option')
          .map(o => o.textContent),
      ).toEqual(['All', 'Platform Team', 'Web Team']),
    );
    const stagingRow = screen
      .getByRole('link', { name: 'innovate-staging' })
      .closest('tr')!;
    expect(
      within(stagingRow).getByRole('link', { name: 'Platform Team' }),
    ).toBeInTheDocument();

    await userEvent.selectOptions(owner, 'Platform Team');
    expect(owner).toHaveValue('group:default/platform-team');
    expect(environmentOrder()).toEqual(['innovate-staging']);
  });

  describe('with more environments than a page holds', () => {
    // Fifty rows of material-table take a while to render in jsdom.
    jest.setTimeout(90_000);

    const many = Array.from({ length: 60 }, (_, i) => {
      const name = `env-${String(i).padStart(3, '0')}`;
      return makeSummary({
        name,
        entityRef: `resource:default/${name}`,
        region: i % 4 === 0 ? 'eu-west-1' : 'eu-central-1',
        health: {
          verdict: i % 10 === 0 ? 'down' : 'healthy',
          reasons: [],
          stale: false,
          collectedAt: '2026-11-27T11:55:00.000Z',
        },
      });
    });

    function pagedBackend() {
      const queries: EnvironmentListQuery[] = [];
      const api = new FakeAwsEnvironmentsApi({
        listEnvironments: async query => {
          queries.push(query ?? {});
          return environmentListOf(many, query);
        },
      });
      return { api, queries, last: () => queries[queries.length - 1] };
    }

    it('shows the first page with the total, and asks the server for the next one', async () => {
      const backend = pagedBackend();
      await renderPage(backend.api, 0);
      await screen.findAllByRole('table');

      expect(backend.queries).toEqual([{ limit: 50, offset: 0 }]);
      expect(screen.getByText('Environments (60)')).toBeInTheDocument();
      expect(screen.getByText('60 environments · 6 down')).toBeInTheDocument();
      expect(environmentOrder()).toHaveLength(50);
      expect(environmentOrder()[0]).toBe('env-000');

      await userEvent.click(screen.getAllByLabelText('Next Page')[0]);
      await waitFor(() => expect(environmentOrder()[0]).toBe('env-050'));
      expect(backend.last()).toEqual({ limit: 50, offset: 50 });
      expect(environmentOrder()).toHaveLength(10);
    });

    it('filters by Region and health, searches and sorts on the server, back on the first page', async () => {
      const backend = pagedBackend();
      await renderPage(backend.api, 0);
      await screen.findAllByRole('table');
      await userEvent.click(screen.getAllByLabelText('Next Page')[0]);
      await waitFor(() => expect(environmentOrder()[0]).toBe('env-050'));

      await userEvent.selectOptions(
        screen.getByLabelText('Region'),
        'eu-west-1',
      );
      await waitFor(() => expect(environmentOrder()[0]).toBe('env-000'));
      expect(backend.last()).toEqual({
        limit: 50,
        offset: 0,
        region: ['eu-west-1'],
      });
      expect(screen.getByText('Environments (15)')).toBeInTheDocument();
      // The health filter offers what the Region's environments have.
      expect(
        within(screen.getByLabelText('Health'))
          .getAllByRole('option')
          .map(o => o.textContent),
      ).toEqual(['All', 'Down', 'Healthy']);

      await userEvent.selectOptions(screen.getByLabelText('Health'), 'down');
      await waitFor(() =>
        expect(environmentOrder()).toEqual(['env-000', 'env-020', 'env-040']),
      );

      await userEvent.type(screen.getByLabelText('Search'), 'env-04');
      await waitFor(() => expect(environmentOrder()).toEqual(['env-040']));
      expect(backend.last()).toMatchObject({ q: 'env-04' });

      await userEvent.clear(screen.getByLabelText('Search'));
      await waitFor(() => expect(environmentOrder()).toHaveLength(3));
      await userEvent.click(
        screen.getByRole('button', { name: 'Environment' }),
      );
      await userEvent.click(
        screen.getByRole('button', { name: 'Environment' }),
      );
      await waitFor(() => expect(environmentOrder()[0]).toBe('env-040'));
      expect(backend.last()).toMatchObject({
        orderBy: { field: 'name', order: 'desc' },
      });
    });
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
        listEnvironments: async query => environmentListOf([], query),
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

  describe('while open', () => {
    /** The row of an environment; looked up afresh, since the table renders new rows for new data. */
    function row(name: string) {
      return screen.getByRole('link', { name }).closest('tr')!;
    }

    /** A backend whose answer the test changes, as the scheduled collection would. */
    function changingBackend() {
      const verdicts: Record<string, HealthVerdict> = {};
      let failure: Error | undefined;
      const api = new FakeAwsEnvironmentsApi({
        listEnvironments: jest.fn(async (query?: EnvironmentListQuery) => {
          if (failure) {
            throw failure;
          }
          return environmentListOf(
            makeSeededSummaries().map(item =>
              verdicts[item.name]
                ? {
                    ...item,
                    health: { ...item.health, verdict: verdicts[item.name] },
                  }
                : item,
            ),
            query,
          );
        }),
      });
      return {
        api,
        reads: () => (api.listEnvironments as jest.Mock).mock.calls.length,
        setVerdict: (name: string, verdict: HealthVerdict) => {
          verdicts[name] = verdict;
        },
        fail: (error: Error | undefined) => {
          failure = error;
        },
      };
    }

    // Time passes and events arrive inside an async act(), which also settles the reads they start; the
    // assertions after it need no waiting.
    async function setVisibility(state: DocumentVisibilityState) {
      Object.defineProperty(document, 'visibilityState', {
        configurable: true,
        get: () => state,
      });
      await act(async () => {
        document.dispatchEvent(new Event('visibilitychange'));
      });
    }

    async function letMinutesPass(minutes: number) {
      await act(async () => {
        jest.advanceTimersByTime(minutes * 60_000);
      });
    }

    async function renderOpenPage(
      api: AwsEnvironmentsApi,
      refreshIntervalMs?: number,
    ) {
      await renderPage(api, refreshIntervalMs);
      await act(async () => {});
    }

    beforeEach(() => {
      jest.useFakeTimers({ now: new Date(2026, 10, 27, 9, 5) });
    });

    afterEach(async () => {
      // Unmount while the fake clock is installed, so the page's interval is cleared on the clock that holds it.
      cleanup();
      await setVisibility('visible');
      jest.useRealTimers();
    });

    it('shows a changed health every minute without a reload, keeping the sort and the filter', async () => {
      const backend = changingBackend();
      const user = userEvent.setup({ advanceTimers: jest.advanceTimersByTime });
      await renderOpenPage(backend.api);
      // The time names its zone (whichever the machine running the test is in).
      expect(screen.getByText(/^Updated 09:05 \S+$/)).toBeInTheDocument();

      await user.selectOptions(
        screen.getByLabelText('Owner'),
        'group:default/web-team',
      );
      await user.click(screen.getByRole('button', { name: 'Health' }));
      // Both asked the server again: let its answers arrive.
      await act(async () => {});
      expect(environmentOrder()).toEqual(['innovate-dev', 'innovate-prod']);

      backend.setVerdict('innovate-prod', 'down');
      await letMinutesPass(1);

      expect(row('innovate-prod')).toHaveTextContent('Down');
      expect(environmentOrder()).toEqual(['innovate-prod', 'innovate-dev']);
      expect(screen.getByLabelText('Owner')).toHaveValue(
        'group:default/web-team',
      );
      expect(screen.queryByTestId('progress')).not.toBeInTheDocument();
      expect(screen.getByText(/^Updated 09:06 \S+$/)).toBeInTheDocument();
    });

    it('keeps the last rows and says so when a refresh fails', async () => {
      const backend = changingBackend();
      await renderOpenPage(backend.api);

      backend.fail(new Error('Backend down'));
      await letMinutesPass(1);

      expect(
        screen.getByText(
          /^Could not refresh: Backend down, showing data from 09:05 \S+$/,
        ),
      ).toBeInTheDocument();
      expect(environmentOrder()).toEqual([
        'innovate-dev',
        'innovate-prod',
        'innovate-staging',
      ]);
      expect(row('innovate-prod')).toHaveTextContent('Healthy');
      expect(
        screen.queryByRole('heading', { name: /Backend down/ }),
      ).not.toBeInTheDocument();

      backend.fail(undefined);
      backend.setVerdict('innovate-prod', 'degraded');
      await letMinutesPass(1);

      expect(row('innovate-prod')).toHaveTextContent('Degraded');
      expect(screen.queryByText(/Could not refresh/)).not.toBeInTheDocument();
    });

    it('does not read while the page is hidden, and reads at once when it is shown again', async () => {
      const backend = changingBackend();
      await renderOpenPage(backend.api);
      expect(backend.reads()).toBe(1);

      await setVisibility('hidden');
      backend.setVerdict('innovate-prod', 'down');
      await letMinutesPass(3);
      expect(backend.reads()).toBe(1);
      expect(row('innovate-prod')).toHaveTextContent('Healthy');

      await setVisibility('visible');
      expect(row('innovate-prod')).toHaveTextContent('Down');
      expect(backend.reads()).toBe(2);
    });

    it('waits for the next minute when shown again soon after it last read', async () => {
      const backend = changingBackend();
      await renderOpenPage(backend.api);

      await letMinutesPass(0.5);
      await setVisibility('hidden');
      await setVisibility('visible');
      expect(backend.reads()).toBe(1);

      await letMinutesPass(1);
      expect(backend.reads()).toBe(2);
    });

    it('reads again when asked, and not on a timer when polling is off', async () => {
      const backend = changingBackend();
      await renderOpenPage(backend.api, 0);

      backend.setVerdict('innovate-prod', 'down');
      await letMinutesPass(1);
      expect(row('innovate-prod')).toHaveTextContent('Healthy');

      await act(async () => {
        fireEvent.click(
          screen.getByRole('button', { name: 'Reload environments' }),
        );
      });
      expect(row('innovate-prod')).toHaveTextContent('Down');
    });

    it('recovers by itself from a failed first read', async () => {
      const backend = changingBackend();
      backend.fail(new Error('Backend down'));
      await renderOpenPage(backend.api);
      expect(
        screen.getByRole('heading', { name: /Backend down/ }),
      ).toBeInTheDocument();

      backend.fail(undefined);
      await letMinutesPass(1);

      expect(screen.getByRole('table')).toBeInTheDocument();
      expect(
        screen.queryByRole('heading', { name: /Backend down/ }),
      ).not.toBeInTheDocument();
    });
  });

  it('keeps the fixture order stable for the other tests', () => {
    expect(makeSeededSummaries().map(s => s.name)).toEqual([
      'innovate-dev',
      'innovate-staging',
      'innovate-prod',
    ]);
  });
});
