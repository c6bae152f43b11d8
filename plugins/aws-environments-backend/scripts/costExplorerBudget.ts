/*
 * What Cost Explorer costs per account: pages of a full read and of an incremental refresh, measured against the
 * simulated organization, and the requests and dollars per account and month they add up to on the configured
 * schedule (not a test: it prints figures).
 *
 *   cd plugins/aws-environments-backend && yarn benchmark:costs
 *   BENCH_COST_ENVIRONMENTS=250,1000 yarn benchmark:costs
 *
 * The pages depend on how many groups Cost Explorer puts in one page, which AWS does not publish; the simulated
 * organization's figure is printed with the results.
 */
import { ConfigReader } from '@backstage/config';
import {
  createSimulatedAwsClientFactory,
  type SimulatedAwsClientFactory,
} from '@internal/plugin-aws-environments-simulator';
import path from 'node:path';
import { readInsightsConfig } from '../src/config';
import {
  COST_EXPLORER_USD_PER_REQUEST,
  collectAccountCostSeries,
} from '../src/service/collectors/costs';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Groups per GetCostAndUsage page in the measurements: the simulated organization's default, an assumption. */
export const SIMULATED_GROUPS_PER_PAGE = 5000;

/** An average month: 365.25 / 12 days. */
export const DAYS_PER_MONTH = 365.25 / 12;

/** The account every simulated environment of a measurement lives in. */
export const BUDGET_ACCOUNT = {
  accountId: '222222222222',
  name: 'Innovate Dev',
  stage: 'dev' as const,
  regions: ['eu-central-1'],
  defaultRegion: 'eu-central-1',
};

export interface CostExplorerSchedule {
  /** Cost refreshes per day (the `costs` schedule). */
  runsPerDay: number;
  /** Days between two full reads of an account (`costs.fullRefreshInterval`). */
  fullRefreshDays: number;
}

/** The schedule of the default configuration. */
export function defaultCostExplorerSchedule(): CostExplorerSchedule {
  const config = readInsightsConfig(new ConfigReader({}));
  const every = config.schedule.costs;
  const runMs =
    ((every as { hours?: number }).hours ?? 0) * 3_600_000 +
    ((every as { minutes?: number }).minutes ?? 0) * 60_000;
  return {
    runsPerDay: runMs > 0 ? DAY_MS / runMs : 1,
    fullRefreshDays: config.costs.fullRefreshIntervalMs / DAY_MS,
  };
}

/**
 * Requests per account and month: every run is incremental except the full reads, one per `fullRefreshDays`
 * (a full read takes the place of that run's incremental one).
 */
export function monthlyCostExplorerRequests(
  pages: { full: number; incremental: number },
  schedule: CostExplorerSchedule,
): number {
  const runs = schedule.runsPerDay * DAYS_PER_MONTH;
  const fulls = DAYS_PER_MONTH / schedule.fullRefreshDays;
  return (runs - fulls) * pages.incremental + fulls * pages.full;
}

export interface CostExplorerBudgetRow {
  environmentsPerAccount: number;
  fullPages: number;
  incrementalPages: number;
  requestsPerMonth: number;
  usdPerMonth: number;
}

/**
 * Runs a full read and, a refresh later, an incremental one for one account holding `environmentsPerAccount`
 * environments of the organization `createFactory` builds (its clock must follow `now`), counting the pages through
 * the organization's request counts.
 */
