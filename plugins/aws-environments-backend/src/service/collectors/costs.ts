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
 * The Cost Explorer request of one account: daily, by environment tag and service, from `start` (default: the
 * first of the last 90 full days) to yesterday, optionally only for some environments.
 */
export function costAndUsageRequest(
  now: Date,
  options: { start?: string; environments?: string[] } = {},
) {
  const end = isoDate(startOfUtcDay(now));
  return {
    TimePeriod: {
      Start: options.start ?? addDays(end, -COST_HISTORY_DAYS),
      End: end,
    },
    Granularity: 'DAILY' as const,
    Metrics: ['UnblendedCost'],
    GroupBy: [
      { Type: 'TAG' as const, Key: TAG_ENVIRONMENT },
      { Type: 'DIMENSION' as const, Key: 'SERVICE' },
    ],
    ...(options.environments && {
      Filter: {
        Tags: { Key: TAG_ENVIRONMENT, Values: options.environments },
      },
    }),
  };
}

/**
 * The first day an incremental refresh asks for again: the last `windowDays` days, which Cost Explorer may still
 * revise, and the whole previous month while the window reaches into it, because AWS closes a month's bill (late
 * usage, monthly fees, credits, tax) during the first days of the next one and last month's total must end right.
 */
export function refreshWindowStart(now: Date, windowDays: number): string {
  const today = startOfUtcDay(now);
  const windowStart = addDays(isoDate(today), -windowDays);
  if (today.getUTCDate() > windowDays) {
    return windowStart;
  }
  const lastMonthStart = isoDate(
    new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1)),
  );
  return lastMonthStart < windowStart ? lastMonthStart : windowStart;
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

type DailySeries = Map<string, CostPoint>;

/** Follows every page of one query and adds its groups per wanted environment and day. */
async function fetchDailyCosts(
  ce: CostExplorerClient,
  request: ReturnType<typeof costAndUsageRequest>,
  wanted: Set<string>,
): Promise<{
  perEnv: Map<string, DailySeries>;
  currency?: string;
  requests: number;
}> {
  const perEnv = new Map<string, DailySeries>();
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
      const date = result.TimePeriod?.Start;
      if (!date) {
        continue;
      }
      for (const group of result.Groups ?? []) {
        const [tagKey, service = 'Other'] = group.Keys ?? [];
        const environment = tagKey?.slice(tagKey.indexOf('$') + 1);
        if (!environment || !wanted.has(environment)) {
          continue;
        }
        const metric = group.Metrics?.UnblendedCost;
        const amount = Number(metric?.Amount ?? 0);
        currency = metric?.Unit ?? currency;
        let days = perEnv.get(environment);
        if (!days) {
          days = new Map();
          perEnv.set(environment, days);
        }
        const point = days.get(date) ?? { date, amount: 0, byService: {} };
        point.amount += amount;
        point.byService[service] = (point.byService[service] ?? 0) + amount;
        days.set(date, point);
      }
    }
    nextPageToken = page.NextPageToken;
  } while (nextPageToken);
  // Amounts are rounded per day and service once, so that a stored day and a fetched one add up the same.
  for (const days of perEnv.values()) {
    for (const point of days.values()) {
      point.amount = round(point.amount);
      point.byService = Object.fromEntries(
        Object.entries(point.byService).map(([s, a]) => [s, round(a)]),
      );
    }
  }
  return { perEnv, currency, requests };
}

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

/** The stored costs of one environment an incremental refresh builds on. */
export type StoredCosts = Pick<CostsReport, 'currency' | 'daily'>;

