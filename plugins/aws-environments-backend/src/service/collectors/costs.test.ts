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
import {
  CostsReport,
  StoredCosts,
  collectAccountCostSeries,
  collectAccountCosts,
  costAndUsageRequest,
  refreshWindowStart,
} from './costs';

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
  it('asks Cost Explorer for 90 days of daily totals by environment tag and for monthly service shares', async () => {
    await collectAccountCosts(
      factory,
      account,
      ['innovate-dev', 'innovate-staging'],
      now,
    );
    // Each query follows its two pages.
    expect(ce).toHaveReceivedCommandTimes(GetCostAndUsageCommand, 4);
    expect(ce).toHaveReceivedNthSpecificCommandWith(1, GetCostAndUsageCommand, {
      TimePeriod: { Start: '2026-08-17', End: '2026-11-15' },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
      GroupBy: [{ Type: 'TAG', Key: 'innovate:environment' }],
    });
    expect(ce).toHaveReceivedNthSpecificCommandWith(2, GetCostAndUsageCommand, {
      NextPageToken: 'page-2',
    });
    expect(ce).toHaveReceivedNthSpecificCommandWith(3, GetCostAndUsageCommand, {
      TimePeriod: { Start: '2026-10-01', End: '2026-11-15' },
      Granularity: 'MONTHLY',
      Metrics: ['UnblendedCost'],
      GroupBy: [
        { Type: 'TAG', Key: 'innovate:environment' },
        { Type: 'DIMENSION', Key: 'SERVICE' },
      ],
    });
  });

  it('makes the same number of requests for 200 environments as for 2', async () => {
    const many = Array.from({ length: 200 }, (_, i) => `env-${i}`);
    const reports = await collectAccountCosts(factory, account, many, now);
    expect(reports.size).toBe(200);
    expect(ce).toHaveReceivedCommandTimes(GetCostAndUsageCommand, 4);
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

/** Sums daily results per calendar month, as a MONTHLY answer gives them. */
function byMonth(days: ResultByTime[]): ResultByTime[] {
  const months = new Map<string, ResultByTime>();
  for (const result of days) {
    const month = result.TimePeriod!.Start!.slice(0, 7);
    const bucket = months.get(month) ?? {
      TimePeriod: { Start: result.TimePeriod!.Start, End: '' },
      Groups: [],
    };
    bucket.TimePeriod!.End = result.TimePeriod!.End;
    for (const group of result.Groups ?? []) {
      const same = bucket.Groups!.find(
        g => g.Keys!.join() === group.Keys!.join(),
      );
      const amount = Number(group.Metrics!.UnblendedCost.Amount);
      if (same) {
        same.Metrics!.UnblendedCost.Amount = String(
          Number(same.Metrics!.UnblendedCost.Amount) + amount,
        );
      } else {
        bucket.Groups!.push({
          Keys: group.Keys,
          Metrics: { UnblendedCost: { Amount: String(amount), Unit: 'USD' } },
        });
      }
    }
    months.set(month, bucket);
  }
  return [...months.values()];
}

/** Answers every query with `day()` for each day it asks for (per month when asked MONTHLY), in one page. */
function answerEveryDayAsked() {
  ce.reset();
  ce.on(GetCostAndUsageCommand).callsFake(input => {
    const days: ResultByTime[] = [];
    for (
      let t = Date.parse(`${input.TimePeriod.Start}T00:00:00Z`);
      t < Date.parse(`${input.TimePeriod.End}T00:00:00Z`);
      t += 86_400_000
    ) {
      days.push(day(new Date(t).toISOString().slice(0, 10)));
    }
    return {
      ResultsByTime: input.Granularity === 'MONTHLY' ? byMonth(days) : days,
    };
  });
}

/** Stored series as an earlier run left them, every amount doubled so that kept and re-read days differ. */
function storedDoubled(
  reports: Map<string, CostsReport>,
): Map<string, StoredCosts> {
  return new Map(
    [...reports].map(([env, report]) => [
      env,
      {
        currency: report.currency,
        daily: report.daily.map(p => ({
          date: p.date,
          amount: p.amount * 2,
          byService: Object.fromEntries(
            Object.entries(p.byService).map(([s, a]) => [s, a * 2]),
          ),
        })),
      },
    ]),
  );
}

describe('refreshWindowStart', () => {
  it.each([
    ['2026-11-15T12:00:00Z', 3, '2026-11-12'],
    ['2026-11-15T12:00:00Z', 7, '2026-11-08'],
    ['2026-12-04T00:30:00Z', 3, '2026-12-01'],
    ['2026-12-03T12:00:00Z', 3, '2026-11-30'],
    ['2026-12-01T12:00:00Z', 3, '2026-11-28'],
    ['2027-01-02T12:00:00Z', 3, '2026-12-30'],
    ['2026-03-01T12:00:00Z', 3, '2026-02-26'],
  ])('on %s with a %i-day window re-reads from %s', (when, days, expected) => {
    expect(refreshWindowStart(new Date(when), days)).toBe(expected);
  });
});

describe('collectAccountCostSeries', () => {
  const envs = ['innovate-dev', 'innovate-staging'];

  it('reads only the refresh window once series are stored, replaces those days and drops days older than 90', async () => {
    answerEveryDayAsked();
    const yesterday = new Date(now.getTime() - 86_400_000);
    const previous = storedDoubled(
      await collectAccountCosts(factory, account, envs, yesterday),
    );
    ce.resetHistory();

    const { reports, fetch } = await collectAccountCostSeries(
      factory,
      account,
      envs,
      now,
      { previous, refreshWindowDays: 3 },
    );
    expect(ce).toHaveReceivedCommandTimes(GetCostAndUsageCommand, 1);
    const input = ce.commandCalls(GetCostAndUsageCommand)[0].args[0].input;
    expect(input.TimePeriod).toEqual({
      Start: '2026-11-12',
      End: '2026-11-15',
    });
    expect(input.Filter).toBeUndefined();
    expect(fetch).toEqual({
      mode: 'incremental',
      since: '2026-11-12',
      backfilled: [],
      requests: 1,
    });

    const dev = reports.get('innovate-dev')!;
    expect(dev.daily).toHaveLength(90);
    expect(dev.daily[0]).toMatchObject({ date: '2026-08-17', amount: 30 });
    expect(dev.daily.map(p => p.amount).slice(-4)).toEqual([30, 15, 15, 15]);
    // November: 11 kept days at 30 and 3 re-read days at 15; the run rate follows the merged series.
    expect(dev.monthToDate).toBe(11 * 30 + 3 * 15);
    expect(dev.lastMonth).toBe(31 * 30);
    expect(dev.forecastMonthEnd).toBeCloseTo(
      11 * 30 + 3 * 15 + ((4 * 30 + 3 * 15) / 7) * 16,
      2,
    );
    expect(dev.topServices[0]).toEqual({
      service: 'Amazon Elastic Compute Cloud - Compute',
      amount: 27 * 20 + 3 * 10,
    });
    expect(dev.budget?.name).toBe('innovate-dev-monthly');
  });

  it('reads only the window in the first days of a month too, in one page, and merges it into last month', async () => {
    answerEveryDayAsked();
    const december = new Date('2026-12-02T12:00:00Z');
    const previous = storedDoubled(
      await collectAccountCosts(
        factory,
        account,
        envs,
        new Date('2026-12-01T12:00:00Z'),
      ),
    );
    ce.resetHistory();

    const { reports, fetch } = await collectAccountCostSeries(
      factory,
      account,
      envs,
      december,
      { previous, refreshWindowDays: 3 },
    );
    expect(ce).toHaveReceivedCommandTimes(GetCostAndUsageCommand, 1);
    expect(ce).toHaveReceivedCommandWith(GetCostAndUsageCommand, {
      TimePeriod: { Start: '2026-11-29', End: '2026-12-02' },
      GroupBy: [{ Type: 'TAG', Key: 'innovate:environment' }],
    });
    expect(fetch.requests).toBe(1);
    const dev = reports.get('innovate-dev')!;
    // November: 28 kept days at 30, the 29th and 30th re-read at 15; December 1st re-read at 15.
    expect(dev.lastMonth).toBe(28 * 30 + 2 * 15);
    expect(dev.monthToDate).toBe(15);
    // The re-read days keep the service split of their month.
    expect(dev.daily[dev.daily.length - 1]).toEqual({
      date: '2026-12-01',
      amount: 15,
      byService: {
        'Amazon Elastic Compute Cloud - Compute': 10,
        'Amazon Relational Database Service': 5,
      },
    });
  });

  it('reads the whole history of an environment without a stored series, filtered on its tag', async () => {
    answerEveryDayAsked();
    const previous = storedDoubled(
      await collectAccountCosts(factory, account, envs, now),
    );
    previous.delete('innovate-staging');
    ce.resetHistory();

    const { reports, fetch } = await collectAccountCostSeries(
      factory,
      account,
      envs,
      now,
      { previous, refreshWindowDays: 3 },
    );
    expect(fetch.backfilled).toEqual(['innovate-staging']);
    expect(ce).toHaveReceivedCommandTimes(GetCostAndUsageCommand, 3);
    const filter = {
      Tags: { Key: 'innovate:environment', Values: ['innovate-staging'] },
    };
    expect(ce).toHaveReceivedNthCommandWith(1, GetCostAndUsageCommand, {
      TimePeriod: { Start: '2026-08-17', End: '2026-11-15' },
      Granularity: 'DAILY',
      Filter: filter,
    });
    expect(ce).toHaveReceivedNthCommandWith(2, GetCostAndUsageCommand, {
      TimePeriod: { Start: '2026-10-01', End: '2026-11-15' },
      Granularity: 'MONTHLY',
      Filter: filter,
    });
    expect(ce).toHaveReceivedNthCommandWith(3, GetCostAndUsageCommand, {
      TimePeriod: { Start: '2026-11-12', End: '2026-11-15' },
    });
    expect(reports.get('innovate-staging')!.topServices).toEqual([
      { service: 'Amazon Elastic Compute Cloud - Compute', amount: 90 },
    ]);
    expect(reports.get('innovate-staging')!.monthToDate).toBe(14 * 3);
    expect(reports.get('innovate-dev')!.monthToDate).toBe(11 * 30 + 3 * 15);
  });

  it('reads everything again when the stored series stop before the window', async () => {
    answerEveryDayAsked();
    const tenDaysAgo = new Date(now.getTime() - 10 * 86_400_000);
    const previous = storedDoubled(
      await collectAccountCosts(factory, account, envs, tenDaysAgo),
    );
    ce.resetHistory();

    const { reports, fetch } = await collectAccountCostSeries(
      factory,
      account,
      envs,
      now,
      { previous, refreshWindowDays: 3 },
    );
    expect(fetch.mode).toBe('full');
    expect(ce).toHaveReceivedCommandTimes(GetCostAndUsageCommand, 2);
    expect(ce).toHaveReceivedCommandWith(GetCostAndUsageCommand, {
      TimePeriod: { Start: '2026-08-17', End: '2026-11-15' },
    });
    expect(reports.get('innovate-dev')!.monthToDate).toBe(14 * 15);
  });
});
