/**
 * Cost Explorer and Budgets of the simulated organization: daily unblended cost per environment and service, sized
 * to each environment's stage, with a weekly rhythm and seeded noise, for the 90 days before today (or since the
 * environment was created: its first day counts from its creation, today up to now).
 */
import {
  TAG_ENVIRONMENT,
  type Stage,
} from '@internal/plugin-aws-environments-common';
import type { CloudFormationEngine } from './cloudformation/engine';
import { awsError } from './errors';
import {
  environments,
  environmentResources,
  type EnvironmentInfo,
} from './inventory';
import { hashSeed, SeededRandom } from './random';
import type { CommandContext, CommandHandlers } from './types';

const DAY = 86_400_000;
export const COST_HISTORY_DAYS = 90;

/** Daily USD of a production environment per service, as Cost Explorer names the services. */
const PROD_DAILY: Array<{
  service: string;
  daily: number;
  weekly: boolean;
  fixed?: boolean;
}> = [
  {
    service: 'Amazon Elastic Compute Cloud - Compute',
    daily: 38,
    weekly: true,
  },
  { service: 'Amazon Relational Database Service', daily: 24, weekly: false },
  { service: 'EC2 - Other', daily: 9.5, weekly: true },
  {
    service: 'Amazon Elastic Kubernetes Service',
    daily: 2.4,
    weekly: false,
    fixed: true,
  },
  { service: 'Amazon CloudFront', daily: 6.2, weekly: true },
  { service: 'Amazon Elastic Load Balancing', daily: 2.1, weekly: true },
  { service: 'AWS WAF', daily: 3.2, weekly: false },
  { service: 'Amazon Simple Storage Service', daily: 2.1, weekly: false },
  { service: 'AmazonCloudWatch', daily: 3.4, weekly: false },
  { service: 'Amazon Virtual Private Cloud', daily: 1.1, weekly: false },
  { service: 'AWS Key Management Service', daily: 0.4, weekly: false },
  { service: 'AWS Secrets Manager', daily: 0.15, weekly: false },
  { service: 'AWS Backup', daily: 1.2, weekly: false },
];

/** Account-wide services nobody tags to an environment. */
const UNTAGGED_DAILY = [
  { service: 'AWS CloudTrail', daily: 0.6 },
  { service: 'AWS Config', daily: 1.4 },
  { service: 'Amazon GuardDuty', daily: 1.9 },
  { service: 'AWS Security Hub', daily: 0.8 },
  { service: 'Amazon Inspector', daily: 0.7 },
];

const STAGE_SCALE: Record<Stage, number> = { prod: 1, staging: 0.3, dev: 0.2 };

export interface CostRow {
  day: number; // epoch ms, UTC midnight
  environment: string; // '' when untagged
  service: string;
  amount: number;
  accountId: string;
  region: string;
}

function utcMidnight(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function parseDay(value: string | undefined, field: string): number {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    throw awsError(
      'costexplorer',
      'ValidationException',
      `${field} must be a date in the format yyyy-MM-dd`,
    );
  }
  return Date.parse(`${value}T00:00:00Z`);
}

/** Size factor of one environment within its stage: a little variety so environments differ. */
function environmentScale(
  seed: number,
  info: Pick<EnvironmentInfo, 'name' | 'stage'>,
): number {
  const jitter = SeededRandom.for(seed, 'env-scale', info.name).between(
    0.85,
    1.15,
  );
  return (STAGE_SCALE[info.stage] ?? STAGE_SCALE.dev) * jitter;
}

/**
 * Computes costs per query from the environments' stacks and the seed: nothing is materialised up front, a query
 * visits only the days and environments it asks for, and the same day always costs the same.
 */
export class CostModel {
  constructor(
    private readonly engine: CloudFormationEngine,
    private readonly seed: number,
    private readonly now: () => number,
  ) {}

  private readonly seriesSeeds = new Map<string, number>();

  /** Daily cost of one environment and service (full day). */
  dailyCost(
    info: Pick<EnvironmentInfo, 'name' | 'stage'>,
    service: string,
    day: number,
  ): number {
    const profile = PROD_DAILY.find(p => p.service === service);
    if (!profile) return 0;
    return this.profileCost(info, profile, day);
  }