export async function measureCostExplorerBudget(options: {
  createFactory: (
    environmentsPerAccount: number,
    now: () => number,
  ) => SimulatedAwsClientFactory;
  environmentsPerAccount: number;
  schedule?: CostExplorerSchedule;
  collect?: typeof collectAccountCostSeries;
  start?: Date;
}): Promise<CostExplorerBudgetRow> {
  const schedule = options.schedule ?? defaultCostExplorerSchedule();
  const collect = options.collect ?? collectAccountCostSeries;
  let clock = options.start ?? new Date('2026-11-20T06:00:00Z');
  const factory = options.createFactory(options.environmentsPerAccount, () =>
    clock.getTime(),
  );
  await factory.organization.whenReady();
  const account = {
    accountId: BUDGET_ACCOUNT.accountId,
    region: BUDGET_ACCOUNT.defaultRegion,
  };
  const names = factory.organization
    .listEnvironments()
    .filter(e => e.accountId === account.accountId)
    .map(e => e.name);
  const pages = () =>
    factory.getRequestCounts().costexplorer?.GetCostAndUsage ?? 0;

  factory.resetRequestCounts();
  const full = await collect(factory, account, names, clock);
  const fullPages = pages();

  clock = new Date(clock.getTime() + DAY_MS / schedule.runsPerDay);
  factory.resetRequestCounts();
  await collect(factory, account, names, clock, {
    previous: full.reports,
    refreshWindowDays: 3,
  });
  const incrementalPages = pages();

  const requestsPerMonth = monthlyCostExplorerRequests(
    { full: fullPages, incremental: incrementalPages },
    schedule,
  );
  return {
    environmentsPerAccount: names.length,
    fullPages,
    incrementalPages,
    requestsPerMonth,
    usdPerMonth: requestsPerMonth * COST_EXPLORER_USD_PER_REQUEST,
  };
}

/** Measures and prints the Cost Explorer budget at each environment count per account (default 250 and 1,000). */
export async function printCostExplorerBudget(options: {
  createFactory: (
    environmentsPerAccount: number,
    now: () => number,
  ) => SimulatedAwsClientFactory;
  environmentsPerAccount?: number[];
  groupsPerPage?: number;
  log?: (line: string) => void;
}): Promise<CostExplorerBudgetRow[]> {
  const log = options.log ?? console.log;
  const schedule = defaultCostExplorerSchedule();
  const rows: CostExplorerBudgetRow[] = [];
  log('');
  const pageSize = options.groupsPerPage
    ? `, ${options.groupsPerPage} groups per page (simulated; AWS does not publish its page size)`
    : '';
  log(
    `Cost Explorer per account: ${schedule.runsPerDay} refreshes a day, a full read every ${schedule.fullRefreshDays} days, $${COST_EXPLORER_USD_PER_REQUEST} per page (request)${pageSize}`,
  );
  log(
    'environments/account | full read pages | incremental pages | requests/month | $/account/month',
  );
  for (const count of options.environmentsPerAccount ?? [250, 1000]) {
    const row = await measureCostExplorerBudget({
      createFactory: options.createFactory,
      environmentsPerAccount: count,
      schedule,
    });
    rows.push(row);
    log(
      `${String(row.environmentsPerAccount).padStart(21)} | ${String(
        row.fullPages,
      ).padStart(15)} | ${String(row.incrementalPages).padStart(
        17,
      )} | ${row.requestsPerMonth.toFixed(1).padStart(14)} | ${row.usdPerMonth
        .toFixed(2)
        .padStart(15)}`,
    );
  }
  return rows;
}

/** The simulated organization of one account with `environmentsPerAccount` environments (the two seeded ones too). */
export function budgetOrganizationFactory(
  create: (options: {
    blueprintDir: string;
    accounts: (typeof BUDGET_ACCOUNT)[];
    extraEnvironments: number;
    costGroupsPerPage: number;
    now: () => number;
  }) => SimulatedAwsClientFactory,
  blueprintDir: string,
  groupsPerPage: number = SIMULATED_GROUPS_PER_PAGE,
) {
  return (environmentsPerAccount: number, now: () => number) =>
    create({
      blueprintDir,
      accounts: [BUDGET_ACCOUNT],
      // innovate-dev and innovate-staging are seeded in the dev account.
      extraEnvironments: Math.max(0, environmentsPerAccount - 2),
      costGroupsPerPage: groupsPerPage,
      now,
    });
}

/** `yarn benchmark:costs`, and the benchmark's last section. */
export async function runCostExplorerBudget(): Promise<void> {
  const counts = (process.env.BENCH_COST_ENVIRONMENTS ?? '250,1000')
    .split(',')
    .map(Number)
    .filter(n => n >= 2);
  await printCostExplorerBudget({
    createFactory: budgetOrganizationFactory(
      createSimulatedAwsClientFactory,
      path.resolve(
        __dirname,
        '../../../templates/aws-environment/cloudformation',
      ),
    ),
    environmentsPerAccount: counts,
    groupsPerPage: SIMULATED_GROUPS_PER_PAGE,
  });
}

if (require.main === module) {
  runCostExplorerBudget().catch(error => {
    console.error(error);
    process.exitCode = 1;
  });
}
