import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SimulatedAwsOrganization } from '../SimulatedAwsOrganization';
import {
  DATABASE_TEMPLATE,
  DATABASE_WITH_LOGS_TEMPLATE,
} from '../__testUtils__/templates';
import { hasResourceType } from './stackStore';

const target = { accountId: '222222222222', region: 'eu-central-1' };
const START = Date.parse('2026-06-01T08:00:00Z');
const HOUR = 3_600_000;
const STACK = 'innovate-test-data';

function organization(clock: { now: number }, stateFile?: string) {
  return SimulatedAwsOrganization.create({
    seedEnvironments: false,
    timeScale: 1,
    now: () => clock.now,
    accounts: [
      {
        accountId: target.accountId,
        name: 'test',
        stage: 'dev',
        regions: [target.region],
        defaultRegion: target.region,
      },
    ],
    stateFile,
  });
}

async function send(
  org: SimulatedAwsOrganization,
  commandName: string,
  input: Record<string, unknown>,
) {
  return (await org.handle({
    service: 'cloudformation',
    ...target,
    commandName,
    input,
  })) as any;
}

const stackInput = (templateBody: string) => ({
  StackName: STACK,
  TemplateBody: templateBody,
  Parameters: [{ ParameterKey: 'EnvironmentName', ParameterValue: STACK }],
  Tags: [{ Key: 'innovate:environment', Value: 'innovate-test' }],
});

/** Every event, newest first, over all pages. */
async function allEvents(org: SimulatedAwsOrganization) {
  const events: any[] = [];
  let token: string | undefined;
  do {
    const page = await send(org, 'DescribeStackEvents', {
      StackName: STACK,
      NextToken: token,
    });
    events.push(...page.StackEvents);
    token = page.NextToken;
  } while (token);
  return events;
}

async function resources(org: SimulatedAwsOrganization) {
  return (await send(org, 'DescribeStackResources', { StackName: STACK }))
    .StackResources;
}

describe('stacks at rest', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-sim-store-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('show the same resources and events once created, and keep every event across an update', async () => {
    const clock = { now: START };
    const org = await organization(clock);
    await send(org, 'CreateStack', stackInput(DATABASE_TEMPLATE));
    clock.now += HOUR;
    const created = await allEvents(org);
    expect(created[0]).toMatchObject({
      LogicalResourceId: STACK,
      ResourceStatus: 'CREATE_COMPLETE',
    });
    const createdResources = await resources(org);
    expect(createdResources.map((r: any) => r.ResourceStatus)).toEqual(
      createdResources.map(() => 'CREATE_COMPLETE'),
    );
    // Read again from the compact form: identical answers.
    expect(await allEvents(org)).toEqual(created);
    expect(await resources(org)).toEqual(createdResources);

    const [stack] = org.engine.region(target.accountId, target.region).stacks;
    expect(hasResourceType(stack, 'AWS::RDS::DBInstance')).toBe(true);
    expect(hasResourceType(stack, 'AWS::Logs::LogGroup')).toBe(false);

    await send(org, 'UpdateStack', stackInput(DATABASE_WITH_LOGS_TEMPLATE));
    clock.now += HOUR;
    const updated = await allEvents(org);
    expect(updated[0]).toMatchObject({
      LogicalResourceId: STACK,
      ResourceStatus: 'UPDATE_COMPLETE',
    });
    // The creation's events are still there, behind the update's.
    expect(updated.slice(updated.length - created.length)).toEqual(created);
    expect(hasResourceType(stack, 'AWS::Logs::LogGroup')).toBe(true);
    expect(
      (await resources(org)).find((r: any) => r.LogicalResourceId === 'Logs'),
    ).toMatchObject({ ResourceStatus: 'CREATE_COMPLETE' });
  });

  it('come back from the state file as they were, and can be updated', async () => {
    const clock = { now: START };
    const stateFile = path.join(dir, 'simulation.sqlite');
    const before = await organization(clock, stateFile);
    await send(before, 'CreateStack', stackInput(DATABASE_TEMPLATE));
    clock.now += HOUR;
    const events = await allEvents(before);
    const described = await resources(before);
    before.saveNow();

    const after = await organization(clock, stateFile);
    expect(await allEvents(after)).toEqual(events);
    expect(await resources(after)).toEqual(described);

    await send(after, 'UpdateStack', stackInput(DATABASE_WITH_LOGS_TEMPLATE));
    clock.now += HOUR;
    const updated = await allEvents(after);
    expect(updated[0]).toMatchObject({ ResourceStatus: 'UPDATE_COMPLETE' });
    expect(updated.slice(updated.length - events.length)).toEqual(events);
  });
});
