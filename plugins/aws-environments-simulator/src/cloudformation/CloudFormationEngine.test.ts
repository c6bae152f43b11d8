import {
  AlreadyExistsException,
  CloudFormationClient,
  CreateChangeSetCommand,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  InsufficientCapabilitiesException,
  ListStacksCommand,
  ListTypesCommand,
  paginateDescribeStackEvents,
  SetStackPolicyCommand,
  StackEvent,
  TokenAlreadyExistsException,
  UpdateStackCommand,
  UpdateTerminationProtectionCommand,
  ValidateTemplateCommand,
  waitUntilStackCreateComplete,
  waitUntilStackDeleteComplete,
  DetectStackDriftCommand,
  DescribeStackDriftDetectionStatusCommand,
} from '@aws-sdk/client-cloudformation';
import { createSimulatedAwsClientFactory } from '../factory';
import {
  DATABASE_TEMPLATE,
  DATABASE_WITH_LOGS_TEMPLATE,
  IAM_TEMPLATE,
} from '../__testUtils__/templates';

const target = { accountId: '222222222222', region: 'eu-central-1' };
const START = Date.parse('2026-06-01T08:00:00Z');
const MINUTE = 60_000;

async function setup(
  options: { timeScale?: number; manualClock?: boolean } = {},
) {
  let now = START;
  const factory = createSimulatedAwsClientFactory({
    seedEnvironments: false,
    timeScale: options.timeScale ?? 1,
    ...(options.manualClock === false ? {} : { now: () => now }),
  });
  const client = await factory.getClient(CloudFormationClient, target);
  return {
    factory,
    client,
    advance: (ms: number) => {
      now += ms;
    },
    status: async (stackName: string) =>
      (await client.send(new DescribeStacksCommand({ StackName: stackName })))
        .Stacks![0],
    events: async (stackName: string) => {
      const all: StackEvent[] = [];
      for await (const page of paginateDescribeStackEvents(
        { client, pageSize: 100 },
        { StackName: stackName },
      )) {
        all.push(...(page.StackEvents ?? []));
      }
      return all.reverse().map(e => ({
        id: e.LogicalResourceId!,
        status: e.ResourceStatus!,
        reason: e.ResourceStatusReason,
        at: e.Timestamp!.getTime() - START,
      }));
    },
  };
}

const createInput = (
  stackName: string,
  parameters: Record<string, string> = {},
) => ({
  StackName: stackName,
  TemplateBody: DATABASE_TEMPLATE,
  Parameters: Object.entries({ EnvironmentName: stackName, ...parameters }).map(
    ([ParameterKey, ParameterValue]) => ({
      ParameterKey,
      ParameterValue,
    }),
  ),
  Tags: [{ Key: 'innovate:environment', Value: 'innovate-test' }],
});

