import {
  Budget,
  BudgetsClient,
  paginateDescribeBudgets,
} from '@aws-sdk/client-budgets';
import {
  CostExplorerClient,
  GetCostAndUsageCommand,
  GetCostAndUsageCommandOutput,
} from '@aws-sdk/client-cost-explorer';
import {
  CostPoint,
  EnvironmentCosts,
  SectionMeta,
  TAG_ENVIRONMENT,
} from '@internal/plugin-aws-environments-common';
import type { AwsClientFactory } from '@internal/plugin-aws-environments-node';

export type CostsReport = Omit<EnvironmentCosts, keyof SectionMeta>;

export const COST_HISTORY_DAYS = 90;
const RUN_RATE_DAYS = 7;
const TOP_SERVICES = 10;

const DAY_MS = 24 * 60 * 60 * 1000;

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function startOfUtcDay(date: Date): Date {
  return new Date(
    Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()),
  );
}

const round = (amount: number) => Math.round(amount * 100) / 100;

/** An ISO date (YYYY-MM-DD) `days` after (or before, when negative) the given one. */
function addDays(date: string, days: number): string {
  return isoDate(new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS));
}

/**
 * What one GetCostAndUsage request costs, in USD. Every page of a paginated answer is billed as a request of its own.
 * Source: AWS Cost Explorer FAQs (aws.amazon.com/aws-cost-management/aws-cost-explorer/faqs): "The AWS Cost Explorer
 * API incurs a charge of $0.01 per request. ... if your result set is paginated each page counts as a separate
 * request", and the AWS Price List offer AWSCostExplorer, usage type USE1-APIRequest, "$0.01 per API Request"
 * (effective 2019-11-01); both read on 2026-12-04. Check them again when budgeting.
 */
export const COST_EXPLORER_USD_PER_REQUEST = 0.01;

/** What a query groups by: the environment tag only (daily totals), or the tag and the service (service shares). */
export type CostGrouping = 'environment' | 'environment-and-service';

/**
 * A Cost Explorer request of one account from `start` (default: the first of the last 90 full days) to yesterday,
 * optionally only for some environments. By default daily and grouped by the environment tag only: one group per
 * environment and day, so that the answer stays small whatever the number of services.
 */
export function costAndUsageRequest(
  now: Date,
  options: {
    start?: string;
    environments?: string[];
    granularity?: 'DAILY' | 'MONTHLY';
    grouping?: CostGrouping;
  } = {},
) {
  const end = isoDate(startOfUtcDay(now));
  return {
    TimePeriod: {
      Start: options.start ?? addDays(end, -COST_HISTORY_DAYS),
      End: end,
    },
    Granularity: options.granularity ?? ('DAILY' as const),
    Metrics: ['UnblendedCost'],
    GroupBy: [
      { Type: 'TAG' as const, Key: TAG_ENVIRONMENT },
      ...(options.grouping === 'environment-and-service'
        ? [{ Type: 'DIMENSION' as const, Key: 'SERVICE' }]
        : []),
    ],
    ...(options.environments && {
      Filter: {
        Tags: { Key: TAG_ENVIRONMENT, Values: options.environments },
      },
    }),
  };
}

/** The first of the month before the one of `now`, as an ISO date. */
function previousMonthStart(now: Date): string {
  const today = startOfUtcDay(now);
  return isoDate(
    new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1)),
  );
}

/**
 * The request for the service shares of the environments: monthly, by environment tag and service, for the previous
 * and the current month (the 30 days of the top services and the chart's split). Days of older months are split by
 * the oldest month read.
 */
export function serviceSharesRequest(
  now: Date,
  options: { environments?: string[] } = {},
) {
  return costAndUsageRequest(now, {
    start: previousMonthStart(now),
    granularity: 'MONTHLY',
    grouping: 'environment-and-service',
    environments: options.environments,
  });
}

/**
 * The first day an incremental refresh asks for again: the last `windowDays` days, which Cost Explorer may still
 * revise. Later corrections (last month's bill closing in the first days of a month, refunds, credits) arrive with
 * the next full read.
 */
export function refreshWindowStart(now: Date, windowDays: number): string {
  return addDays(isoDate(startOfUtcDay(now)), -windowDays);
}

