import {
  CostExplorerClient,
  GetCostAndUsageCommand,
} from '@aws-sdk/client-cost-explorer';
import {
  SecurityHubClient,
  paginateGetFindings,
} from '@aws-sdk/client-securityhub';
import { createSimulatedAwsClientFactory } from '@internal/plugin-aws-environments-simulator';
import path from 'node:path';
import { environmentTarget } from './__testUtils__/fixtures';
import {
  StoredCosts,
  collectAccountCostSeries,
  collectAccountCosts,
} from './service/collectors/costs';
import { collectAccountFindings } from './service/collectors/findings';
import {
  collectHealth,
  collectHealthAndStacks,
} from './service/collectors/health';
import { groupBy } from './service/concurrency';

jest.setTimeout(60_000);

/**
 * The collectors against the simulated organization of the embedded default: the seeded environments must report
 * what the organization holds, read back through independent queries.
 */
const blueprintDir = path.resolve(
  __dirname,
  '../../../templates/aws-environment/cloudformation',
);
/** The organization's clock, fixed so that month-to-date covers whole days whatever day the test runs. */
const NOW = new Date('2026-11-20T12:00:00Z');
const factory = createSimulatedAwsClientFactory({
  blueprintDir,
  now: () => NOW.getTime(),
});

async function seeded() {
  await factory.organization.whenReady();
  return factory.organization.listEnvironments().map(env => ({
    ...environmentTarget({
      name: env.name,
      accountId: env.accountId,
      region: env.region,
      stage: env.stage,
    }),
    stacks: env.stacks,
  }));
}