describe('simulated CloudFormation', () => {
  it('creates a stack in dependency order, concurrently where it can, emitting events like CloudFormation', async () => {
    const { client, advance, status, events } = await setup();

    const { StackId } = await client.send(
      new CreateStackCommand(createInput('innovate-test-data')),
    );
    expect(StackId).toMatch(
      /^arn:aws:cloudformation:eu-central-1:222222222222:stack\/innovate-test-data\/[0-9a-f-]{36}$/,
    );
    expect((await status('innovate-test-data')).StackStatus).toBe(
      'CREATE_IN_PROGRESS',
    );

    advance(30_000);
    const midway = await client.send(
      new DescribeStackResourcesCommand({ StackName: 'innovate-test-data' }),
    );
    const statusOf = (id: string) =>
      midway.StackResources!.find(r => r.LogicalResourceId === id)
        ?.ResourceStatus;
    expect(statusOf('Vpc')).toBe('CREATE_COMPLETE');
    expect(statusOf('Database')).toBe('CREATE_IN_PROGRESS');

    advance(30 * MINUTE);
    const stack = await status('innovate-test-data');
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    const outputs = Object.fromEntries(
      stack.Outputs!.map(o => [o.OutputKey, o.OutputValue]),
    );
    expect(outputs.VpcId).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(outputs.SubnetIds).toMatch(
      /^subnet-[0-9a-f]{17},subnet-[0-9a-f]{17}$/,
    );
    expect(outputs.DatabaseEndpoint).toMatch(
      /^innovate-test-data-db\.[a-z0-9]+\.eu-central-1\.rds\.amazonaws\.com$/,
    );

    const log = await events('innovate-test-data');
    expect(log[0]).toMatchObject({
      id: 'innovate-test-data',
      status: 'CREATE_IN_PROGRESS',
      reason: 'User Initiated',
    });
    expect(log[log.length - 1]).toMatchObject({
      id: 'innovate-test-data',
      status: 'CREATE_COMPLETE',
    });
    const first = (id: string, s: string) =>
      log.find(e => e.id === id && e.status === s)!;
    // Every resource starts only after what it references is complete.
    for (const [resource, dependency] of [
      ['SubnetA', 'Vpc'],
      ['SubnetB', 'Vpc'],
      ['SubnetGroup', 'SubnetA'],
      ['SubnetGroup', 'SubnetB'],
      ['Database', 'SubnetGroup'],
    ]) {
      expect(
        log.indexOf(first(resource, 'CREATE_IN_PROGRESS')),
      ).toBeGreaterThan(log.indexOf(first(dependency, 'CREATE_COMPLETE')));
    }
    // Independent resources run side by side.
    expect(first('SubnetA', 'CREATE_IN_PROGRESS').at).toBe(
      first('SubnetB', 'CREATE_IN_PROGRESS').at,
    );
    // A single-AZ database takes about ten minutes.
    expect(
      first('Database', 'CREATE_COMPLETE').at -
        first('Database', 'CREATE_IN_PROGRESS').at,
    ).toBe(10 * MINUTE);
    expect(
      log.filter(e => e.id === 'Database').map(e => [e.status, e.reason]),
    ).toEqual([
      ['CREATE_IN_PROGRESS', undefined],
      ['CREATE_IN_PROGRESS', 'Resource creation Initiated'],
      ['CREATE_COMPLETE', undefined],
    ]);
  });

  it('updates through a change set that lists the real changes', async () => {
    const { client, advance, status, events } = await setup();
    await client.send(
      new CreateStackCommand(createInput('innovate-test-data')),
    );
    advance(60 * MINUTE);

    const { Id } = await client.send(
      new CreateChangeSetCommand({
        ...createInput('innovate-test-data', {
          MultiAz: 'true',
          InstanceClass: 'db.r6g.large',
        }),
        TemplateBody: DATABASE_WITH_LOGS_TEMPLATE,
        ChangeSetName: 'scale-up',
        ChangeSetType: 'UPDATE',
      }),
    );
    expect(
      (await client.send(new DescribeChangeSetCommand({ ChangeSetName: Id })))
        .Status,
    ).toBe('CREATE_IN_PROGRESS');
    advance(MINUTE);
    const changeSet = await client.send(
      new DescribeChangeSetCommand({
        ChangeSetName: 'scale-up',
        StackName: 'innovate-test-data',
      }),
    );
    expect(changeSet).toMatchObject({
      Status: 'CREATE_COMPLETE',
      ExecutionStatus: 'AVAILABLE',
    });
    expect(
      changeSet.Changes!.map(c => ({
        action: c.ResourceChange!.Action,
        id: c.ResourceChange!.LogicalResourceId,
        replacement: c.ResourceChange!.Replacement,
        properties: c.ResourceChange!.Details!.map(d => d.Target!.Name).sort(),
      })),
    ).toEqual([
      {
        action: 'Modify',
        id: 'Database',
        replacement: 'False',
        properties: ['DBInstanceClass', 'MultiAZ'],
      },
      { action: 'Add', id: 'Logs', replacement: undefined, properties: [] },
    ]);

    await client.send(new ExecuteChangeSetCommand({ ChangeSetName: Id }));
    expect((await status('innovate-test-data')).StackStatus).toBe(
      'UPDATE_IN_PROGRESS',
    );
    advance(60 * MINUTE);
    const updated = await status('innovate-test-data');
    expect(updated.StackStatus).toBe('UPDATE_COMPLETE');
    expect(updated.Parameters).toContainEqual({
      ParameterKey: 'InstanceClass',
      ParameterValue: 'db.r6g.large',
    });
    const template = await client.send(
      new GetTemplateCommand({ StackName: 'innovate-test-data' }),
    );
    expect(template.TemplateBody).toBe(DATABASE_WITH_LOGS_TEMPLATE);

    const updateEvents = (await events('innovate-test-data')).filter(
      e => e.at >= 60 * MINUTE,
    );
    expect(updateEvents.map(e => `${e.id} ${e.status}`)).toEqual([
      'innovate-test-data UPDATE_IN_PROGRESS',
      'Database UPDATE_IN_PROGRESS',
      'Logs CREATE_IN_PROGRESS',
      'Logs CREATE_COMPLETE',
      'Database UPDATE_COMPLETE',
      'innovate-test-data UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
      'innovate-test-data UPDATE_COMPLETE',
    ]);
  });

  it('creates a new stack through a CREATE change set', async () => {
    const { client, advance, status } = await setup();
    const { Id } = await client.send(
      new CreateChangeSetCommand({
        ...createInput('innovate-new-data'),
        ChangeSetName: 'create',
        ChangeSetType: 'CREATE',
      }),
    );
    expect((await status('innovate-new-data')).StackStatus).toBe(
      'REVIEW_IN_PROGRESS',
    );
    advance(MINUTE);
    const changeSet = await client.send(
      new DescribeChangeSetCommand({ ChangeSetName: Id }),
    );
    expect(changeSet.Changes!.map(c => c.ResourceChange!.Action)).toEqual([
      'Add',
      'Add',
      'Add',
      'Add',
      'Add',
    ]);

    await client.send(
      new ExecuteChangeSetCommand({
        ChangeSetName: Id,
        ClientRequestToken: 'create-1',
      }),
    );
    expect((await status('innovate-new-data')).StackStatus).toBe(
      'CREATE_IN_PROGRESS',
    );
    advance(60 * MINUTE);
    expect((await status('innovate-new-data')).StackStatus).toBe(
      'CREATE_COMPLETE',
    );
    expect(
      (await client.send(new DescribeChangeSetCommand({ ChangeSetName: Id })))
        .ExecutionStatus,
    ).toBe('EXECUTE_COMPLETE');
  });

  it('marks a change of a replacement property as a replacement that cascades to dependents', async () => {
    const { client, advance } = await setup();
    await client.send(
      new CreateStackCommand(createInput('innovate-test-data')),
    );
    advance(60 * MINUTE);
    await client.send(
      new CreateChangeSetCommand({
        ...createInput('innovate-test-data', { VpcCidr: '10.9.0.0/16' }),
        ChangeSetName: 'new-cidr',
      }),
    );
    advance(MINUTE);
    const { Changes } = await client.send(
      new DescribeChangeSetCommand({
        ChangeSetName: 'new-cidr',
        StackName: 'innovate-test-data',
      }),
    );
    const replacement = Object.fromEntries(
      Changes!.map(c => [
        c.ResourceChange!.LogicalResourceId,
        c.ResourceChange!.Replacement,
      ]),
    );
    expect(replacement).toMatchObject({
      Vpc: 'True',
      SubnetA: 'True',
      SubnetB: 'True',
    });
  });

  it('fails a change set without changes with the reason CloudFormation gives', async () => {
    const { client, advance } = await setup();
    await client.send(
      new CreateStackCommand(createInput('innovate-test-data')),
    );
    advance(60 * MINUTE);
    await client.send(
      new CreateChangeSetCommand({
        ...createInput('innovate-test-data'),
        ChangeSetName: 'same',
      }),
    );
    advance(MINUTE);
    const changeSet = await client.send(
      new DescribeChangeSetCommand({
        ChangeSetName: 'same',
        StackName: 'innovate-test-data',
      }),
    );
    expect(changeSet).toMatchObject({
      Status: 'FAILED',
      ExecutionStatus: 'UNAVAILABLE',
      StatusReason:
        "The submitted information didn't contain changes. Submit different information to create a change set.",
    });
    await expect(
      client.send(new UpdateStackCommand(createInput('innovate-test-data'))),
    ).rejects.toThrow('No updates are to be performed.');
  });

  it('rolls back a failed creation, deleting what it made in reverse order', async () => {
    const { client, advance, status, events, factory } = await setup();
    factory.organization.setFailResources(['innovate-fail-data/Database']);

    await client.send(
      new CreateStackCommand(createInput('innovate-fail-data')),
    );
    advance(60 * MINUTE);

    const stack = await status('innovate-fail-data');
    expect(stack.StackStatus).toBe('ROLLBACK_COMPLETE');
    const log = await events('innovate-fail-data');
    const failed = log.find(e => e.status === 'CREATE_FAILED')!;
    expect(failed.id).toBe('Database');
    expect(failed.reason).toMatch(
      /Simulated failure of innovate-fail-data\/Database/,
    );
    expect(log.find(e => e.status === 'ROLLBACK_IN_PROGRESS')?.reason).toBe(
      'The following resource(s) failed to create: [Database]. Rollback requested by user.',
    );
    const deletions = log
      .filter(e => e.status === 'DELETE_COMPLETE')
      .map(e => e.id);
    expect(deletions.indexOf('SubnetGroup')).toBeLessThan(
      deletions.indexOf('SubnetA'),
    );
    expect(deletions.indexOf('SubnetA')).toBeLessThan(deletions.indexOf('Vpc'));
    expect(log[log.length - 1]).toMatchObject({
      id: 'innovate-fail-data',
      status: 'ROLLBACK_COMPLETE',
    });

    await expect(
      client.send(
        new UpdateStackCommand(
          createInput('innovate-fail-data', { MultiAz: 'true' }),
        ),
      ),
    ).rejects.toThrow(/is in ROLLBACK_COMPLETE state and can not be updated/);
  });

  it('rolls back a failed update to the previous configuration', async () => {
    const { client, advance, status, factory } = await setup();
    await client.send(
      new CreateStackCommand(createInput('innovate-test-data')),
    );
    advance(60 * MINUTE);
    factory.organization.setFailResources(['innovate-test-data/Database']);

    await client.send(
      new UpdateStackCommand(
        createInput('innovate-test-data', { InstanceClass: 'db.r6g.xlarge' }),
      ),
    );
    advance(120 * MINUTE);

    const stack = await status('innovate-test-data');
    expect(stack.StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(stack.Parameters).toContainEqual({
      ParameterKey: 'InstanceClass',
      ParameterValue: 'db.t4g.medium',
    });
  });

  it('deletes in reverse dependency order, honouring termination protection', async () => {
    const { client, advance, events } = await setup();
    const { StackId } = await client.send(
      new CreateStackCommand({
        ...createInput('innovate-test-data'),
        EnableTerminationProtection: true,
      }),
    );
    advance(60 * MINUTE);

    await expect(
      client.send(new DeleteStackCommand({ StackName: 'innovate-test-data' })),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message:
        'Stack [innovate-test-data] cannot be deleted while TerminationProtection is enabled',
    });
    await client.send(
      new UpdateTerminationProtectionCommand({
        StackName: 'innovate-test-data',
        EnableTerminationProtection: false,
      }),
    );
    await client.send(
      new DeleteStackCommand({ StackName: 'innovate-test-data' }),
    );
    advance(60 * MINUTE);

    const deletions = (await events(StackId!))
      .filter(e => e.status === 'DELETE_COMPLETE')
      .map(e => e.id);
    expect(deletions).toEqual([
      'Database',
      'SubnetGroup',
      'SubnetA',
      'SubnetB',
      'Vpc',
      'innovate-test-data',
    ]);
    await expect(
      client.send(
        new DescribeStacksCommand({ StackName: 'innovate-test-data' }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'Stack with id innovate-test-data does not exist',
    });
    const { StackSummaries } = await client.send(
      new ListStacksCommand({ StackStatusFilter: ['DELETE_COMPLETE'] }),
    );
    expect(StackSummaries!.map(s => s.StackId)).toEqual([StackId]);
  });

  it('cancels a creation in progress when the stack is deleted', async () => {
    const { client, advance, events } = await setup();
    const { StackId } = await client.send(
      new CreateStackCommand(createInput('innovate-test-data')),
    );
    advance(MINUTE);
    await client.send(
      new DeleteStackCommand({ StackName: 'innovate-test-data' }),
    );
    advance(60 * MINUTE);

    const log = await events(StackId!);
    expect(
      log.filter(e => e.status === 'DELETE_COMPLETE').map(e => e.id),
    ).toEqual([
      'Database',
      'SubnetGroup',
      'SubnetA',
      'SubnetB',
      'Vpc',
      'innovate-test-data',
    ]);
    expect(
      log.some(e => e.status === 'CREATE_COMPLETE' && e.id === 'Database'),
    ).toBe(false);
  });

  it('works with the SDK waiters', async () => {
    const { client } = await setup({ timeScale: 0.0001, manualClock: false });
    await client.send(
      new CreateStackCommand(createInput('innovate-wait-data')),
    );
    const created = await waitUntilStackCreateComplete(
      { client, maxWaitTime: 30, minDelay: 1, maxDelay: 1 },
      { StackName: 'innovate-wait-data' },
    );
    expect(created.state).toBe('SUCCESS');

    await client.send(
      new DeleteStackCommand({ StackName: 'innovate-wait-data' }),
    );
    const deleted = await waitUntilStackDeleteComplete(
      { client, maxWaitTime: 30, minDelay: 1, maxDelay: 1 },
      { StackName: 'innovate-wait-data' },
    );
    expect(deleted.state).toBe('SUCCESS');
  });

  it('treats a retried ClientRequestToken as the same request and refuses it for another', async () => {
    const { client } = await setup();
    const input = {
      ...createInput('innovate-test-data'),
      ClientRequestToken: 'deploy-1',
    };
    const first = await client.send(new CreateStackCommand(input));
    const retry = await client.send(new CreateStackCommand(input));
    expect(retry.StackId).toBe(first.StackId);

    await expect(
      client.send(
        new CreateStackCommand({
          ...createInput('innovate-test-data'),
          ClientRequestToken: 'deploy-2',
        }),
      ),
    ).rejects.toBeInstanceOf(AlreadyExistsException);
    await expect(
      client.send(
        new DeleteStackCommand({
          StackName: 'innovate-test-data',
          ClientRequestToken: 'deploy-1',
        }),
      ),
    ).rejects.toBeInstanceOf(TokenAlreadyExistsException);
  });

  it('validates templates like CloudFormation', async () => {
    const { client } = await setup();
    const valid = await client.send(
      new ValidateTemplateCommand({ TemplateBody: DATABASE_TEMPLATE }),
    );
    expect(valid.Parameters!.map(p => p.ParameterKey)).toEqual([
      'EnvironmentName',
      'MultiAz',
      'InstanceClass',
      'VpcCidr',
    ]);

    await expect(
      client.send(
        new ValidateTemplateCommand({
          TemplateBody: DATABASE_TEMPLATE.replace(
            'AWS::EC2::VPC',
            'AWS::EC2::Vpcc',
          ),
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message:
        'Template format error: Unrecognized resource types: [AWS::EC2::Vpcc]',
    });
    await expect(
      client.send(
        new ValidateTemplateCommand({
          TemplateBody: DATABASE_TEMPLATE.replace(
            'VpcId: !Ref Vpc',
            'VpcId: !Ref Network',
          ),
        }),
      ),
    ).rejects.toThrow(
      'Template format error: Unresolved resource dependencies [Network] in the Resources block of the template',
    );
    await expect(
      client.send(
        new ValidateTemplateCommand({
          TemplateBody: DATABASE_TEMPLATE.replace(
            'Database.Endpoint.Address',
            'Db.Endpoint.Address',
          ),
        }),
      ),
    ).rejects.toThrow(
      'Template error: instance of Fn::GetAtt references undefined resource Db',
    );
    await expect(
      client.send(
        new CreateStackCommand({
          StackName: 'innovate-iam',
          TemplateBody: IAM_TEMPLATE,
        }),
      ),
    ).rejects.toBeInstanceOf(InsufficientCapabilitiesException);
    await expect(
      client.send(
        new CreateStackCommand({
          ...createInput('innovate-test-data'),
          Parameters: [],
        }),
      ),
    ).rejects.toThrow('Parameters: [EnvironmentName] must have values');
  });

  it('reports drift only for stacks changed outside CloudFormation', async () => {
    const { client, advance } = await setup();
    await client.send(
      new CreateStackCommand(createInput('innovate-test-data')),
    );
    advance(60 * MINUTE);
    const { StackDriftDetectionId } = await client.send(
      new DetectStackDriftCommand({ StackName: 'innovate-test-data' }),
    );
    const detection = await client.send(
      new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId }),
    );
    expect(detection).toMatchObject({
      DetectionStatus: 'DETECTION_COMPLETE',
      StackDriftStatus: 'IN_SYNC',
    });
  });

  it('accepts a stack policy and refuses one that is not JSON', async () => {
    const { client, advance } = await setup();
    await client.send(
      new CreateStackCommand(createInput('innovate-test-data')),
    );
    advance(60 * MINUTE);
    await expect(
      client.send(
        new SetStackPolicyCommand({
          StackName: 'innovate-test-data',
          StackPolicyBody: '{"Statement":[]}',
        }),
      ),
    ).resolves.toBeDefined();
    await expect(
      client.send(
        new SetStackPolicyCommand({
          StackName: 'innovate-test-data',
          StackPolicyBody: 'deny all',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationError' });
  });

  it('fails loudly on a command it does not simulate', async () => {
    const { client } = await setup();
    await expect(client.send(new ListTypesCommand({}))).rejects.toThrow(
      /simulated AWS organization does not support cloudformation ListTypes/,
    );
  });
});