/** What was fetched from Cost Explorer for one account in one refresh. */
export interface CostFetch {
  /** `full`: the whole 90 days for every environment; `incremental`: the window merged into stored series. */
  mode: 'full' | 'incremental';
  /** First day asked for again for environments with a stored series (the whole history when `full`). */
  since: string;
  /** Environments whose whole history was fetched because no usable series was stored for them. */
  backfilled: string[];
  /** GetCostAndUsage requests (pages) spent. */
  requests: number;
}

type CostRequest = ReturnType<typeof costAndUsageRequest>;

/** Where a group without a service key (or a day without any shares) is counted. */
const OTHER_SERVICE = 'Other';

/**
 * Follows every page of one query and hands each group of a wanted environment to `visit`, with the first day of
 * its time period. Returns the pages spent and the currency.
 */
async function readGroups(
  ce: CostExplorerClient,
  request: CostRequest,
  wanted: Set<string>,
  visit: (
    environment: string,
    start: string,
    service: string,
    amount: number,
  ) => void,
): Promise<{ requests: number; currency?: string }> {
  let currency: string | undefined;
  let requests = 0;
  let nextPageToken: string | undefined;
  // GetCostAndUsage has no SDK paginator; every page is a paid request, so the loop follows the token only.
  do {
    const page: GetCostAndUsageCommandOutput = await ce.send(
      new GetCostAndUsageCommand({ ...request, NextPageToken: nextPageToken }),
    );
    requests++;
    for (const result of page.ResultsByTime ?? []) {
      const start = result.TimePeriod?.Start;
      if (!start) {
        continue;
      }
      for (const group of result.Groups ?? []) {
        const [tagKey, service = OTHER_SERVICE] = group.Keys ?? [];
        const environment = tagKey?.slice(tagKey.indexOf('$') + 1);
        if (!environment || !wanted.has(environment)) {
          continue;
        }
        const metric = group.Metrics?.UnblendedCost;
        currency = metric?.Unit ?? currency;
        visit(environment, start, service, Number(metric?.Amount ?? 0));
      }
    }
    nextPageToken = page.NextPageToken;
  } while (nextPageToken);
  return { requests, currency };
}

/** Daily totals per environment (date to amount). */
type DailyTotals = Map<string, Map<string, number>>;
/** Cost per service of each environment, per month (`YYYY-MM`). */
type MonthlyShares = Map<string, Map<string, Record<string, number>>>;

async function fetchDailyTotals(
  ce: CostExplorerClient,
  request: CostRequest,
  wanted: Set<string>,
): Promise<{ totals: DailyTotals; requests: number; currency?: string }> {
  const totals: DailyTotals = new Map();
  const read = await readGroups(
    ce,
    request,
    wanted,
    (env, date, _s, amount) => {
      let days = totals.get(env);
      if (!days) {
        days = new Map();
        totals.set(env, days);
      }
      days.set(date, (days.get(date) ?? 0) + amount);
    },
  );
  // Amounts are rounded per day once, so that a stored day and a fetched one add up the same.
  for (const days of totals.values()) {
    for (const [date, amount] of days) {
      days.set(date, round(amount));
    }
  }
  return { totals, ...read };
}

async function fetchMonthlyShares(
  ce: CostExplorerClient,
  request: CostRequest,
  wanted: Set<string>,
): Promise<{ shares: MonthlyShares; requests: number; currency?: string }> {
  const shares: MonthlyShares = new Map();
  const read = await readGroups(
    ce,
    request,
    wanted,
    (env, start, service, amount) => {
      let months = shares.get(env);
      if (!months) {
        months = new Map();
        shares.set(env, months);
      }
      const month = start.slice(0, 7);
      const byService = months.get(month) ?? {};
      byService[service] = (byService[service] ?? 0) + amount;
      months.set(month, byService);
    },
  );
  return { shares, ...read };
}

/** The service shares of a stored series, per month, as the full read that stored it split the days. */
function storedShares(
  series: CostPoint[],
): Map<string, Record<string, number>> {
  const months = new Map<string, Record<string, number>>();
  for (const point of series) {
    const month = point.date.slice(0, 7);
    const byService = months.get(month) ?? {};
    for (const [service, amount] of Object.entries(point.byService)) {
      byService[service] = (byService[service] ?? 0) + amount;
    }
    months.set(month, byService);
  }
  return months;
}

/**
 * Splits one day's total by the environment's service shares of that day's month, or of the nearest month read
 * (the latest before it, else the earliest after it). Without any shares the day counts as "Other".
 */