  private profileCost(
    info: Pick<EnvironmentInfo, 'name' | 'stage'>,
    profile: (typeof PROD_DAILY)[number],
    day: number,
  ): number {
    const seriesSeed = this.seriesSeedOf(info.name, profile.service);
    const scale = profile.fixed ? 1 : this.scaleOf(info);
    const weekday = new Date(day).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    let rhythm = 1;
    if (profile.weekly) rhythm = weekend ? 0.78 : 1.06;
    const noise = new SeededRandom(seriesSeed ^ (day / DAY)).between(
      0.94,
      1.06,
    );
    // A slow upward drift over the quarter, as traffic grows.
    const trend = 1 + ((day / DAY) % 365) * 0.0004;
    return profile.daily * scale * rhythm * noise * trend;
  }

  private seriesSeedOf(environment: string, service: string): number {
    const key = `${environment}\u0000${service}`;
    let seriesSeed = this.seriesSeeds.get(key);
    if (seriesSeed === undefined) {
      seriesSeed = hashSeed(this.seed, 'cost', environment, service);
      this.seriesSeeds.set(key, seriesSeed);
    }
    return seriesSeed;
  }

  private readonly scales = new Map<string, number>();

  private scaleOf(info: Pick<EnvironmentInfo, 'name' | 'stage'>): number {
    let scale = this.scales.get(info.name);
    if (scale === undefined) {
      scale = environmentScale(this.seed, info);
      this.scales.set(info.name, scale);
    }
    return scale;
  }

  /**
   * Visits the rows of one account from `from` (inclusive) to `to` (exclusive), day by day, without keeping them.
   * Today counts a partial day. The visited row object is reused: copy what must outlive the call.
   */
  forEachRow(
    accountId: string,
    from: number,
    to: number,
    visit: (row: Readonly<CostRow>) => void,
  ): void {
    const now = this.now();
    const today = utcMidnight(now);
    const earliest = today - COST_HISTORY_DAYS * DAY;
    const first = Math.max(utcMidnight(from), earliest);
    if (first >= to || first > today) return;
    const envs = environments(this.engine, { accountId });
    const envRegion = envs[0]?.region ?? 'eu-central-1';
    // Services an environment does not run cost nothing (e.g. no WAF when the template left it out).
    const running = envs.map(info => {
      const hasCdn =
        environmentResources(info, 'AWS::CloudFront::Distribution').length > 0;
      const hasWaf =
        environmentResources(info, 'AWS::WAFv2::WebACL').length > 0;
      const scale = this.scaleOf(info);
      return {
        info,
        createdDay: utcMidnight(info.createdAt),
        series: PROD_DAILY.filter(
          p =>
            (p.service !== 'Amazon CloudFront' || hasCdn) &&
            (p.service !== 'AWS WAF' || hasWaf),
        ).map(profile => ({
          profile,
          seed: this.seriesSeedOf(info.name, profile.service),
          scale: profile.fixed ? 1 : scale,
        })),
      };
    });
    const row: CostRow = {
      day: 0,
      environment: '',
      service: '',
      amount: 0,
      accountId,
      region: envRegion,
    };
    for (let day = first; day < to && day <= today; day += DAY) {
      const fraction = day === today ? (now - today) / DAY : 1;
      const dayIndex = day / DAY;
      const weekday = new Date(day).getUTCDay();
      const weeklyRhythm = weekday === 0 || weekday === 6 ? 0.78 : 1.06;
      // A slow upward drift over the quarter, as traffic grows.
      const trend = 1 + (dayIndex % 365) * 0.0004;
      row.day = day;
      for (const { info, createdDay, series } of running) {
        if (createdDay > day) continue;
        // The environment costs from its creation on: part of its first day, up to now today.
        const share =
          (Math.min(day + DAY, now) - Math.max(day, info.createdAt)) / DAY;
        if (share <= 0) continue;
        row.environment = info.name;
        row.region = info.region;
        for (const { profile, seed, scale } of series) {
          const noise = new SeededRandom(seed ^ dayIndex).between(0.94, 1.06);
          const rhythm = profile.weekly ? weeklyRhythm : 1;
          row.service = profile.service;
          row.amount = profile.daily * scale * rhythm * noise * trend * share;
          visit(row);
        }
      }
      row.environment = '';
      row.region = envRegion;
      for (const item of UNTAGGED_DAILY) {
        const noise = SeededRandom.for(
          this.seed,
          'untagged',
          accountId,
          item.service,
          day,
        ).between(0.9, 1.1);
        row.service = item.service;
        row.amount = item.daily * noise * fraction;
        visit(row);
      }
    }
  }

