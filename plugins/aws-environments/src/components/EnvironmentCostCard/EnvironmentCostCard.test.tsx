import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EnvironmentCostCard } from './EnvironmentCostCard';
import { toChartRows, OTHER_SERVICES } from './DailyCostChart';
import {
  FakeAwsEnvironmentsApi,
  pending,
} from '../../__fixtures__/FakeAwsEnvironmentsApi';
import { renderForEntity } from '../../__testUtils__/renderForEntity';
import { makeCosts, makeDailyCosts } from '../../__fixtures__';

describe('EnvironmentCostCard', () => {
  it('shows progress while costs load', async () => {
    await renderForEntity(
      <EnvironmentCostCard />,
      new FakeAwsEnvironmentsApi({ getCosts: () => pending() }),
    );
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows month to date, forecast, budget and top services', async () => {
    await renderForEntity(<EnvironmentCostCard />, new FakeAwsEnvironmentsApi());

    expect(await screen.findByText('$912')).toBeInTheDocument();
    expect(screen.getByText('$1,050')).toBeInTheDocument();
    expect(screen.getByText(/Budget innovate-prod-monthly: \$912 of \$1,500/)).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    const top = screen.getByRole('region', { name: 'Top services' });
    expect(within(top).getAllByRole('listitem')[0]).toHaveTextContent('EC2');
  });

  it('draws the daily chart for 30 days and switches to 90', async () => {
    await renderForEntity(<EnvironmentCostCard />, new FakeAwsEnvironmentsApi());

    expect(
      await screen.findByRole('figure', { name: 'Daily cost by service, last 30 days' }),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        screen.getByTestId('daily-cost-chart').querySelectorAll('.recharts-bar-rectangle').length,
      ).toBeGreaterThan(0),
    );

    await userEvent.click(screen.getByRole('button', { name: '90 days' }));

    expect(
      await screen.findByRole('figure', { name: 'Daily cost by service, last 90 days' }),
    ).toBeInTheDocument();
  });

  it('warns when the forecast exceeds the budget', async () => {
    await renderForEntity(
      <EnvironmentCostCard />,
      new FakeAwsEnvironmentsApi({
        getCosts: async () =>
          makeCosts({
            forecastMonthEnd: 1800,
            budget: { name: 'b', limit: 1500, actual: 912, forecast: 1800 },
          }),
      }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Forecast to exceed the budget: $1,800 by month end against $1,500.',
    );
  });

  it('says the environment is over budget when it has spent more than the limit', async () => {
    await renderForEntity(
      <EnvironmentCostCard />,
      new FakeAwsEnvironmentsApi({
        getCosts: async () =>
          makeCosts({ monthToDate: 1600, budget: { name: 'b', limit: 1500, actual: 1600 } }),
      }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent('Over budget');
  });

  it('marks stale costs', async () => {
    await renderForEntity(
      <EnvironmentCostCard />,
      new FakeAwsEnvironmentsApi({ getCosts: async () => makeCosts({ stale: true }) }),
    );
    expect(await screen.findByText('Stale')).toBeInTheDocument();
  });

  it('says a new environment waits for its first collection instead of marking it stale', async () => {
    await renderForEntity(
      <EnvironmentCostCard />,
      new FakeAwsEnvironmentsApi({
        getCosts: async () =>
          makeCosts({ stale: true, collectedAt: undefined }),
      }),
    );
    expect(
      await screen.findByText('Waiting for the first collection'),
    ).toBeInTheDocument();
    expect(screen.queryByText('Stale')).not.toBeInTheDocument();
  });

  it('explains an empty cost history', async () => {
    await renderForEntity(
      <EnvironmentCostCard />,
      new FakeAwsEnvironmentsApi({
        getCosts: async () =>
          makeCosts({ collectedAt: undefined, daily: [], topServices: [], monthToDate: 0 }),
      }),
    );
    expect(await screen.findByText('No cost data yet')).toBeInTheDocument();
  });

  it('has no Refresh button, as costs are collected on their schedule only', async () => {
    const api = new FakeAwsEnvironmentsApi();
    await renderForEntity(<EnvironmentCostCard />, api);
    await screen.findByText(/As of/);
    expect(screen.queryByRole('button', { name: /Refresh/ })).not.toBeInTheDocument();
    expect(api.refreshed).toEqual([]);
  });

  it('shows the error when costs cannot be read', async () => {
    await renderForEntity(
      <EnvironmentCostCard />,
      new FakeAwsEnvironmentsApi({
        getCosts: () => Promise.reject(new Error('Cost Explorer is not enabled')),
      }),
    );
    expect(
      await screen.findByRole('heading', { name: /Cost Explorer is not enabled/ }),
    ).toBeInTheDocument();
  });
});

describe('toChartRows', () => {
  it('keeps the five biggest services and folds the rest into Other', () => {
    const points = makeDailyCosts(3).map(point => ({
      ...point,
      byService: { ...point.byService, 'AWS WAF': 0.5, 'AWS Key Management Service': 0.1 },
    }));
    const { rows, series } = toChartRows(points);
    expect(series).toHaveLength(6);
    expect(series[5]).toBe(OTHER_SERVICES);
    expect(rows[0][OTHER_SERVICES]).toBe(0.6);
    expect(series[0]).toBe('Amazon Elastic Compute Cloud - Compute');
  });
});