function splitByService(
  amount: number,
  date: string,
  shares: Map<string, Record<string, number>> | undefined,
): Record<string, number> {
  if (amount === 0) {
    return {};
  }
  const month = date.slice(0, 7);
  const usable = [...(shares?.entries() ?? [])]
    .filter(([, s]) => Object.values(s).some(a => a > 0))
    .sort((a, b) => a[0].localeCompare(b[0]));
  const chosen =
    usable.find(([m]) => m === month) ??
    [...usable].reverse().find(([m]) => m < month) ??
    usable[0];
  if (!chosen) {
    return { [OTHER_SERVICE]: amount };
  }
  const entries = Object.entries(chosen[1]).filter(([, a]) => a > 0);
  const sum = entries.reduce((total, [, a]) => total + a, 0);
  return Object.fromEntries(
    entries.map(([service, a]) => [service, round((amount * a) / sum)]),
  );
}

type DailySeries = Map<string, CostPoint>;

/** A stored series is usable when it reaches the day before the window, so that no day goes missing. */
function usableSeries(
  series: CostPoint[] | undefined,
  since: string,
): series is CostPoint[] {
  const newest = series?.[series.length - 1]?.date;
  return Boolean(newest && newest >= addDays(since, -1));
}

function budgetMatches(budget: Budget, environment: string): boolean {
  if (budget.BudgetName === `${environment}-monthly`) {
    return true;
  }
  const tagValue = `${TAG_ENVIRONMENT}$${environment}`;
  const legacy = budget.CostFilters?.TagKeyValue ?? [];
  if (legacy.includes(tagValue) || legacy.includes(`user:${tagValue}`)) {
    return true;
  }
  const tags = budget.FilterExpression?.Tags;
  return Boolean(
    tags &&
      (tags.Key === TAG_ENVIRONMENT ||
        tags.Key === `user:${TAG_ENVIRONMENT}`) &&
      tags.Values?.includes(environment),
  );
}

/**
 * The report of one environment from its daily points: the 90 full days before today, and today so far when a
 * point of today was read. Month to date counts every point of the month; the forecast adds the run rate of the
 * last full days for the rest of the month.
 */
function costsReport(
  environment: string,
  days: DailySeries | undefined,
  context: { budgets: Budget[]; currency?: string; now: Date },
): CostsReport {
  const { budgets, currency, now } = context;
  const today = startOfUtcDay(now);
  const end = isoDate(today);
  const historyStart = addDays(end, -COST_HISTORY_DAYS);
  const todayPoint = days?.get(end);
  const dates = Array.from({ length: COST_HISTORY_DAYS }, (_, i) =>
    addDays(historyStart, i),
  );
  const monthStart = isoDate(
    new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1)),
  );
  const lastMonthStart = isoDate(
    new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1)),
  );
  const daysInMonth = new Date(
    Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 0),
  ).getUTCDate();
  // The full days end yesterday; the rest of the month, today included (less what today's point holds), is forecast.
  const elapsedToday = todayPoint
    ? (now.getTime() - today.getTime()) / DAY_MS
    : 0;
  const remainingDays = daysInMonth - today.getUTCDate() + 1 - elapsedToday;

  const fullDays: CostPoint[] = dates.map(date => {
    const point = days?.get(date);
    return point
      ? { date, amount: point.amount, byService: { ...point.byService } }
      : { date, amount: 0, byService: {} };
  });
  const daily = todayPoint
    ? [
        ...fullDays,
        {
          date: end,
          amount: todayPoint.amount,
          byService: { ...todayPoint.byService },
        },
      ]
    : fullDays;
  const sum = (points: CostPoint[]) =>
    points.reduce((total, p) => total + p.amount, 0);
  const monthToDate = sum(daily.filter(p => p.date >= monthStart));
  const lastMonth = sum(
    daily.filter(p => p.date >= lastMonthStart && p.date < monthStart),
  );
  const runRate = sum(fullDays.slice(-RUN_RATE_DAYS)) / RUN_RATE_DAYS;
  const services = new Map<string, number>();
  for (const point of daily.slice(-30)) {
    for (const [service, amount] of Object.entries(point.byService)) {
      services.set(service, (services.get(service) ?? 0) + amount);
    }
  }
  const budget = budgets.find(b => budgetMatches(b, environment));
  return {
    currency: currency ?? 'USD',
    monthToDate: round(monthToDate),
    lastMonth: round(lastMonth),
    forecastMonthEnd: round(monthToDate + runRate * remainingDays),
    forecastMethod: 'run-rate',
    budget: budget
      ? {
          name: budget.BudgetName ?? '',
          limit: Number(budget.BudgetLimit?.Amount ?? 0),
          actual: Number(budget.CalculatedSpend?.ActualSpend?.Amount ?? 0),
          forecast: budget.CalculatedSpend?.ForecastedSpend?.Amount
            ? Number(budget.CalculatedSpend.ForecastedSpend.Amount)
            : undefined,
        }
      : undefined,
    daily,
    topServices: [...services.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP_SERVICES)
      .map(([service, amount]) => ({ service, amount: round(amount) })),
  };
}