  /** Rows of one account from `from` (inclusive) to `to` (exclusive), as copies. */
  rows(accountId: string, from: number, to: number): CostRow[] {
    const rows: CostRow[] = [];
    this.forEachRow(accountId, from, to, row => rows.push({ ...row }));
    return rows;
  }

  /** Mean daily cost of the last 14 full days of the rows `filter` keeps. */
  meanOfLastTwoWeeks(
    accountId: string,
    filter: (row: Readonly<CostRow>) => boolean,
  ): number {
    const today = utcMidnight(this.now());
    let total = 0;
    this.forEachRow(accountId, today - 14 * DAY, today, row => {
      if (filter(row)) total += row.amount;
    });
    return total / 14;
  }

  /** The forecast of each day from `from` to `to`: the mean of the last 14 full days with a weekday factor. */
  forecast(
    accountId: string,
    filter: (row: Readonly<CostRow>) => boolean,
    from: number,
    to: number,
  ) {
    return forecastDays(this.meanOfLastTwoWeeks(accountId, filter), from, to);
  }
}

function forecastDays(mean: number, from: number, to: number) {
  const days: Array<{ day: number; amount: number }> = [];
  for (let day = utcMidnight(from); day < to; day += DAY) {
    const weekday = new Date(day).getUTCDay();
    const rhythm = weekday === 0 || weekday === 6 ? 0.9 : 1.04;
    days.push({ day, amount: mean * rhythm });
  }
  return days;
}

type Expression = {
  And?: Expression[];
  Or?: Expression[];
  Not?: Expression;
  Tags?: { Key?: string; Values?: string[]; MatchOptions?: string[] };
  Dimensions?: { Key?: string; Values?: string[]; MatchOptions?: string[] };
};

function matches(expression: Expression | undefined, row: CostRow): boolean {
  if (!expression) return true;
  if (expression.And) return expression.And.every(e => matches(e, row));
  if (expression.Or) return expression.Or.some(e => matches(e, row));
  if (expression.Not) return !matches(expression.Not, row);
  if (expression.Tags) {
    const { Key, Values = [], MatchOptions = [] } = expression.Tags;
    const value = Key === TAG_ENVIRONMENT ? row.environment : '';
    if (MatchOptions.includes('ABSENT'))
      return value === '' || Values.includes(value);
    return value !== '' && Values.includes(value);
  }
  if (expression.Dimensions) {
    const { Key, Values = [] } = expression.Dimensions;
    const value = dimensionValue(Key ?? '', row);
    return Values.includes(value);
  }
  return true;
}

function dimensionValue(key: string, row: CostRow): string {
  switch (key) {
    case 'SERVICE':
      return row.service;
    case 'LINKED_ACCOUNT':
      return row.accountId;
    case 'REGION':
      return row.service === 'Amazon CloudFront' || row.service === 'AWS WAF'
        ? 'global'
        : row.region;
    case 'RECORD_TYPE':
      return 'Usage';
    default:
      throw awsError(
        'costexplorer',
        'ValidationException',
        `Dimension ${key} is not supported by the simulated Cost Explorer`,
      );
  }
}

const COST_METRICS = new Set([
  'UnblendedCost',
  'BlendedCost',
  'AmortizedCost',
  'NetUnblendedCost',
  'NetAmortizedCost',
  'UsageQuantity',
  'NormalizedUsageAmount',
]);

function metricValues(metrics: string[], amount: number) {
  return Object.fromEntries(
    metrics.map(m => [
      m,
      m === 'UsageQuantity' || m === 'NormalizedUsageAmount'
        ? { Amount: (amount * 9.7).toFixed(4), Unit: 'N/A' }
        : { Amount: amount.toFixed(10), Unit: 'USD' },
    ]),
  );
}

