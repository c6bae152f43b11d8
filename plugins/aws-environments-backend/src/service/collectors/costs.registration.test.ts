import {
  CloudFormationClient,
  CreateStackCommand,
} from '@aws-sdk/client-cloudformation';
import { createSimulatedAwsClientFactory } from '@internal/plugin-aws-environments-simulator';
import { collectAccountCostSeries, collectEnvironmentCosts } from './costs';

const account = { accountId: '222222222222', region: 'eu-central-1' };
const HOUR = 3_600_000;

async function organizationWithNewEnvironment(created: number) {
  let now = created;
  const factory = createSimulatedAwsClientFactory({
    seedEnvironments: false,
    now: () => now,
  });
  const cloudFormation = await factory.getClient(CloudFormationClient, account);
  await cloudFormation.send(
    new CreateStackCommand({
      StackName: 'innovate-new-network',
      TemplateBody: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.3.0.0/16
`,
      Tags: [
        { Key: 'innovate:environment', Value: 'innovate-new' },
        { Key: 'innovate:stage', Value: 'dev' },
      ],
    }),
  );
  return {
    factory,
    setNow: (at: number) => {
      now = at;
    },
  };
}

describe('collectEnvironmentCosts', () => {
  it('gives an environment registered today its costs of today, in one Cost Explorer request', async () => {
    const created = Date.parse('2026-11-27T09:00:00Z');
    const { factory, setNow } = await organizationWithNewEnvironment(created);
    const registeredAt = created + 2 * HOUR;
    setNow(registeredAt);

    const { report, fetch } = await collectEnvironmentCosts(
      factory,
      account,
      'innovate-new',
      new Date(registeredAt),
    );

    expect(fetch.requests).toBe(1);
    const today = report.daily[report.daily.length - 1];
    expect(today.date).toBe('2026-11-27');
    expect(today.amount).toBeGreaterThan(0);
    expect(Object.keys(today.byService).length).toBeGreaterThan(1);
    // Nothing before the day the environment was created.
    expect(report.daily.slice(0, -1).every(p => p.amount === 0)).toBe(true);
    expect(report.monthToDate).toBeCloseTo(today.amount, 2);
    expect(report.topServices.length).toBeGreaterThan(1);
  });

  it('keeps the point of today through the next incremental read, until a read covers that day', async () => {
    const created = Date.parse('2026-11-27T09:00:00Z');
    const { factory, setNow } = await organizationWithNewEnvironment(created);
    setNow(created + HOUR);
    const first = await collectEnvironmentCosts(
      factory,
      account,
      'innovate-new',
      new Date(created + HOUR),
    );

    const laterToday = created + 6 * HOUR;
    setNow(laterToday);
    const incremental = await collectAccountCostSeries(
      factory,
      account,
      ['innovate-new'],
      new Date(laterToday),
      {
        previous: new Map([['innovate-new', first.report]]),
        refreshWindowDays: 3,
      },
    );
    expect(incremental.fetch.mode).toBe('incremental');
    const sameDay = incremental.reports.get('innovate-new')!;
    expect(sameDay.daily[sameDay.daily.length - 1]).toEqual(
      first.report.daily[first.report.daily.length - 1],
    );
    expect(sameDay.monthToDate).toBeGreaterThan(0);

    const nextDay = Date.parse('2026-11-28T06:00:00Z');
    setNow(nextDay);
    const tomorrow = (
      await collectAccountCostSeries(
        factory,
        account,
        ['innovate-new'],
        new Date(nextDay),
        {
          previous: new Map([['innovate-new', sameDay]]),
          refreshWindowDays: 3,
        },
      )
    ).reports.get('innovate-new')!;
    const yesterday = tomorrow.daily[tomorrow.daily.length - 1];
    // The whole first day, from creation to midnight, replaces what was read an hour after creation.
    expect(yesterday.date).toBe('2026-11-27');
    expect(yesterday.amount).toBeGreaterThan(
      first.report.daily[first.report.daily.length - 1].amount,
    );
  });
});