/** The stored costs of one environment an incremental refresh builds on. */
export type StoredCosts = Pick<CostsReport, 'currency' | 'daily'>;

/** The budgets of one account (AWS Budgets, not Cost Explorer: not billed per request). */
async function readBudgets(
  factory: AwsClientFactory,
  account: { accountId: string; region: string },
): Promise<Budget[]> {
  const budgetsClient = await factory.getClient(BudgetsClient, account);
  const budgets: Budget[] = [];
  for await (const page of paginateDescribeBudgets(
    { client: budgetsClient },
    { AccountId: account.accountId },
  )) {
    budgets.push(...(page.Budgets ?? []));
  }
  return budgets;
}

/**
 * Collects the costs of every environment of one account, grouped by the `innovate:environment` cost-allocation tag
 * and by service, and matches the account's budgets to environments by name (`<env>-monthly`) or by their tag
 * filter. The forecast is derived from the run rate rather than from GetCostForecast, which would cost one paid
 * request per environment.
 *
 * Cost Explorer bills every page, and a daily answer grouped by environment and service fills a page per day at a
 * few hundred environments, so daily amounts and service shares are read apart:
 *
 * - a full read (without `previous`): the daily totals of the whole 90 days grouped by the environment tag only,
 *   and the service shares of the previous and the current month (monthly, by tag and service); each day's total
 *   is split by its month's shares;
 * - an incremental read (stored series and a `refreshWindowDays`): one query for the daily totals of the window
 *   only, grouped by the environment tag only (one page up to a few thousand environment-days), replacing those
 *   days of the stored series and split by the stored shares of their month. Environments without a usable stored
 *   series get a full read of their own filtered on their tag values (or the whole account is read again when they
 *   are most).
 */
