import { BudgetsClient, DescribeBudgetsCommand } from '@aws-sdk/client-budgets';
import {
  CostExplorerClient,
  GetCostAndUsageCommand,
  ResultByTime,
} from '@aws-sdk/client-cost-explorer';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  DEV_ACCOUNT,
  REGION,
  awsError,
  fakeAwsClientFactory,
} from '../../__testUtils__/fixtures';
import { collectAccountCosts, costAndUsageRequest } from './costs';

const ce = mockClient(CostExplorerClient);
const budgets = mockClient(BudgetsClient);
const factory = fakeAwsClientFactory();
const account = { accountId: DEV_ACCOUNT, region: REGION };
const now = new Date('2026-11-15T12:00:00Z');

function day(date: string): ResultByTime {
  const next = new Date(new Date(`${date}T00:00:00Z`).getTime() + 86_400_000)
    .toISOString()
    .slice(0, 10);
  const group = (env: string, service: string, amount: number) => ({
    Keys: [`innovate:environment$${env}`, service],
    Metrics: { UnblendedCost: { Amount: String(amount), Unit: 'USD' } },
  });
  return {
    TimePeriod: { Start: date, End: next },
    Groups: [
      group('innovate-dev', 'Amazon Elastic Compute Cloud - Compute', 10),
      group('innovate-dev', 'Amazon Relational Database Service', 5),
      group('innovate-staging', 'Amazon Elastic Compute Cloud - Compute', 3),
      group(
        'someone-elses-env',
        'Amazon Elastic Compute Cloud - Compute',
        1000,
      ),
      group('', 'AWS CloudTrail', 7),
    ],
  };
}

function allDays(): string[] {
  const { Start, End } = costAndUsageRequest(now).TimePeriod;
  const days: string[] = [];
  for (
    let t = Date.parse(`${Start}T00:00:00Z`);
    t < Date.parse(`${End}T00:00:00Z`);
    t += 86_400_000
  ) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

beforeEach(() => {
  ce.reset();
  budgets.reset();
  const days = allDays();
  // Two pages, as Cost Explorer splits a large grouped answer.
  ce.on(GetCostAndUsageCommand, { NextPageToken: undefined }).resolves({
    ResultsByTime: days.slice(0, 45).map(day),
    NextPageToken: 'page-2',
  });
  ce.on(GetCostAndUsageCommand, { NextPageToken: 'page-2' }).resolves({
    ResultsByTime: days.slice(45).map(day),
  });
  budgets.on(DescribeBudgetsCommand).resolves({
    Budgets: [
      {
        BudgetName: 'innovate-dev-monthly',
        BudgetType: 'COST',
        TimeUnit: 'MONTHLY',
        BudgetLimit: { Amount: '500', Unit: 'USD' },
        CalculatedSpend: {
          ActualSpend: { Amount: '210', Unit: 'USD' },
          ForecastedSpend: { Amount: '455.5', Unit: 'USD' },
        },
      },
      {
        BudgetName: 'staging-spend',
        BudgetType: 'COST',
        TimeUnit: 'MONTHLY',
        BudgetLimit: { Amount: '100', Unit: 'USD' },
        CostFilters: {
          TagKeyValue: ['user:innovate:environment$innovate-staging'],
        },
        CalculatedSpend: { ActualSpend: { Amount: '42', Unit: 'USD' } },
      },
    ],
  });
});

describe('collectAccountCosts', () => {
  it('asks Cost Explorer once per account (plus its pages) for 90 days grouped by environment tag and service', async () => {
    await collectAccountCosts(
      factory,
      account,
      ['innovate-dev', 'innovate-staging'],
      now,
    );
    expect(ce).toHaveReceivedCommandTimes(GetCostAndUsageCommand, 2);
    expect(ce).toHaveReceivedNthSpecificCommandWith(1, GetCostAndUsageCommand, {
      TimePeriod: { Start: '2026-08-17', End: '2026-11-15' },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
      GroupBy: [
        { Type: 'TAG', Key: 'innovate:environment' },
        { Type: 'DIMENSION', Key: 'SERVICE' },
      ],
    });
    expect(ce).toHaveReceivedNthSpecificCommandWith(2, GetCostAndUsageCommand, {
      NextPageToken: 'page-2',
    });
  });

  it('makes the same number of requests for 200 environments as for 2', async () => {
    const many = Array.from({ length: 200 }, (_, i) => `env-${i}`);
    const reports = await collectAccountCosts(factory, account, many, now);
    expect(reports.size).toBe(200);
    expect(ce).toHaveReceivedCommandTimes(GetCostAndUsageCommand, 2);
    expect(budgets).toHaveReceivedCommandTimes(DescribeBudgetsCommand, 1);
  });

  it('splits costs per environment: month to date, last month, run-rate forecast, top services', async () => {
    const reports = await collectAccountCosts(
      factory,
      account,
      ['innovate-dev', 'innovate-staging'],
      now,
    );
    const dev = reports.get('innovate-dev')!;
    expect(dev.currency).toBe('USD');
    expect(dev.monthToDate).toBe(14 * 15);
    expect(dev.lastMonth).toBe(31 * 15);
    // 15 a day for the 16 days left in November, counting today.
    expect(dev.forecastMonthEnd).toBe(14 * 15 + 16 * 15);
    expect(dev.forecastMethod).toBe('run-rate');
    expect(dev.daily).toHaveLength(90);
    expect(dev.daily[0]).toEqual({
      date: '2026-08-17',
      amount: 15,
      byService: {
        'Amazon Elastic Compute Cloud - Compute': 10,
        'Amazon Relational Database Service': 5,
      },
    });
    expect(dev.daily[89].date).toBe('2026-11-14');
    expect(dev.topServices).toEqual([
      { service: 'Amazon Elastic Compute Cloud - Compute', amount: 300 },
      { service: 'Amazon Relational Database Service', amount: 150 },
    ]);

    const staging = reports.get('innovate-staging')!;
    expect(staging.monthToDate).toBe(14 * 3);
    expect(staging.topServices).toEqual([
      { service: 'Amazon Elastic Compute Cloud - Compute', amount: 90 },
    ]);
  });

  it('matches budgets by name or by their environment tag filter', async () => {
    const reports = await collectAccountCosts(
      factory,
      account,
      ['innovate-dev', 'innovate-staging', 'innovate-qa'],
      now,
    );
    expect(reports.get('innovate-dev')!.budget).toEqual({
      name: 'innovate-dev-monthly',
      limit: 500,
      actual: 210,
      forecast: 455.5,
    });
    expect(reports.get('innovate-staging')!.budget).toEqual({
      name: 'staging-spend',
      limit: 100,
      actual: 42,
      forecast: undefined,
    });
    expect(reports.get('innovate-qa')!.budget).toBeUndefined();
    expect(reports.get('innovate-qa')!.monthToDate).toBe(0);
  });

  it('spends no Cost Explorer request when the budgets cannot be read', async () => {
    budgets
      .on(DescribeBudgetsCommand)
      .rejects(awsError('AccessDeniedException', 'budgets:ViewBudget denied'));
    await expect(
      collectAccountCosts(factory, account, ['innovate-dev'], now),
    ).rejects.toThrow('ViewBudget');
    expect(ce).not.toHaveReceivedCommand(GetCostAndUsageCommand);
  });
});
