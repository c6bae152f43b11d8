import path from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
} from '@aws-sdk/client-cloudformation';
import {
  CostExplorerClient,
  GetCostAndUsageCommand,
  type GetCostAndUsageCommandInput,
  type ResultByTime,
} from '@aws-sdk/client-cost-explorer';
import { createSimulatedAwsClientFactory } from './factory';

const BLUEPRINT_DIR = path.resolve(
  __dirname,
  '../../../templates/aws-environment/cloudformation',
);
const NOW = Date.parse('2026-11-27T12:00:00Z');
const dev = { accountId: '222222222222', region: 'eu-central-1' };

function organization(options: { costGroupsPerPage?: number } = {}) {
  return createSimulatedAwsClientFactory({
    blueprintDir: BLUEPRINT_DIR,
    now: () => NOW,
    ...options,
  });
}

/** Amount per group key (joined with " | ") per time period start. */
function amounts(results: ResultByTime[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const result of results) {
    const groups = new Map<string, number>();
    for (const group of result.Groups ?? []) {
      groups.set(
        group.Keys!.join(' | '),
        Number(group.Metrics!.UnblendedCost.Amount),
      );
    }
    out.set(result.TimePeriod!.Start!, groups);
  }
  return out;
}

async function ask(
  factory: ReturnType<typeof organization>,
  input: GetCostAndUsageCommandInput,
) {
  const ce = await factory.getClient(CostExplorerClient, dev);
  const results: ResultByTime[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await ce.send(
      new GetCostAndUsageCommand({ ...input, NextPageToken: token }),
    );
    pages++;
    results.push(...(page.ResultsByTime ?? []));
    token = page.NextPageToken;
  } while (token);
  return { results, pages };
}

const byTag = [{ Type: 'TAG' as const, Key: 'innovate:environment' }];
const byTagAndService = [
  ...byTag,
  { Type: 'DIMENSION' as const, Key: 'SERVICE' },
];

describe('simulated Cost Explorer', () => {
  it('answers the same costs from the same seed, whatever was asked before', async () => {
    const first = organization();
    const second = organization();
    await Promise.all([
      first.organization.whenReady(),
      second.organization.whenReady(),
    ]);
    const window = {
      TimePeriod: { Start: '2026-11-24', End: '2026-11-27' },
      Granularity: 'DAILY' as const,
      Metrics: ['UnblendedCost'],
      GroupBy: byTag,
    };
    // The second organization is asked a long query first: the window's answer must not depend on it.
    await ask(second, {
      ...window,
      TimePeriod: { Start: '2026-08-29', End: '2026-11-27' },
      GroupBy: byTagAndService,
    });
    const a = await ask(first, window);
    const b = await ask(second, window);
    expect(a.results).toHaveLength(3);
    expect(amounts(a.results)).toEqual(amounts(b.results));
    expect(
      amounts(a.results)
        .get('2026-11-26')!
        .get('innovate:environment$innovate-dev'),
    ).toBeGreaterThan(0);
  });

  it('adds up the same by environment daily as by environment and service monthly', async () => {
    const factory = organization();
    await factory.organization.whenReady();
    const period = { Start: '2026-10-01', End: '2026-11-27' };
    const daily = await ask(factory, {
      TimePeriod: period,
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
      GroupBy: byTag,
    });
    const monthly = await ask(factory, {
      TimePeriod: period,
      Granularity: 'MONTHLY',
      Metrics: ['UnblendedCost'],
      GroupBy: byTagAndService,
    });
    expect(monthly.results.map(r => r.TimePeriod)).toEqual([
      { Start: '2026-10-01', End: '2026-11-01' },
      { Start: '2026-11-01', End: '2026-11-27' },
    ]);
    const dailyTotal = (month: string, env: string) =>
      [...amounts(daily.results)]
        .filter(([date]) => date.startsWith(month))
        .reduce(
          (sum, [, groups]) =>
            sum + (groups.get(`innovate:environment$${env}`) ?? 0),
          0,
        );
    const monthlyTotal = (start: string, env: string) =>
      [...amounts(monthly.results).get(start)!]
        .filter(([key]) => key.startsWith(`innovate:environment$${env} |`))
        .reduce((sum, [, amount]) => sum + amount, 0);
    for (const env of ['innovate-dev', 'innovate-staging']) {
      expect(monthlyTotal('2026-10-01', env)).toBeCloseTo(
        dailyTotal('2026-10', env),
        4,
      );
      expect(monthlyTotal('2026-11-01', env)).toBeCloseTo(
        dailyTotal('2026-11', env),
        4,
      );
    }
  });

  it('pages whole time periods within the group budget', async () => {
    // The dev account holds 2 environments plus untagged usage: 3 groups a day by environment.
    const factory = organization({ costGroupsPerPage: 7 });
    await factory.organization.whenReady();
    const { results, pages } = await ask(factory, {
      TimePeriod: { Start: '2026-11-20', End: '2026-11-27' },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
      GroupBy: byTag,
    });
    expect(results).toHaveLength(7);
    expect(results.every(r => r.Groups!.length === 3)).toBe(true);
    // Two days (6 groups) fit in a page of 7: 7 days take 4 pages.
    expect(pages).toBe(4);
  });

  it('costs a new environment from its creation on, never on the days before', async () => {
    const created = Date.parse('2026-11-27T14:00:00Z');
    let now = created;
    const factory = createSimulatedAwsClientFactory({
      seedEnvironments: false,
      now: () => now,
    });
    const cloudFormation = await factory.getClient(CloudFormationClient, dev);
    await cloudFormation.send(
      new CreateStackCommand({
        StackName: 'innovate-fresh-network',
        TemplateBody: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.2.0.0/16
`,
        Tags: [
          { Key: 'innovate:environment', Value: 'innovate-fresh' },
          { Key: 'innovate:stage', Value: 'dev' },
        ],
      }),
    );
    const freshCost = async () => {
      const { results } = await ask(factory, {
        TimePeriod: { Start: '2026-11-20', End: '2026-11-28' },
        Granularity: 'DAILY',
        Metrics: ['UnblendedCost'],
        GroupBy: byTag,
      });
      return new Map(
        [...amounts(results)].map(([date, groups]) => [
          date,
          groups.get('innovate:environment$innovate-fresh') ?? 0,
        ]),
      );
    };
    now = created + 60 * 60_000;
    const afterAnHour = await freshCost();
    now = created + 2 * 60 * 60_000;
    const afterTwoHours = await freshCost();
    for (const date of [
      '2026-11-20',
      '2026-11-21',
      '2026-11-22',
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
    ]) {
      expect(afterTwoHours.get(date)).toBe(0);
    }
    expect(afterAnHour.get('2026-11-27')).toBeGreaterThan(0);
    // Today counts the hours since creation, not since midnight.
    expect(
      afterTwoHours.get('2026-11-27')! / afterAnHour.get('2026-11-27')!,
    ).toBeCloseTo(2, 5);
  });
});