function timeBuckets(
  start: number,
  end: number,
  granularity: string,
): Array<{ start: number; end: number }> {
  const buckets: Array<{ start: number; end: number }> = [];
  if (granularity === 'DAILY') {
    for (let day = start; day < end; day += DAY)
      buckets.push({ start: day, end: day + DAY });
    return buckets;
  }
  let cursor = start;
  while (cursor < end) {
    const date = new Date(cursor);
    const nextMonth = Date.UTC(
      date.getUTCFullYear(),
      date.getUTCMonth() + 1,
      1,
    );
    buckets.push({ start: cursor, end: Math.min(nextMonth, end) });
    cursor = Math.min(nextMonth, end);
  }
  return buckets;
}

interface CostResult {
  TimePeriod: { Start: string; End: string };
  Total: Record<string, { Amount: string; Unit: string }>;
  Groups: Array<{
    Keys: string[];
    Metrics: Record<string, { Amount: string; Unit: string }>;
  }>;
  Estimated: boolean;
}

export interface CostExplorerOptions {
  /**
   * Groups per page of GetCostAndUsage before it returns a NextPageToken (pages hold whole time periods). AWS does
   * not publish this figure: the API reference says only that the token comes "when the response from a previous
   * call has more results than the maximum page size" (API_GetCostAndUsage, NextPageToken; read on 2026-12-04). The
   * value is an assumption of the simulation; what is billed is the number of pages, so budgets computed on it
   * (scripts/costExplorerBudget.ts in the backend) scale with the figure chosen here.
   */
  groupsPerPage: number;
}