/**
 * Collects the costs of every environment of one account, grouped by the `innovate:environment` cost-allocation tag
 * and by service, and matches the account's budgets to environments by name (`<env>-monthly`) or by their tag
 * filter. The forecast is derived from the run rate rather than from GetCostForecast, which would cost one paid
 * request per environment.
 *
 * Without `previous`, one query (all its pages) reads the whole 90 days. With the environments' stored series and a
 * `refreshWindowDays`, one query reads only the days Cost Explorer may still revise (see `refreshWindowStart`) and
 * they replace those days of the stored series; environments without a usable stored series get their whole
 * history from one more query filtered on their tag values (or the whole account is read again when they are most).
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
  const budgetsClient = await factory.getClient(BudgetsClient, account);
  const budgets: Budget[] = [];
  for await (const page of paginateDescribeBudgets(
    { client: budgetsClient },
    { AccountId: account.accountId },
  )) {
    budgets.push(...(page.Budgets ?? []));
  }

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
  if (full || !previous) {
    const fetched = await fetchDailyCosts(
      ce,
      costAndUsageRequest(now),
      new Set(environments),
    );
    fetched.perEnv.forEach((days, env) => perEnv.set(env, days));
    currency = fetched.currency;
    requests += fetched.requests;
  } else {
    if (backfilled.length) {
      const fetched = await fetchDailyCosts(
        ce,
        costAndUsageRequest(now, { environments: backfilled }),
        new Set(backfilled),
      );
      fetched.perEnv.forEach((days, env) => perEnv.set(env, days));
      currency = fetched.currency;
      requests += fetched.requests;
    }
    const refreshed = new Set(
      environments.filter(env => !backfilled.includes(env)),
    );
    const recent = await fetchDailyCosts(
      ce,
      costAndUsageRequest(now, { start: since }),
      refreshed,
    );
    currency = recent.currency ?? currency;
    requests += recent.requests;
    for (const env of refreshed) {
      const stored = previous.get(env)!;
      currency ??= stored.currency;
      // Days of the window are replaced whole: a day the window no longer reports for the environment cost nothing.
      const days: DailySeries = new Map(
        stored.daily
          .filter(p => p.date >= historyStart && p.date < since)
          .map(p => [p.date, p]),
      );
      recent.perEnv.get(env)?.forEach((point, date) => days.set(date, point));
      perEnv.set(env, days);
    }
  }
  const fetch: CostFetch = {
    mode: full ? 'full' : 'incremental',
    since: full ? historyStart : since,
    backfilled: full ? [] : backfilled,
    requests,
  };

  const dates = Array.from({ length: COST_HISTORY_DAYS }, (_, i) =>
    addDays(historyStart, i),
  );
  const today = startOfUtcDay(now);
  const monthStart = isoDate(
    new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1)),
  );
  const lastMonthStart = isoDate(
    new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1)),
  );
  const daysInMonth = new Date(
    Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 0),
  ).getUTCDate();
  // The series ends yesterday; today and the rest of the month are forecast.
  const remainingDays = daysInMonth - today.getUTCDate() + 1;

  const reports = new Map<string, CostsReport>();
  for (const environment of environments) {
    const days = perEnv.get(environment) ?? new Map<string, CostPoint>();
    const daily: CostPoint[] = dates.map(date => {
      const point = days.get(date);
      return point
        ? { date, amount: point.amount, byService: { ...point.byService } }
        : { date, amount: 0, byService: {} };
    });
    const sum = (points: CostPoint[]) =>
      points.reduce((total, p) => total + p.amount, 0);
    const monthToDate = sum(daily.filter(p => p.date >= monthStart));
    const lastMonth = sum(
      daily.filter(p => p.date >= lastMonthStart && p.date < monthStart),
    );
    const runRate = sum(daily.slice(-RUN_RATE_DAYS)) / RUN_RATE_DAYS;
    const services = new Map<string, number>();
    for (const point of daily.slice(-30)) {
      for (const [service, amount] of Object.entries(point.byService)) {
        services.set(service, (services.get(service) ?? 0) + amount);
      }
    }
    const budget = budgets.find(b => budgetMatches(b, environment));
    reports.set(environment, {
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
    });
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
