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

/** The Cost Explorer request of one account: the last 90 full days, daily, by environment tag and service. */
export function costAndUsageRequest(now: Date) {
  const end = startOfUtcDay(now);
  const start = new Date(end.getTime() - COST_HISTORY_DAYS * DAY_MS);
  return {
    TimePeriod: { Start: isoDate(start), End: isoDate(end) },
    Granularity: 'DAILY' as const,
    Metrics: ['UnblendedCost'],
    GroupBy: [
      { Type: 'TAG' as const, Key: TAG_ENVIRONMENT },
      { Type: 'DIMENSION' as const, Key: 'SERVICE' },
    ],
  };
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
 * Collects the costs of every environment of one account with a single Cost Explorer query (all its pages),
 * grouped by the `innovate:environment` cost-allocation tag and by service, and matches the account's budgets to
 * environments by name (`<env>-monthly`) or by their tag filter. The forecast is derived from the run rate rather
 * than from GetCostForecast, which would cost one paid request per environment.
 */
export async function collectAccountCosts(
  factory: AwsClientFactory,
  account: { accountId: string; region: string },
  environments: string[],
  now: Date = new Date(),
): Promise<Map<string, CostsReport>> {
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
  const request = costAndUsageRequest(now);
  const wanted = new Set(environments);
  const perEnv = new Map<string, Map<string, CostPoint>>();
  let currency = 'USD';
  let nextPageToken: string | undefined;
  // GetCostAndUsage has no SDK paginator; every page is a paid request, so the loop follows the token only.
  do {
    const page: GetCostAndUsageCommandOutput = await ce.send(
      new GetCostAndUsageCommand({ ...request, NextPageToken: nextPageToken }),
    );
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

  const end = new Date(`${request.TimePeriod.End}T00:00:00Z`);
  const dates = Array.from({ length: COST_HISTORY_DAYS }, (_, i) =>
    isoDate(new Date(end.getTime() - (COST_HISTORY_DAYS - i) * DAY_MS)),
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
    const daily = dates.map(date => {
      const point = days.get(date);
      return point
        ? {
            date,
            amount: round(point.amount),
            byService: Object.fromEntries(
              Object.entries(point.byService).map(([s, a]) => [s, round(a)]),
            ),
          }
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
      currency,
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
  return reports;
}