describe('collectors on the simulated organization', () => {
  it('has the three seeded environments', async () => {
    expect((await seeded()).map(e => e.name).sort()).toEqual([
      'innovate-dev',
      'innovate-prod',
      'innovate-staging',
    ]);
  });

  it('reports the seeded incidents: an alarm in staging, drift in prod once detection ran', async () => {
    const envs = await seeded();
    const byName = new Map(envs.map(e => [e.name, e]));

    const dev = await collectHealth(factory, byName.get('innovate-dev')!, NOW);
    expect(dev.stacks.every(s => s.status.endsWith('_COMPLETE'))).toBe(true);
    expect(dev.eks?.status).toBe('ACTIVE');
    expect(dev.databases.length).toBeGreaterThan(0);
    expect(dev.alarms.length).toBeGreaterThan(0);

    const staging = await collectHealth(
      factory,
      byName.get('innovate-staging')!,
      NOW,
    );
    expect(staging.verdict).toBe('degraded');
    expect(staging.alarms.filter(a => a.state === 'ALARM')).toHaveLength(1);

    // The first run starts drift detection; the next one sees its result.
    await collectHealth(factory, byName.get('innovate-prod')!, NOW);
    const prod = await collectHealth(
      factory,
      byName.get('innovate-prod')!,
      NOW,
    );
    expect(prod.verdict).toBe('degraded');
    expect(
      prod.stacks.find(s => s.stackName === 'innovate-prod-security')
        ?.driftStatus,
    ).toBe('DRIFTED');
    expect(prod.reasons).toContain(
      'Stack innovate-prod-security has drifted from its template',
    );
    expect(
      prod.databases.find(d => d.identifier === 'innovate-prod-db'),
    ).toMatchObject({
      status: 'available',
      multiAz: true,
      storageEncrypted: true,
    });
  });

  it("reads innovate-prod's stacks with their resources, outputs, events and drift, and keeps unchanged ones on the next run", async () => {
    const envs = await seeded();
    const prod = envs.find(e => e.name === 'innovate-prod')!;
    // Drift detection started by an earlier run shows in this one.
    await collectHealth(factory, prod, NOW);

    factory.resetRequestCounts();
    const first = await collectHealthAndStacks(factory, prod, NOW);
    if (!('details' in first.stacks)) {
      throw first.stacks.error;
    }
    const details = first.stacks.details;
    expect(details.map(s => s.stackName)).toEqual(prod.stacks);
    for (const stack of details) {
      expect(stack.status).toMatch(/_COMPLETE$/);
      expect(stack.resources.length).toBeGreaterThan(0);
      expect(stack.events.length).toBeGreaterThan(0);
      expect(stack.events.length).toBeLessThanOrEqual(25);
    }
    expect(details.some(s => s.outputs.length > 0)).toBe(true);
    const compute = details.find(s => s.layer === 'compute')!;
    expect(compute.outputs.map(o => o.key)).toContain('ClusterName');
    expect(
      compute.resources.find(r => r.type === 'AWS::EKS::Cluster')?.physicalId,
    ).toBe(first.health.eks?.clusterName);
    const security = details.find(
      s => s.stackName === 'innovate-prod-security',
    )!;
    expect(security.driftStatus).toBe('DRIFTED');
    expect(security.resources.map(r => r.driftStatus)).toContain('MODIFIED');
    const cfnRequests = factory.getRequestCounts().cloudformation;
    expect(cfnRequests.DescribeStackResources).toBe(prod.stacks.length);
    expect(cfnRequests.DescribeStackEvents).toBe(prod.stacks.length);

    factory.resetRequestCounts();
    const second = await collectHealthAndStacks(factory, prod, NOW, {
      previousStacks: details,
    });
    expect(second.stacks).toEqual({ details });
    const again = factory.getRequestCounts().cloudformation;
    expect(again.DescribeStackResources).toBe(3);
    expect(again.DescribeStackEvents).toBeUndefined();
  });

  it('splits one Cost Explorer query per account into costs that match per-environment queries', async () => {
    const envs = await seeded();
    const now = NOW;
    factory.resetRequestCounts();
    const reports = new Map<
      string,
      Awaited<ReturnType<typeof collectAccountCosts>>
    >();
    for (const [accountId, group] of groupBy(envs, e => e.accountId)) {
      reports.set(
        accountId,
        await collectAccountCosts(
          factory,
          { accountId, region: group[0].region },
          group.map(e => e.name),
          now,
        ),
      );
    }
    // Per account: the daily totals by environment and the monthly service shares, one page each.
    const accounts = new Set(envs.map(e => e.accountId)).size;
    expect(factory.getRequestCounts().costexplorer.GetCostAndUsage).toBe(
      2 * accounts,
    );

    for (const env of envs) {
      const costs = reports.get(env.accountId)!.get(env.name)!;
      const ce = await factory.getClient(CostExplorerClient, env);
      const daily = costs.daily;
      const { ResultsByTime } = await ce.send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: '2026-11-01', End: '2026-11-20' },
          Granularity: 'MONTHLY',
          Metrics: ['UnblendedCost'],
          Filter: {
            Tags: { Key: 'innovate:environment', Values: [env.name] },
          },
        }),
      );
      const expected = (ResultsByTime ?? []).reduce(
        (sum, r) => sum + Number(r.Total?.UnblendedCost?.Amount ?? 0),
        0,
      );
      expect(costs.monthToDate).toBeCloseTo(expected, 0);
      expect(costs.monthToDate).toBeGreaterThan(0);
      expect(daily).toHaveLength(90);
      expect(daily.slice(-7).some(d => d.amount > 0)).toBe(true);
      expect(costs.budget?.name).toBe(`${env.name}-monthly`);
    }
    // The simulation puts innovate-dev on track to overrun its budget.
    const devBudget = reports.get('222222222222')!.get('innovate-dev')!.budget!;
    expect(devBudget.forecast).toBeGreaterThan(devBudget.limit);
  });

  it('keeps merged cost amounts equal to a full read, one page a run, day after day across a month end', async () => {
    let clock = new Date('2026-11-27T12:00:00Z');
    const ticking = createSimulatedAwsClientFactory({
      blueprintDir,
      now: () => clock.getTime(),
    });
    await ticking.organization.whenReady();
    const devAccount = { accountId: '222222222222', region: 'eu-central-1' };
    const envs = ticking.organization
      .listEnvironments()
      .filter(e => e.accountId === devAccount.accountId)
      .map(e => e.name);
    expect(envs.length).toBeGreaterThan(1);

    let stored: Map<string, StoredCosts> = await collectAccountCosts(
      ticking,
      devAccount,
      envs,
      clock,
    );
    for (let day = 1; day <= 7; day++) {
      clock = new Date(clock.getTime() + 24 * 60 * 60 * 1000);
      ticking.resetRequestCounts();
      const { reports, fetch } = await collectAccountCostSeries(
        ticking,
        devAccount,
        envs,
        clock,
        { previous: stored, refreshWindowDays: 3 },
      );
      expect(fetch.mode).toBe('incremental');
      expect(ticking.getRequestCounts().costexplorer.GetCostAndUsage).toBe(
        fetch.requests,
      );
      expect(fetch.requests).toBe(1);
      const full = await collectAccountCosts(ticking, devAccount, envs, clock);
      for (const env of envs) {
        const merged = reports.get(env)!;
        const read = full.get(env)!;
        // Amounts are the same; a day's split follows the service shares of the read that last saw its month.
        expect(merged.daily.map(p => [p.date, p.amount])).toEqual(
          read.daily.map(p => [p.date, p.amount]),
        );
        expect(merged.monthToDate).toBe(read.monthToDate);
        expect(merged.lastMonth).toBe(read.lastMonth);
        expect(merged.forecastMonthEnd).toBe(read.forecastMonthEnd);
        expect(merged.budget).toEqual(read.budget);
        expect(merged.topServices.slice(0, 3).map(s => s.service)).toEqual(
          read.topServices.slice(0, 3).map(s => s.service),
        );
        for (const point of merged.daily) {
          const split = Object.values(point.byService);
          expect(split.reduce((a, b) => a + b, 0)).toBeCloseTo(point.amount, 0);
        }
      }
      stored = reports;
    }
    // The last run (2026-12-04) re-read the last three days only.
    expect(stored.get('innovate-dev')!.daily.at(-1)!.date).toBe('2026-12-03');
  });

  it('counts the findings that a per-environment Security Hub query returns', async () => {
    const envs = await seeded();
    for (const [, group] of groupBy(envs, e => `${e.accountId}/${e.region}`)) {
      const { accountId, region } = group[0];
      const reports = await collectAccountFindings(
        factory,
        { accountId, region },
        group.map(e => e.name),
      );
      for (const env of group) {
        const client = await factory.getClient(SecurityHubClient, env);
        let expected = 0;
        for await (const page of paginateGetFindings(
          { client },
          {
            Filters: {
              ResourceTags: [
                {
                  Key: 'innovate:environment',
                  Value: env.name,
                  Comparison: 'EQUALS',
                },
              ],
              RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
              WorkflowStatus: [
                { Value: 'NEW', Comparison: 'EQUALS' },
                { Value: 'NOTIFIED', Comparison: 'EQUALS' },
              ],
            },
          },
        )) {
          expected += page.Findings?.length ?? 0;
        }
        const report = reports.get(env.name)!;
        const total = Object.values(report.counts).reduce((a, b) => a + b, 0);
        expect(total).toBe(expected);
        expect(total).toBeGreaterThan(0);
      }
    }
  });
});