export async function collectAccountCostSeries(
  factory: AwsClientFactory,
  account: { accountId: string; region: string },
  environments: string[],
  now: Date = new Date(),
  options: {
    previous?: Map<string, StoredCosts>;
    refreshWindowDays?: number;
  } = {},
): Promise<{ reports: Map<string, CostsReport>; fetch: CostFetch }> {
  // Budgets first: when they cannot be read, no paid Cost Explorer request is spent on a refresh that fails.
  const budgets = await readBudgets(factory, account);
  const ce = await factory.getClient(CostExplorerClient, account);
  const end = isoDate(startOfUtcDay(now));
  const historyStart = addDays(end, -COST_HISTORY_DAYS);
  const { previous, refreshWindowDays } = options;
  let since = historyStart;
  let backfilled = environments;
  if (previous && refreshWindowDays && refreshWindowDays > 0) {
    const windowStart = refreshWindowStart(now, refreshWindowDays);
    since = windowStart > historyStart ? windowStart : historyStart;
    backfilled = environments.filter(
      env => !usableSeries(previous.get(env)?.daily, since),
    );
  }
  // Filtering on many tag values costs about as many pages as reading every environment.
  const full =
    !previous ||
    since === historyStart ||
    backfilled.length * 2 > environments.length;

  const perEnv = new Map<string, DailySeries>();
  let currency: string | undefined;
  let requests = 0;
  /** Daily totals and service shares of the whole history, for `targets` (all of them, or some filtered). */
  const readHistory = async (targets: string[], filtered: boolean) => {
    const wanted = new Set(targets);
    const env = filtered ? { environments: targets } : {};
    const daily = await fetchDailyTotals(
      ce,
      costAndUsageRequest(now, env),
      wanted,
    );
    const monthly = await fetchMonthlyShares(
      ce,
      serviceSharesRequest(now, env),
      wanted,
    );
    requests += daily.requests + monthly.requests;
    currency = daily.currency ?? monthly.currency ?? currency;
    for (const target of targets) {
      const shares = monthly.shares.get(target);
      const days: DailySeries = new Map();
      daily.totals.get(target)?.forEach((amount, date) =>
        days.set(date, {
          date,
          amount,
          byService: splitByService(amount, date, shares),
        }),
      );
      perEnv.set(target, days);
    }
  };
  if (full || !previous) {
    await readHistory(environments, false);
  } else {
    if (backfilled.length) {
      await readHistory(backfilled, true);
    }
    const refreshed = new Set(
      environments.filter(env => !backfilled.includes(env)),
    );
    const recent = await fetchDailyTotals(
      ce,
      costAndUsageRequest(now, { start: since }),
      refreshed,
    );
    currency = recent.currency ?? currency;
    requests += recent.requests;
    for (const env of refreshed) {
      const stored = previous.get(env)!;
      currency ??= stored.currency;
      const shares = storedShares(stored.daily);
      // Days of the window are replaced whole: a day the window no longer reports for the environment cost nothing.
      // A point of today (read when the environment was registered) stays until a read covers that day.
      const days: DailySeries = new Map(
        stored.daily
          .filter(
            p => (p.date >= historyStart && p.date < since) || p.date >= end,
          )
          .map(p => [p.date, p]),
      );
      recent.totals.get(env)?.forEach((amount, date) =>
        days.set(date, {
          date,
          amount,
          byService: splitByService(amount, date, shares),
        }),
      );
      perEnv.set(env, days);
    }
  }
  const fetch: CostFetch = {
    mode: full ? 'full' : 'incremental',
    since: full ? historyStart : since,
    backfilled: full ? [] : backfilled,
    requests,
  };

  const reports = new Map<string, CostsReport>();
  for (const environment of environments) {
    reports.set(
      environment,
      costsReport(environment, perEnv.get(environment), {
        budgets,
        currency,
        now,
      }),
    );
  }
  return { reports, fetch };
}

/** The costs of every environment of one account, its whole 90 days read from Cost Explorer. */
export async function collectAccountCosts(
  factory: AwsClientFactory,
  account: { accountId: string; region: string },
  environments: string[],
  now: Date = new Date(),
): Promise<Map<string, CostsReport>> {
  return (await collectAccountCostSeries(factory, account, environments, now))
    .reports;
}

/**
 * The costs of one environment that has none stored, read when it is registered instead of at the next scheduled
 * run: a single query, daily by the environment tag and service and filtered on the environment's tag, from the
 * first of the 90 days up to and including today. A new environment's answer is one day of its services, so it
 * takes one page; today's point is what Cost Explorer has estimated so far. The scheduled reads take over from
 * there (an incremental read keeps today's point until it reads that day).
 */
export async function collectEnvironmentCosts(
  factory: AwsClientFactory,
  account: { accountId: string; region: string },
  environment: string,
  now: Date = new Date(),
): Promise<{ report: CostsReport; fetch: CostFetch }> {
  const budgets = await readBudgets(factory, account);
  const ce = await factory.getClient(CostExplorerClient, account);
  const today = isoDate(startOfUtcDay(now));
  const request = costAndUsageRequest(now, {
    environments: [environment],
    grouping: 'environment-and-service',
  });
  request.TimePeriod.End = addDays(today, 1);
  const days: DailySeries = new Map();
  const read = await readGroups(
    ce,
    request,
    new Set([environment]),
    (_env, date, service, amount) => {
      const point = days.get(date) ?? { date, amount: 0, byService: {} };
      point.amount += amount;
      point.byService[service] = (point.byService[service] ?? 0) + amount;
      days.set(date, point);
    },
  );
  for (const point of days.values()) {
    point.amount = round(point.amount);
    point.byService = Object.fromEntries(
      Object.entries(point.byService)
        .map(([service, amount]) => [service, round(amount)] as const)
        .filter(([, amount]) => amount !== 0),
    );
  }
  return {
    report: costsReport(environment, days, {
      budgets,
      currency: read.currency,
      now,
    }),
    fetch: {
      mode: 'full',
      since: request.TimePeriod.Start,
      backfilled: [environment],
      requests: read.requests,
    },
  };
}