export function costExplorerHandlers(
  model: CostModel,
  options: CostExplorerOptions,
): CommandHandlers {
  // The answer of a query, kept for a minute of the organization's clock so that following its NextPageToken does
  // not compute every page again (the token is an index into the answer). A first page always computes afresh.
  const answers = new Map<string, { at: number; results: CostResult[] }>();
  return {
    GetCostAndUsage: (
      ctx: CommandContext,
      input: {
        TimePeriod?: { Start?: string; End?: string };
        Granularity?: string;
        Filter?: Expression;
        Metrics?: string[];
        GroupBy?: Array<{ Type?: string; Key?: string }>;
        NextPageToken?: string;
      },
    ) => {
      const start = parseDay(input.TimePeriod?.Start, 'Start');
      const end = parseDay(input.TimePeriod?.End, 'End');
      if (start >= end) {
        throw awsError(
          'costexplorer',
          'ValidationException',
          'Start date (inclusive) must be earlier than end date (exclusive)',
        );
      }
      const granularity = input.Granularity ?? 'MONTHLY';
      if (granularity !== 'DAILY' && granularity !== 'MONTHLY') {
        throw awsError(
          'costexplorer',
          'ValidationException',
          `Granularity ${granularity} is not supported by the simulated Cost Explorer (DAILY, MONTHLY)`,
        );
      }
      const metrics = input.Metrics ?? [];
      if (metrics.length === 0 || metrics.some(m => !COST_METRICS.has(m))) {
        throw awsError(
          'costexplorer',
          'ValidationException',
          `Metrics must be a non-empty list of ${[...COST_METRICS].join(', ')}`,
        );
      }
      const groupBy = input.GroupBy ?? [];
      if (groupBy.length > 2) {
        throw awsError(
          'costexplorer',
          'ValidationException',
          'You can group by up to two dimensions or tags',
        );
      }
      const keyOf = (row: CostRow) =>
        groupBy.map(g =>
          g.Type === 'TAG'
            ? `${g.Key}$${g.Key === TAG_ENVIRONMENT ? row.environment : ''}`
            : dimensionValue(g.Key ?? '', row),
        );

      const answer = (): CostResult[] => {
        const buckets = timeBuckets(start, end, granularity);
        const grouped = buckets.map(
          () => new Map<string, { keys: string[]; amount: number }>(),
        );
        const totals = buckets.map(() => 0);
        let bucketIndex = 0;
        model.forEachRow(ctx.accountId, start, end, row => {
          if (!matches(input.Filter, row)) return;
          while (buckets[bucketIndex].end <= row.day) bucketIndex++;
          totals[bucketIndex] += row.amount;
          if (groupBy.length === 0) return;
          const keys = keyOf(row);
          const id = keys.join('\u0000');
          const groups = grouped[bucketIndex];
          const group = groups.get(id);
          if (group) group.amount += row.amount;
          else groups.set(id, { keys, amount: row.amount });
        });
        const todayStart = Math.floor(ctx.now() / DAY) * DAY;
        return buckets.map((bucket, index): CostResult => {
          const timePeriod = {
            Start: isoDay(bucket.start),
            End: isoDay(bucket.end),
          };
          const estimated = bucket.end > todayStart - DAY;
          if (groupBy.length === 0) {
            return {
              TimePeriod: timePeriod,
              Total: metricValues(metrics, totals[index]),
              Groups: [],
              Estimated: estimated,
            };
          }
          return {
            TimePeriod: timePeriod,
            Total: {},
            Groups: [...grouped[index].values()]
              .sort((x, y) => x.keys.join().localeCompare(y.keys.join()))
              .map(g => ({
                Keys: g.keys,
                Metrics: metricValues(metrics, g.amount),
              })),
            Estimated: estimated,
          };
        });
      };
      const { NextPageToken: _token, ...query } = input;
      const answerKey = `${ctx.accountId}|${JSON.stringify(query)}`;
      const kept = answers.get(answerKey);
      const results =
        kept &&
        input.NextPageToken &&
        ctx.now() - kept.at >= 0 &&
        ctx.now() - kept.at < 60_000
          ? kept.results
          : answer();
      if (results !== kept?.results) {
        if (answers.size >= 32) answers.clear();
        answers.set(answerKey, { at: ctx.now(), results });
      }

      // Pages hold whole time periods, as many as fit in the group budget (at least one).
      const first = input.NextPageToken
        ? Number(Buffer.from(input.NextPageToken, 'base64').toString('utf8')) ||
          0
        : 0;
      let last = first;
      let groupCount = 0;
      while (last < results.length) {
        const size = Math.max(1, results[last].Groups.length);
        if (last > first && groupCount + size > options.groupsPerPage) break;
        groupCount += size;
        last += 1;
      }
      return {
        GroupDefinitions: groupBy,
        ResultsByTime: results.slice(first, last),
        DimensionValueAttributes: [],
        ...(last < results.length
          ? { NextPageToken: Buffer.from(String(last)).toString('base64') }
          : {}),
      };
    },

    GetCostForecast: (
      ctx: CommandContext,
      input: {
        TimePeriod?: { Start?: string; End?: string };
        Metric?: string;
        Granularity?: string;
        Filter?: Expression;
        PredictionIntervalLevel?: number;
      },
    ) => {
      const start = parseDay(input.TimePeriod?.Start, 'Start');
      const end = parseDay(input.TimePeriod?.End, 'End');
      const today = Math.floor(ctx.now() / DAY) * DAY;
      if (start < today) {
        throw awsError(
          'costexplorer',
          'ValidationException',
          'Start date must be equal to or no later than the current date to avoid a mismatch between the actual and forecasted costs',
        );
      }
      if (end <= start) {
        throw awsError(
          'costexplorer',
          'ValidationException',
          'End date must be later than start date',
        );
      }
      if (!input.Metric)
        throw awsError(
          'costexplorer',
          'ValidationException',
          'Metric is required',
        );
      const days = model.forecast(
        ctx.accountId,
        row => matches(input.Filter, row),
        start,
        end,
      );
      const granularity = input.Granularity ?? 'MONTHLY';
      const buckets = timeBuckets(
        start,
        end,
        granularity === 'DAILY' ? 'DAILY' : 'MONTHLY',
      );
      const spread = (100 - (input.PredictionIntervalLevel ?? 80)) / 100 + 0.08;
      const forecastResults = buckets.map(bucket => {
        const mean = days
          .filter(d => d.day >= bucket.start && d.day < bucket.end)
          .reduce((s, d) => s + d.amount, 0);
        return {
          TimePeriod: { Start: isoDay(bucket.start), End: isoDay(bucket.end) },
          MeanValue: mean.toFixed(10),
          PredictionIntervalLowerBound: (mean * (1 - spread)).toFixed(10),
          PredictionIntervalUpperBound: (mean * (1 + spread)).toFixed(10),
        };
      });
      const total = days.reduce((s, d) => s + d.amount, 0);
      return {
        Total: { Amount: total.toFixed(10), Unit: 'USD' },
        ForecastResultsByTime: forecastResults,
      };
    },
  };
}

export interface BudgetsOptions {
  /** Environment whose budget is forecast to be exceeded. */
  overrunEnvironment: string;
}

