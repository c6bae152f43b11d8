import { createSimulatedAwsClientFactory } from '@internal/plugin-aws-environments-simulator';
import path from 'node:path';
import {
  budgetOrganizationFactory,
  defaultCostExplorerSchedule,
  measureCostExplorerBudget,
  monthlyCostExplorerRequests,
} from '../../../scripts/costExplorerBudget';

// Seeding a thousand simulated environments takes a while on a busy machine.
jest.setTimeout(15 * 60_000);

const blueprintDir = path.resolve(
  __dirname,
  '../../../../../templates/aws-environment/cloudformation',
);
const createFactory = budgetOrganizationFactory(
  createSimulatedAwsClientFactory,
  blueprintDir,
);

describe('Cost Explorer budget per account', () => {
  it('counts every run of the month, a full read taking the place of one incremental run', () => {
    const schedule = { runsPerDay: 3, fullRefreshDays: 30 };
    const month = 365.25 / 12;
    expect(
      monthlyCostExplorerRequests({ full: 7, incremental: 1 }, schedule),
    ).toBeCloseTo(3 * month - month / 30 + (7 * month) / 30, 6);
    // A weekly full read of the same size would not fit in $1 a month.
    expect(
      monthlyCostExplorerRequests(
        { full: 7, incremental: 1 },
        { runsPerDay: 3, fullRefreshDays: 7 },
      ),
    ).toBeGreaterThan(100);
  });

  it('stays at or under $1 a month at 250 environments per account on the default schedule', async () => {
    const row = await measureCostExplorerBudget({
      createFactory,
      environmentsPerAccount: 250,
    });
    expect(row.environmentsPerAccount).toBe(250);
    expect(row.incrementalPages).toBe(1);
    expect(row.fullPages).toBeGreaterThan(1);
    expect(defaultCostExplorerSchedule()).toEqual({
      runsPerDay: 3,
      fullRefreshDays: 30,
    });
    expect(row.usdPerMonth).toBeLessThanOrEqual(1);
  });

  it('reads one page per account on an incremental refresh with 1,000 environments in the account', async () => {
    const row = await measureCostExplorerBudget({
      createFactory,
      environmentsPerAccount: 1000,
    });
    expect(row.environmentsPerAccount).toBe(1000);
    expect(row.incrementalPages).toBe(1);
    // The full read pages through every day of every environment.
    expect(row.fullPages).toBeGreaterThan(10);
  });
});
