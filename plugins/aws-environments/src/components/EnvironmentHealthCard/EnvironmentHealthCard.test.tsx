import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import type { ReactElement } from 'react';
import userEvent from '@testing-library/user-event';
import { ResponseError } from '@backstage/errors';
import { EnvironmentHealthCard } from './EnvironmentHealthCard';
import {
  FakeAwsEnvironmentsApi,
  pending,
} from '../../__fixtures__/FakeAwsEnvironmentsApi';
import { renderForEntity } from '../../__testUtils__/renderForEntity';
import type { AwsEnvironmentsApi } from '../../api/types';
import {
  makeDatabaseLifecycle,
  makeEnvironmentEntity,
  makeExtendedKubernetesLifecycle,
  makeHealth,
  makeKubernetesLifecycle,
  makeLifecycle,
} from '../../__fixtures__';
import { lightTheme } from '@backstage/theme';
import {
  ANNOTATION_ACCOUNT_ID,
  type EnvironmentHealth,
} from '@internal/plugin-aws-environments-common';

describe('EnvironmentHealthCard', () => {
  it('shows progress while the health is loading', async () => {
    await renderForEntity(
      <EnvironmentHealthCard />,
      new FakeAwsEnvironmentsApi({ getHealth: () => pending() }),
    );
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the verdict, stacks, cluster, database and the time of the data', async () => {
    await renderForEntity(
      <EnvironmentHealthCard />,
      new FakeAwsEnvironmentsApi(),
    );

    expect(await screen.findByText('Healthy')).toBeInTheDocument();
    const stacks = screen.getByRole('table', { name: 'Stacks' });
    expect(within(stacks).getAllByRole('row')).toHaveLength(7);
    expect(
      within(stacks).getByText('innovate-prod-network'),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('region', { name: 'Kubernetes' })).getByText(
        /innovate-prod-eks/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Node groups')).toHaveTextContent('frontend');
    expect(
      within(screen.getByRole('region', { name: 'Database' })).getByText(
        /innovate-prod-database/,
      ),
    ).toHaveTextContent('Multi-AZ');
    expect(
      screen.getByText(/No alarm is firing \(2 watched\)/),
    ).toBeInTheDocument();
    expect(screen.getByText(/As of/)).toBeInTheDocument();
    expect(screen.queryByText('Stale')).not.toBeInTheDocument();
    expect(screen.getByText('Simulated AWS')).toBeInTheDocument();
  });

  function versionRow(component: string) {
    const table = screen.getByRole('table', { name: 'Versions' });
    return within(table).getByText(component).closest('tr')!;
  }

  it("lists each part's version with the end of its support", async () => {
    await renderForEntity(
      <EnvironmentHealthCard />,
      new FakeAwsEnvironmentsApi(),
    );

    await screen.findByText('Healthy');
    const kubernetes = versionRow('Kubernetes (EKS)');
    expect(kubernetes).toHaveTextContent('innovate-prod-eks');
    expect(kubernetes).toHaveTextContent('1.35');
    expect(kubernetes).toHaveTextContent('2027-03-27');
    expect(kubernetes).toHaveTextContent('extended support until 2028-03-27');
    expect(kubernetes).toHaveTextContent('In standard support');
    expect(
      within(kubernetes).getByText('Standard support ends in 120 days'),
    ).not.toHaveStyle({
      color: lightTheme.palette.warning.dark,
    });
    const database = versionRow('RDS for PostgreSQL');
    expect(database).toHaveTextContent('innovate-prod-database');
    expect(database).toHaveTextContent('17.6');
    expect(database).toHaveTextContent('2030-02-28');
    expect(screen.queryByText(/Extended support adds/)).not.toBeInTheDocument();
  });

  it('says what extended support costs and how long it lasts', async () => {
    await renderForEntity(
      <EnvironmentHealthCard />,
      new FakeAwsEnvironmentsApi({
        getHealth: async () =>
          makeHealth({
            lifecycle: makeLifecycle('innovate-prod', [
              makeExtendedKubernetesLifecycle(),
              makeDatabaseLifecycle(),
            ]),
          }),
      }),
    );

    await screen.findByText('Healthy');
    const kubernetes = versionRow('Kubernetes (EKS)');
    expect(kubernetes).toHaveTextContent('1.33');
    expect(kubernetes).toHaveTextContent('In extended support (+$365/month)');
    expect(kubernetes).toHaveTextContent('2027-07-29');
    expect(kubernetes).toHaveTextContent('standard support ended 2026-07-29');
    expect(kubernetes).toHaveTextContent('Support ends in 244 days');
    expect(
      screen.getByText(
        /^Extended support adds \$365 per month to this environment's bill/,
      ),
    ).toBeInTheDocument();
  });

  it('shows support ending within 90 days in the warning colour', async () => {
    await renderForEntity(
      <EnvironmentHealthCard />,
      new FakeAwsEnvironmentsApi({
        getHealth: async () =>
          makeHealth({
            lifecycle: makeLifecycle('innovate-prod', [
              makeKubernetesLifecycle({
                version: '1.34',
                endOfStandardSupport: '2027-01-15',
                daysLeft: 49,
              }),
              makeDatabaseLifecycle(),
            ]),
          }),
      }),
    );

    await screen.findByText('Healthy');
    expect(
      within(versionRow('Kubernetes (EKS)')).getByText(
        'Standard support ends in 49 days',
      ),
    ).toHaveStyle({
      color: lightTheme.palette.warning.dark,
    });
    expect(
      within(versionRow('RDS for PostgreSQL')).getByText(
        'Standard support ends in 1189 days',
      ),
    ).not.toHaveStyle({
      color: lightTheme.palette.warning.dark,
    });
  });

  it('shows the versions without dates when the backend reports no lifecycle', async () => {
    await renderForEntity(
      <EnvironmentHealthCard />,
      new FakeAwsEnvironmentsApi({
        getHealth: async () => makeHealth({ lifecycle: undefined }),
      }),
    );

    await screen.findByText('Healthy');
    expect(versionRow('Kubernetes (EKS)')).toHaveTextContent('1.35');
    expect(versionRow('RDS for PostgreSQL')).toHaveTextContent('17.6');
    expect(
      screen.getByText(
        'The support dates of these versions have not been read yet.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/support ends in/i)).not.toBeInTheDocument();
  });

  it('explains a degraded verdict with its reasons, drift and the alarms that fire', async () => {
    const health = makeHealth({
      verdict: 'degraded',
      reasons: ['innovate-prod-data has drifted', '1 alarm in ALARM'],
      alarms: [
        {
          name: 'innovate-prod-rds-cpu',
          state: 'ALARM',
          metric: 'CPUUtilization',
          reason: 'Threshold crossed: 92%',
        },
        { name: 'innovate-prod-alb-5xx', state: 'OK' },
      ],
    });
    health.stacks[2] = { ...health.stacks[2], driftStatus: 'DRIFTED' };
    await renderForEntity(
      <EnvironmentHealthCard />,
      new FakeAwsEnvironmentsApi({ getHealth: async () => health }),
    );

    expect(await screen.findByText('Degraded')).toBeInTheDocument();
    expect(screen.getByLabelText('Reasons')).toHaveTextContent(
      'innovate-prod-data has drifted',
    );
    expect(screen.getByText('Drifted')).toBeInTheDocument();
    const alarms = screen.getByLabelText('Alarms in ALARM');
    expect(alarms).toHaveTextContent(
      'innovate-prod-rds-cpu (CPUUtilization): Threshold crossed: 92%',
    );
    expect(alarms).not.toHaveTextContent('alb-5xx');
  });

  it('marks stale data and says why', async () => {
    await renderForEntity(
      <EnvironmentHealthCard />,
      new FakeAwsEnvironmentsApi({
        getHealth: async () =>
          makeHealth({ stale: true, error: 'AccessDenied on DescribeStacks' }),
      }),
    );
    expect(await screen.findByText('Stale')).toBeInTheDocument();
  });

  it('shows the server error when the health cannot be read', async () => {
    const response = new Response(
      JSON.stringify({
        error: {
          name: 'NotFoundError',
          message: 'No environment default/innovate-prod',
        },
        request: { method: 'GET', url: '/x' },
        response: { statusCode: 404 },
      }),
      {
        status: 404,
        statusText: 'Not Found',
        headers: { 'content-type': 'application/json' },
      },
    );
    const error = await ResponseError.fromResponse(response);
    await renderForEntity(
      <EnvironmentHealthCard />,
      new FakeAwsEnvironmentsApi({ getHealth: () => Promise.reject(error) }),
    );
    expect(
      await screen.findByRole('heading', {
        name: /No environment default\/innovate-prod/,
      }),
    ).toBeInTheDocument();
  });

  it('says so when nothing has been collected yet', async () => {
    await renderForEntity(
      <EnvironmentHealthCard />,
      new FakeAwsEnvironmentsApi({
        getHealth: async () =>
          makeHealth({
            collectedAt: undefined,
            stacks: [],
            verdict: 'unknown',
            stale: true,
          }),
      }),
    );
    expect(await screen.findByText('No health data yet')).toBeInTheDocument();
  });

  it('asks for the missing annotation on an entity that is not an environment', async () => {
    const entity = makeEnvironmentEntity();
    delete entity.metadata.annotations![ANNOTATION_ACCOUNT_ID];
    await renderForEntity(
      <EnvironmentHealthCard />,
      new FakeAwsEnvironmentsApi(),
      entity,
    );
    expect(screen.getByText(ANNOTATION_ACCOUNT_ID)).toBeInTheDocument();
  });

  async function clickRefresh() {
    const button = await screen.findByRole('button', {
      name: 'Refresh environment health',
    });
    await waitFor(() => expect(button).toBeEnabled());
    await userEvent.click(button);
  }

  function responseError(status: number, name: string, message: string) {
    return ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: { name, message },
          request: { method: 'POST', url: '/refresh' },
          response: { statusCode: status },
        }),
        { status, headers: { 'content-type': 'application/json' } },
      ),
    );
  }

  it('refreshes the health, says when it was collected and when the next refresh is possible, and reads it again', async () => {
    let reads = 0;
    let finish: () => void = () => {};
    const api = new FakeAwsEnvironmentsApi({
      getHealth: async () => {
        reads += 1;
        return makeHealth({ verdict: reads === 1 ? 'degraded' : 'healthy' });
      },
    });
    const refresh = api.refresh.bind(api);
    api.refresh = async (ref, options) => {
      await new Promise<void>(resolve => {
        finish = resolve;
      });
      const answer = await refresh(ref, options);
      answer.sections = answer.sections.map(section => ({
        ...section,
        collectedAt: '2026-11-27T09:05:00.000Z',
      }));
      return answer;
    };
    await renderForEntity(<EnvironmentHealthCard />, api);
    expect(await screen.findByText('Degraded')).toBeInTheDocument();

    await clickRefresh();
    // The button's tooltip says the same once the pointer has rested on it; the card's status line is what counts.
    expect(
      await screen.findByText('Refreshing…', { selector: '[role="status"]' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Refresh environment health' }),
    ).toBeDisabled();
    await act(async () => finish());

    expect(await screen.findByText('Healthy')).toBeInTheDocument();
    expect(
      screen.getByText(
        /^Refreshed at 09:05 \(UTC\) — next refresh possible in \d+ s$/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    // The button waits for the next possible refresh.
    expect(
      screen.getByRole('button', { name: 'Refresh environment health' }),
    ).toBeDisabled();
    expect(api.refreshed).toEqual([
      { namespace: 'default', name: 'innovate-prod' },
    ]);
    expect(api.refreshOptions).toEqual([{ section: 'health' }]);
  });

  it('shows a section refreshed moments ago by someone else as a neutral note, not an error', async () => {
    const api = new FakeAwsEnvironmentsApi({
      refresh: async () => ({
        entityRef: 'resource:default/innovate-prod',
        sections: [
          {
            section: 'health',
            ok: true,
            state: 'recent',
            collectedAt: '2026-11-27T08:59:00.000Z',
            nextRefreshAt: new Date(Date.now() + 42_000).toISOString(),
          },
        ],
      }),
    });
    await renderForEntity(<EnvironmentHealthCard />, api);
    await screen.findByText('Healthy');
    await clickRefresh();
    expect(
      await screen.findByText(
        /^Refreshed at 08:59 \(UTC\) — next refresh possible in 4[12] s$/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows the sentence of a refused refresh as information, without a stack or raw JSON', async () => {
    const sentence =
      'Only the owners of resource:default/innovate-prod and the platform team may refresh it; its data is collected every 5 minutes.';
    const error = await responseError(403, 'NotAllowedError', sentence);
    const api = new FakeAwsEnvironmentsApi({
      refresh: () => Promise.reject(error),
    });
    await renderForEntity(<EnvironmentHealthCard />, api);
    await screen.findByText('Healthy');
    await clickRefresh();
    const notices = await screen.findAllByText(sentence);
    expect(notices.some(n => n.closest('[role="status"]'))).toBe(true);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(
      screen.queryByText(/NotAllowedError|statusCode/),
    ).not.toBeInTheDocument();
    // Refused once, the button stays disabled.
    expect(
      screen.getByRole('button', { name: 'Refresh environment health' }),
    ).toBeDisabled();
  });

  it('shows a used-up hourly budget as information', async () => {
    const sentence =
      'You have used all 30 on-demand refreshes allowed per hour, so the next one is possible at 10:02 UTC (in 12 minutes).';
    const error = await responseError(429, 'TooManyRequestsError', sentence);
    await renderForEntity(
      <EnvironmentHealthCard />,
      new FakeAwsEnvironmentsApi({ refresh: () => Promise.reject(error) }),
    );
    await screen.findByText('Healthy');
    await clickRefresh();
    const notices = await screen.findAllByText(sentence);
    expect(notices.some(n => n.closest('[role="status"]'))).toBe(true);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('disables the Refresh button, with the reason, for someone who may not refresh', async () => {
    const reason =
      'Only the owners of resource:default/innovate-prod and the platform team may refresh it; its data is collected every 5 minutes.';
    const api = new FakeAwsEnvironmentsApi();
    const access = api.getRefreshAccess.bind(api);
    api.getRefreshAccess = async ref => ({
      ...(await access(ref)),
      canRefresh: false,
      reason,
    });
    await renderForEntity(<EnvironmentHealthCard />, api);
    await screen.findByText('Healthy');
    const button = screen.getByRole('button', {
      name: 'Refresh environment health',
    });
    await waitFor(() => expect(screen.getByTitle(reason)).toBeInTheDocument());
    expect(button).toBeDisabled();
  });

  it('says which part of a refresh failed, in red', async () => {
    const api = new FakeAwsEnvironmentsApi({
      refresh: async () => ({
        entityRef: 'resource:default/innovate-prod',
        sections: [
          {
            section: 'health',
            ok: false,
            error: 'AccessDenied: DescribeStacks',
            state: 'refreshed',
          },
          { section: 'stacks', ok: true, state: 'refreshed' },
        ],
      }),
    });
    await renderForEntity(<EnvironmentHealthCard />, api);
    await screen.findByText('Healthy');
    await clickRefresh();
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Refreshing health failed: AccessDenied: DescribeStacks',
    );
  });

  it('shows a failed request in red', async () => {
    await renderForEntity(
      <EnvironmentHealthCard />,
      new FakeAwsEnvironmentsApi({
        refresh: () => Promise.reject(new Error('Failed to fetch')),
      }),
    );
    await screen.findByText('Healthy');
    await clickRefresh();
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Failed to fetch',
    );
  });

  describe('while open', () => {
    beforeEach(() => {
      jest.useFakeTimers({ now: new Date(2026, 10, 27, 9, 5) });
    });

    afterEach(() => {
      // Unmount while the fake clock is installed, so the card's interval is cleared on the clock that holds it.
      cleanup();
      jest.useRealTimers();
    });

    // Rendering and time passing happen inside an async act(), which also settles the reads they start; the
    // assertions after them need no waiting.
    async function renderOpenCard(card: ReactElement, api: AwsEnvironmentsApi) {
      await renderForEntity(card, api);
      await act(async () => {});
    }

    async function letOneMinutePass() {
      await act(async () => {
        jest.advanceTimersByTime(60_000);
      });
    }

    it('shows a changed verdict every minute without a reload', async () => {
      let health: EnvironmentHealth = makeHealth();
      await renderOpenCard(
        <EnvironmentHealthCard />,
        new FakeAwsEnvironmentsApi({ getHealth: async () => health }),
      );
      expect(screen.getByText('Healthy')).toBeInTheDocument();

      health = makeHealth({
        verdict: 'degraded',
        reasons: ['1 alarm in ALARM'],
      });
      await letOneMinutePass();

      expect(screen.getByText('Degraded')).toBeInTheDocument();
      expect(screen.getByLabelText('Reasons')).toHaveTextContent(
        '1 alarm in ALARM',
      );
      expect(screen.queryByTestId('progress')).not.toBeInTheDocument();
    });

    it('keeps the health and says so when a refresh fails', async () => {
      let failure: Error | undefined;
      await renderOpenCard(
        <EnvironmentHealthCard />,
        new FakeAwsEnvironmentsApi({
          getHealth: async () => {
            if (failure) {
              throw failure;
            }
            return makeHealth({ verdict: 'degraded' });
          },
        }),
      );
      expect(screen.getByText('Degraded')).toBeInTheDocument();

      failure = new Error('Failed to fetch');
      await letOneMinutePass();

      expect(
        screen.getByText(
          /^Could not refresh: Failed to fetch, showing data from 09:05 \S+$/,
        ),
      ).toBeInTheDocument();
      expect(screen.getByText('Degraded')).toBeInTheDocument();
      expect(screen.getByRole('table', { name: 'Stacks' })).toBeInTheDocument();
      expect(
        screen.queryByRole('heading', { name: /Failed to fetch/ }),
      ).not.toBeInTheDocument();

      failure = undefined;
      await letOneMinutePass();

      expect(screen.queryByText(/Could not refresh/)).not.toBeInTheDocument();
    });

    it('reads once when polling is off', async () => {
      let reads = 0;
      await renderOpenCard(
        <EnvironmentHealthCard refreshIntervalMs={null} />,
        new FakeAwsEnvironmentsApi({
          getHealth: async () => {
            reads += 1;
            return makeHealth({ verdict: reads === 1 ? 'healthy' : 'down' });
          },
        }),
      );
      expect(screen.getByText('Healthy')).toBeInTheDocument();

      await letOneMinutePass();
      await letOneMinutePass();

      expect(screen.getByText('Healthy')).toBeInTheDocument();
      expect(reads).toBe(1);
    });
  });
});