export function budgetsHandlers(
  engine: CloudFormationEngine,
  model: CostModel,
  seed: number,
  options: BudgetsOptions,
): CommandHandlers {
  return {
    DescribeBudgets: (
      ctx: CommandContext,
      input: { AccountId?: string; MaxResults?: number; NextToken?: string },
    ) => {
      if (input.AccountId !== ctx.accountId) {
        throw awsError(
          'budgets',
          'AccessDeniedException',
          `User is not authorized to view budgets of account ${input.AccountId}`,
        );
      }
      const now = ctx.now();
      const date = new Date(now);
      const monthStart = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
      const monthEnd = Date.UTC(
        date.getUTCFullYear(),
        date.getUTCMonth() + 1,
        1,
      );
      const today = Math.floor(now / DAY) * DAY;
      // One pass over the month and one over the last two weeks, whatever the number of environments.
      const actualOf = new Map<string, number>();
      model.forEachRow(ctx.accountId, monthStart, today + DAY, row => {
        if (row.environment)
          actualOf.set(
            row.environment,
            (actualOf.get(row.environment) ?? 0) + row.amount,
          );
      });
      const recentOf = new Map<string, number>();
      model.forEachRow(ctx.accountId, today - 14 * DAY, today, row => {
        if (row.environment)
          recentOf.set(
            row.environment,
            (recentOf.get(row.environment) ?? 0) + row.amount,
          );
      });
      const budgets = environments(engine, { accountId: ctx.accountId }).map(
        info => {
          const actual = actualOf.get(info.name) ?? 0;
          const remaining = forecastDays(
            (recentOf.get(info.name) ?? 0) / 14,
            today + DAY,
            monthEnd,
          ).reduce((s, d) => s + d.amount, 0);
          const forecast = actual + remaining;
          const declared = environmentResources(info, 'AWS::Budgets::Budget')[0]
            ?.properties as any;
          const declaredLimit = Number(
            declared?.Budget?.BudgetLimit?.Amount ?? NaN,
          );
          const headroom = SeededRandom.for(seed, 'budget', info.name).between(
            1.15,
            1.4,
          );
          let limit = Math.ceil((forecast * headroom) / 50) * 50;
          if (info.name === options.overrunEnvironment) {
            // Under the forecast but above what is spent so far: on track to overrun, not overrun yet.
            limit = Math.round((actual + (forecast - actual) * 0.4) / 10) * 10;
          } else if (
            Number.isFinite(declaredLimit) &&
            declaredLimit > forecast
          ) {
            limit = declaredLimit;
          }
          return {
            BudgetName: String(
              declared?.Budget?.BudgetName ?? `${info.name}-monthly`,
            ),
            BudgetLimit: { Amount: limit.toFixed(1), Unit: 'USD' },
            CostFilters: {
              TagKeyValue: [`user:${TAG_ENVIRONMENT}$${info.name}`],
            },
            CostTypes: {
              IncludeTax: true,
              IncludeSubscription: true,
              UseBlended: false,
              IncludeRefund: false,
              IncludeCredit: false,
              IncludeUpfront: true,
              IncludeRecurring: true,
              IncludeOtherSubscription: true,
              IncludeSupport: true,
              IncludeDiscount: true,
              UseAmortized: false,
            },
            TimeUnit: 'MONTHLY',
            TimePeriod: {
              Start: new Date(Date.UTC(2024, 0, 1)),
              End: new Date(Date.UTC(2087, 5, 15)),
            },
            CalculatedSpend: {
              ActualSpend: { Amount: actual.toFixed(2), Unit: 'USD' },
              ForecastedSpend: { Amount: forecast.toFixed(2), Unit: 'USD' },
            },
            BudgetType: 'COST',
            LastUpdatedTime: new Date(today),
          };
        },
      );
      const start = input.NextToken
        ? Number(Buffer.from(input.NextToken, 'base64').toString('utf8')) || 0
        : 0;
      const size = input.MaxResults ?? 100;
      const next =
        start + size < budgets.length
          ? Buffer.from(String(start + size)).toString('base64')
          : undefined;
      return {
        Budgets: budgets.slice(start, start + size),
        ...(next ? { NextToken: next } : {}),
      };
    },
  };
}
