import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  DetectStackDriftCommand,
  ExecuteChangeSetCommand,
  SetStackPolicyCommand,
  UpdateTerminationProtectionCommand,
  paginateDescribeChangeSet,
  paginateDescribeStackEvents,
  paginateDescribeStackResourceDrifts,
  paginateDescribeStacks,
  waitUntilChangeSetCreateComplete,
  waitUntilStackCreateComplete,
  waitUntilStackDeleteComplete,
  waitUntilStackUpdateComplete,
} from '@aws-sdk/client-cloudformation';
import {
  AwsWire,
  XMLNS,
  guardDns,
  isolateFromAwsEnvironment,
  queryError,
  queryResult,
} from './awsWire';
import {
  DEV,
  DEV_ACCOUNT,
  REGION,
  answerAssumeRole,
  realModeFactory,
  sessionKeysFor,
} from './realMode';

const NS = XMLNS.cloudformation;
const STACK = 'innovate-qa-network';
const STACK_ID = `arn:aws:cloudformation:${REGION}:${DEV_ACCOUNT}:stack/${STACK}/5f1d7a10-0000-4000-8000-00000000000a`;
const CHANGE_SET_ID = `arn:aws:cloudformation:${REGION}:${DEV_ACCOUNT}:changeSet/portal-task-1-deploy/9a8b7c6d-0000-4000-8000-00000000000b`;
const CREATED = new Date('2026-11-30T09:00:00Z');
/** Fast waiters: the statuses below change from one poll to the next. */
const WAIT = { minDelay: 0.01, maxDelay: 0.01, maxWaitTime: 10 };

/** A `Stack` element as DescribeStacks lists it (API_Stack.html). */
function stack(
  name: string,
  status: string,
  extra: Record<string, unknown> = {},
) {
  return {
    StackId: `arn:aws:cloudformation:${REGION}:${DEV_ACCOUNT}:stack/${name}/5f1d7a10-0000-4000-8000-00000000000a`,
    StackName: name,
    Description: `Innovate ${name}`,
    CreationTime: CREATED,
    StackStatus: status,
    DisableRollback: false,
    EnableTerminationProtection: false,
    DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
    ...extra,
  };
}

/** A `StackEvent` element (API_StackEvent.html). */
function event(id: number, logicalId: string, status: string, reason?: string) {
  return {
    StackId: STACK_ID,
    EventId: `event-${id}`,
    StackName: STACK,
    LogicalResourceId: logicalId,
    PhysicalResourceId:
      logicalId === STACK ? STACK_ID : `${logicalId}-physical`,
    ResourceType:
      logicalId === STACK ? 'AWS::CloudFormation::Stack' : 'AWS::EC2::VPC',
    Timestamp: new Date(CREATED.getTime() + id * 1000),
    ResourceStatus: status,
    ResourceStatusReason: reason,
  };
}

describe('CloudFormation on the wire (query protocol, XML)', () => {
  let wire: AwsWire;
  let dnsGuard: ReturnType<typeof guardDns>;
  let environment: ReturnType<typeof isolateFromAwsEnvironment>;

  beforeAll(async () => {
    wire = await AwsWire.start();
  });
  afterAll(() => wire.close());
  beforeEach(() => {
    wire.reset();
    environment = isolateFromAwsEnvironment();
    dnsGuard = guardDns();
    answerAssumeRole(wire);
  });
  afterEach(() => {
    dnsGuard.restore();
    environment.restore();
    dnsGuard.assertNoLookups();
    wire.assertAllAnswered();
  });

  async function cloudFormation() {
    return realModeFactory(wire).getClient(CloudFormationClient, DEV);
  }

  it('lists every stack across DescribeStacks pages, with outputs, tags, drift and dates parsed', async () => {
    wire.on(
      'cloudformation',
      'DescribeStacks',
      queryResult(NS, 'DescribeStacks', {
        Stacks: [
          stack('innovate-dev-network', 'CREATE_COMPLETE', {
            Outputs: [
              {
                OutputKey: 'VpcCidr',
                OutputValue: '10.20.0.0/16',
                Description: 'VPC range',
                ExportName: 'innovate-dev-VpcCidr',
              },
            ],
            Tags: [
              { Key: 'innovate:environment', Value: 'innovate-dev' },
              { Key: 'innovate:layer', Value: 'network' },
            ],
            DriftInformation: {
              StackDriftStatus: 'DRIFTED',
              LastCheckTimestamp: new Date('2026-12-01T06:00:00Z'),
            },
          }),
        ],
        NextToken: 'page-2',
      }),
      queryResult(NS, 'DescribeStacks', {
        Stacks: [
          stack('innovate-dev-data', 'UPDATE_ROLLBACK_COMPLETE', {
            LastUpdatedTime: new Date('2026-12-02T10:30:00Z'),
            StackStatusReason:
              'The following resource(s) failed to update: [Database].',
          }),
        ],
      }),
    );
    const client = await cloudFormation();

    const stacks = [];
    for await (const page of paginateDescribeStacks({ client }, {})) {
      stacks.push(...(page.Stacks ?? []));
    }

    expect(stacks.map(s => [s.StackName, s.StackStatus])).toEqual([
      ['innovate-dev-network', 'CREATE_COMPLETE'],
      ['innovate-dev-data', 'UPDATE_ROLLBACK_COMPLETE'],
    ]);
    expect(stacks[0].Outputs).toEqual([
      {
        OutputKey: 'VpcCidr',
        OutputValue: '10.20.0.0/16',
        Description: 'VPC range',
        ExportName: 'innovate-dev-VpcCidr',
      },
    ]);
    expect(stacks[0].Tags).toContainEqual({
      Key: 'innovate:layer',
      Value: 'network',
    });
    expect(stacks[0].DriftInformation?.StackDriftStatus).toBe('DRIFTED');
    expect(stacks[0].DriftInformation?.LastCheckTimestamp).toEqual(
      new Date('2026-12-01T06:00:00Z'),
    );
    expect(stacks[1].LastUpdatedTime).toEqual(new Date('2026-12-02T10:30:00Z'));
    expect(stacks[1].StackStatusReason).toBe(
      'The following resource(s) failed to update: [Database].',
    );

    const [first, second] = wire.requestsFor(
      'cloudformation',
      'DescribeStacks',
    );
    expect(Object.fromEntries(first.params)).toEqual({
      Action: 'DescribeStacks',
      Version: '2010-05-15',
    });
    expect(second.params.get('NextToken')).toBe('page-2');
    expect(first.method).toBe('POST');
    expect(first.headers['content-type']).toMatch(
      /^application\/x-www-form-urlencoded/,
    );
    expect(first.headers.authorization).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=${
          sessionKeysFor(DEV_ACCOUNT).accessKeyId
        }/\\d{8}/${REGION}/cloudformation/aws4_request, SignedHeaders=[^,]*host[^,]*, Signature=[0-9a-f]{64}$`,
      ),
    );
  });

  it('reads a missing stack as the ValidationError the portal treats as "does not exist"', async () => {
    wire.on(
      'cloudformation',
      'DescribeStacks',
      queryError(
        NS,
        'ValidationError',
        `Stack with id ${STACK} does not exist`,
      ),
    );
    const client = await cloudFormation();

    await expect(
      client.send(new DescribeStacksCommand({ StackName: STACK })),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: `Stack with id ${STACK} does not exist`,
      $metadata: { httpStatusCode: 400 },
    });
    // A client error is not retried.
    expect(wire.requestsFor('cloudformation', 'DescribeStacks')).toHaveLength(
      1,
    );
  });

  it('follows DescribeStackEvents across pages, newest first', async () => {
    wire.on(
      'cloudformation',
      'DescribeStackEvents',
      queryResult(NS, 'DescribeStackEvents', {
        StackEvents: [
          event(4, STACK, 'CREATE_COMPLETE'),
          event(3, 'Vpc', 'CREATE_COMPLETE'),
        ],
        NextToken: 'events-2',
      }),
      queryResult(NS, 'DescribeStackEvents', {
        StackEvents: [
          event(2, 'Vpc', 'CREATE_IN_PROGRESS', 'Resource creation Initiated'),
          event(1, STACK, 'CREATE_IN_PROGRESS', 'User Initiated'),
        ],
      }),
    );
    const client = await cloudFormation();

    const events = [];
    for await (const page of paginateDescribeStackEvents(
      { client },
      { StackName: STACK },
    )) {
      events.push(...(page.StackEvents ?? []));
    }

    expect(events.map(e => e.EventId)).toEqual([
      'event-4',
      'event-3',
      'event-2',
      'event-1',
    ]);
    expect(events[2]).toMatchObject({
      LogicalResourceId: 'Vpc',
      ResourceType: 'AWS::EC2::VPC',
      ResourceStatus: 'CREATE_IN_PROGRESS',
      ResourceStatusReason: 'Resource creation Initiated',
      Timestamp: new Date(CREATED.getTime() + 2000),
    });
    const requests = wire.requestsFor('cloudformation', 'DescribeStackEvents');
    expect(requests.map(r => r.params.get('NextToken'))).toEqual([
      null,
      'events-2',
    ]);
    expect(requests.every(r => r.params.get('StackName') === STACK)).toBe(true);
  });

  it('reads stack resources with their physical ids and drift status', async () => {
    wire.on(
      'cloudformation',
      'DescribeStackResources',
      queryResult(NS, 'DescribeStackResources', {
        StackResources: [
          {
            StackName: STACK,
            StackId: STACK_ID,
            LogicalResourceId: 'Cluster',
            PhysicalResourceId: 'innovate-qa',
            ResourceType: 'AWS::EKS::Cluster',
            Timestamp: CREATED,
            ResourceStatus: 'CREATE_COMPLETE',
            DriftInformation: { StackResourceDriftStatus: 'IN_SYNC' },
          },
        ],
      }),
    );
    const client = await cloudFormation();

    const { StackResources } = await client.send(
      new DescribeStackResourcesCommand({ StackName: STACK }),
    );

    expect(StackResources).toEqual([
      expect.objectContaining({
        LogicalResourceId: 'Cluster',
        PhysicalResourceId: 'innovate-qa',
        ResourceType: 'AWS::EKS::Cluster',
        ResourceStatus: 'CREATE_COMPLETE',
        Timestamp: CREATED,
        DriftInformation: { StackResourceDriftStatus: 'IN_SYNC' },
      }),
    ]);
    expect(
      wire
        .requestsFor('cloudformation', 'DescribeStackResources')[0]
        .params.get('StackName'),
    ).toBe(STACK);
  });

  it('deploys through a change set as the provisioning actions do: create, wait, describe, execute, wait, protect', async () => {
    wire
      .on(
        'cloudformation',
        'CreateChangeSet',
        queryResult(NS, 'CreateChangeSet', {
          Id: CHANGE_SET_ID,
          StackId: STACK_ID,
        }),
      )
      .on(
        'cloudformation',
        'DescribeChangeSet',
        // The waiter's first poll, then its second, then the two pages of the summary.
        queryResult(NS, 'DescribeChangeSet', {
          ChangeSetId: CHANGE_SET_ID,
          StackId: STACK_ID,
          StackName: STACK,
          Status: 'CREATE_PENDING',
          ExecutionStatus: 'UNAVAILABLE',
        }),
        queryResult(NS, 'DescribeChangeSet', {
          ChangeSetId: CHANGE_SET_ID,
          StackId: STACK_ID,
          StackName: STACK,
          Status: 'CREATE_COMPLETE',
          ExecutionStatus: 'AVAILABLE',
        }),
        queryResult(NS, 'DescribeChangeSet', {
          ChangeSetId: CHANGE_SET_ID,
          StackName: STACK,
          Status: 'CREATE_COMPLETE',
          Changes: [
            {
              Type: 'Resource',
              ResourceChange: {
                Action: 'Add',
                LogicalResourceId: 'Vpc',
                ResourceType: 'AWS::EC2::VPC',
                Scope: ['Properties'],
              },
            },
          ],
          NextToken: 'changes-2',
        }),
        queryResult(NS, 'DescribeChangeSet', {
          ChangeSetId: CHANGE_SET_ID,
          StackName: STACK,
          Status: 'CREATE_COMPLETE',
          Changes: [
            {
              Type: 'Resource',
              ResourceChange: {
                Action: 'Modify',
                LogicalResourceId: 'PublicSubnetA',
                ResourceType: 'AWS::EC2::Subnet',
                Replacement: 'True',
              },
            },
          ],
        }),
      )
      .on(
        'cloudformation',
        'ExecuteChangeSet',
        queryResult(NS, 'ExecuteChangeSet'),
      )
      .on(
        'cloudformation',
        'DescribeStacks',
        queryResult(NS, 'DescribeStacks', {
          Stacks: [stack(STACK, 'CREATE_IN_PROGRESS')],
        }),
        queryResult(NS, 'DescribeStacks', {
          Stacks: [
            stack(STACK, 'CREATE_COMPLETE', {
              Outputs: [{ OutputKey: 'VpcId', OutputValue: 'vpc-0abc' }],
            }),
          ],
        }),
      )
      .on(
        'cloudformation',
        'UpdateTerminationProtection',
        queryResult(NS, 'UpdateTerminationProtection', { StackId: STACK_ID }),
      )
      .on(
        'cloudformation',
        'SetStackPolicy',
        queryResult(NS, 'SetStackPolicy'),
      );
    const client = await cloudFormation();
    const policy = JSON.stringify({
      Statement: [
        { Effect: 'Allow', Action: 'Update:*', Principal: '*', Resource: '*' },
      ],
    });

    const { Id } = await client.send(
      new CreateChangeSetCommand({
        StackName: STACK,
        ChangeSetName: 'portal-task-1-deploy',
        ChangeSetType: 'CREATE',
        TemplateBody: 'AWSTemplateFormatVersion: "2010-09-09"\nResources: {}\n',
        RoleARN: `arn:aws:iam::${DEV_ACCOUNT}:role/innovate-cloudformation-execution`,
        Parameters: [
          { ParameterKey: 'EnvironmentName', ParameterValue: 'innovate-qa' },
          { ParameterKey: 'VpcCidr', ParameterValue: '10.30.0.0/16' },
        ],
        Tags: [{ Key: 'innovate:environment', Value: 'innovate-qa' }],
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        ClientToken: 'portal-task-1-change-set',
        Description: 'Innovate portal task 1',
      }),
    );
    await waitUntilChangeSetCreateComplete(
      { client, ...WAIT },
      { ChangeSetName: Id, StackName: STACK },
    );
    const changes = [];
    for await (const page of paginateDescribeChangeSet(
      { client },
      { ChangeSetName: Id, StackName: STACK },
    )) {
      changes.push(...(page.Changes ?? []).map(c => c.ResourceChange));
    }
    await client.send(
      new ExecuteChangeSetCommand({
        ChangeSetName: Id,
        StackName: STACK,
        ClientRequestToken: 'portal-task-1-execute',
      }),
    );
    await waitUntilStackCreateComplete(
      { client, ...WAIT },
      { StackName: STACK },
    );
    await client.send(
      new UpdateTerminationProtectionCommand({
        StackName: STACK,
        EnableTerminationProtection: true,
      }),
    );
    await client.send(
      new SetStackPolicyCommand({ StackName: STACK, StackPolicyBody: policy }),
    );

    expect(Id).toBe(CHANGE_SET_ID);
    expect(changes).toEqual([
      expect.objectContaining({
        Action: 'Add',
        LogicalResourceId: 'Vpc',
        Scope: ['Properties'],
      }),
      expect.objectContaining({
        Action: 'Modify',
        LogicalResourceId: 'PublicSubnetA',
        Replacement: 'True',
      }),
    ]);
    expect(
      wire
        .operations()
        .filter(op => op.startsWith('cloudformation.'))
        .map(op => op.slice('cloudformation.'.length)),
    ).toEqual([
      'CreateChangeSet',
      'DescribeChangeSet',
      'DescribeChangeSet',
      'DescribeChangeSet',
      'DescribeChangeSet',
      'ExecuteChangeSet',
      'DescribeStacks',
      'DescribeStacks',
      'UpdateTerminationProtection',
      'SetStackPolicy',
    ]);
    const [create] = wire.requestsFor('cloudformation', 'CreateChangeSet');
    expect(Object.fromEntries(create.params)).toEqual({
      Action: 'CreateChangeSet',
      Version: '2010-05-15',
      StackName: STACK,
      ChangeSetName: 'portal-task-1-deploy',
      ChangeSetType: 'CREATE',
      TemplateBody: 'AWSTemplateFormatVersion: "2010-09-09"\nResources: {}\n',
      RoleARN: `arn:aws:iam::${DEV_ACCOUNT}:role/innovate-cloudformation-execution`,
      'Parameters.member.1.ParameterKey': 'EnvironmentName',
      'Parameters.member.1.ParameterValue': 'innovate-qa',
      'Parameters.member.2.ParameterKey': 'VpcCidr',
      'Parameters.member.2.ParameterValue': '10.30.0.0/16',
      'Tags.member.1.Key': 'innovate:environment',
      'Tags.member.1.Value': 'innovate-qa',
      'Capabilities.member.1': 'CAPABILITY_NAMED_IAM',
      ClientToken: 'portal-task-1-change-set',
      Description: 'Innovate portal task 1',
    });
    const describeChangeSet = wire.requestsFor(
      'cloudformation',
      'DescribeChangeSet',
    );
    expect(describeChangeSet[3].params.get('NextToken')).toBe('changes-2');
    expect(describeChangeSet[0].params.get('ChangeSetName')).toBe(
      CHANGE_SET_ID,
    );
    expect(
      Object.fromEntries(
        wire.requestsFor('cloudformation', 'ExecuteChangeSet')[0].params,
      ),
    ).toEqual({
      Action: 'ExecuteChangeSet',
      Version: '2010-05-15',
      ChangeSetName: CHANGE_SET_ID,
      StackName: STACK,
      ClientRequestToken: 'portal-task-1-execute',
    });
    expect(
      wire
        .requestsFor('cloudformation', 'UpdateTerminationProtection')[0]
        .params.get('EnableTerminationProtection'),
    ).toBe('true');
    expect(
      wire
        .requestsFor('cloudformation', 'SetStackPolicy')[0]
        .params.get('StackPolicyBody'),
    ).toBe(policy);
  });

  it('waits for an update to end, and reads a rolled-back update as a failure with the stack’s reason', async () => {
    wire.on(
      'cloudformation',
      'DescribeStacks',
      queryResult(NS, 'DescribeStacks', {
        Stacks: [stack(STACK, 'UPDATE_IN_PROGRESS')],
      }),
      queryResult(NS, 'DescribeStacks', {
        Stacks: [stack(STACK, 'UPDATE_COMPLETE')],
      }),
      queryResult(NS, 'DescribeStacks', {
        Stacks: [stack(STACK, 'UPDATE_ROLLBACK_IN_PROGRESS')],
      }),
      queryResult(NS, 'DescribeStacks', {
        Stacks: [
          stack(STACK, 'UPDATE_ROLLBACK_COMPLETE', {
            StackStatusReason:
              'The following resource(s) failed to update: [PublicSubnetA].',
          }),
        ],
      }),
    );
    const client = await cloudFormation();

    const updated = await waitUntilStackUpdateComplete(
      { client, ...WAIT },
      { StackName: STACK },
    );
    const rolledBack = waitUntilStackUpdateComplete(
      { client, ...WAIT },
      { StackName: STACK },
    );

    expect(updated.state).toBe('SUCCESS');
    await expect(rolledBack).rejects.toThrow(/FAILURE/);
    const { Stacks } = await client.send(
      new DescribeStacksCommand({ StackName: STACK }),
    );
    expect(Stacks?.[0].StackStatusReason).toBe(
      'The following resource(s) failed to update: [PublicSubnetA].',
    );
    expect(wire.requestsFor('cloudformation', 'DescribeStacks')).toHaveLength(
      5,
    );
  });

  it('reads a change set without changes as FAILED with the reason the portal matches, and deletes it', async () => {
    wire
      .on(
        'cloudformation',
        'CreateChangeSet',
        queryResult(NS, 'CreateChangeSet', {
          Id: CHANGE_SET_ID,
          StackId: STACK_ID,
        }),
      )
      .on(
        'cloudformation',
        'DescribeChangeSet',
        queryResult(NS, 'DescribeChangeSet', {
          ChangeSetId: CHANGE_SET_ID,
          StackName: STACK,
          Status: 'FAILED',
          ExecutionStatus: 'UNAVAILABLE',
          StatusReason:
            "The submitted information didn't contain changes. Submit different information to create a change set.",
        }),
      )
      .on(
        'cloudformation',
        'DeleteChangeSet',
        queryResult(NS, 'DeleteChangeSet'),
      );
    const client = await cloudFormation();

    await client.send(
      new CreateChangeSetCommand({
        StackName: STACK,
        ChangeSetName: 'portal-task-2-deploy',
        ChangeSetType: 'UPDATE',
        UsePreviousTemplate: true,
      }),
    );
    const waited = waitUntilChangeSetCreateComplete(
      { client, ...WAIT },
      { ChangeSetName: CHANGE_SET_ID, StackName: STACK },
    );
    await expect(waited).rejects.toThrow(/FAILURE/);
    const [summary] = await (async () => {
      const pages = [];
      for await (const page of paginateDescribeChangeSet(
        { client },
        { ChangeSetName: CHANGE_SET_ID, StackName: STACK },
      )) {
        pages.push(page);
      }
      return pages;
    })();
    await client.send(
      new DeleteChangeSetCommand({
        ChangeSetName: CHANGE_SET_ID,
        StackName: STACK,
      }),
    );

    expect(summary.StatusReason).toMatch(/didn't contain changes/);
    expect(
      wire
        .requestsFor('cloudformation', 'CreateChangeSet')[0]
        .params.get('UsePreviousTemplate'),
    ).toBe('true');
    expect(
      Object.fromEntries(
        wire.requestsFor('cloudformation', 'DeleteChangeSet')[0].params,
      ),
    ).toEqual({
      Action: 'DeleteChangeSet',
      Version: '2010-05-15',
      ChangeSetName: CHANGE_SET_ID,
      StackName: STACK,
    });
  });

  it('deletes a stack and waits until CloudFormation no longer knows it', async () => {
    wire
      .on(
        'cloudformation',
        'UpdateTerminationProtection',
        queryResult(NS, 'UpdateTerminationProtection', { StackId: STACK_ID }),
      )
      .on('cloudformation', 'DeleteStack', queryResult(NS, 'DeleteStack'))
      .on(
        'cloudformation',
        'DescribeStacks',
        queryResult(NS, 'DescribeStacks', {
          Stacks: [stack(STACK, 'DELETE_IN_PROGRESS')],
        }),
        queryError(
          NS,
          'ValidationError',
          `Stack with id ${STACK} does not exist`,
        ),
      );
    const client = await cloudFormation();

    await client.send(
      new UpdateTerminationProtectionCommand({
        StackName: STACK,
        EnableTerminationProtection: false,
      }),
    );
    await client.send(
      new DeleteStackCommand({
        StackName: STACK,
        ClientRequestToken: 'portal-task-3-delete',
      }),
    );
    const result = await waitUntilStackDeleteComplete(
      { client, ...WAIT },
      { StackName: STACK },
    );

    expect(result.state).toBe('SUCCESS');
    expect(
      Object.fromEntries(
        wire.requestsFor('cloudformation', 'DeleteStack')[0].params,
      ),
    ).toEqual({
      Action: 'DeleteStack',
      Version: '2010-05-15',
      StackName: STACK,
      ClientRequestToken: 'portal-task-3-delete',
    });
    expect(
      wire
        .requestsFor('cloudformation', 'UpdateTerminationProtection')[0]
        .params.get('EnableTerminationProtection'),
    ).toBe('false');
  });

  it('detects drift: starts a detection, polls its status and lists the drifted resources across pages', async () => {
    wire
      .on(
        'cloudformation',
        'DetectStackDrift',
        queryResult(NS, 'DetectStackDrift', {
          StackDriftDetectionId: 'b78ac9b0-0000-4000-8000-00000000000c',
        }),
      )
      .on(
        'cloudformation',
        'DescribeStackDriftDetectionStatus',
        queryResult(NS, 'DescribeStackDriftDetectionStatus', {
          StackId: STACK_ID,
          StackDriftDetectionId: 'b78ac9b0-0000-4000-8000-00000000000c',
          DetectionStatus: 'DETECTION_IN_PROGRESS',
          Timestamp: CREATED,
        }),
        queryResult(NS, 'DescribeStackDriftDetectionStatus', {
          StackId: STACK_ID,
          StackDriftDetectionId: 'b78ac9b0-0000-4000-8000-00000000000c',
          StackDriftStatus: 'DRIFTED',
          DetectionStatus: 'DETECTION_COMPLETE',
          DriftedStackResourceCount: 2,
          Timestamp: CREATED,
        }),
      )
      .on(
        'cloudformation',
        'DescribeStackResourceDrifts',
        queryResult(NS, 'DescribeStackResourceDrifts', {
          StackResourceDrifts: [
            {
              StackId: STACK_ID,
              LogicalResourceId: 'WebAcl',
              PhysicalResourceId: 'innovate-qa-acl',
              ResourceType: 'AWS::WAFv2::WebACL',
              StackResourceDriftStatus: 'MODIFIED',
              PropertyDifferences: [
                {
                  PropertyPath: '/DefaultAction',
                  ExpectedValue: '{"Block":{}}',
                  ActualValue: '{"Allow":{}}',
                  DifferenceType: 'NOT_EQUAL',
                },
              ],
              Timestamp: CREATED,
            },
          ],
          NextToken: 'drifts-2',
        }),
        queryResult(NS, 'DescribeStackResourceDrifts', {
          StackResourceDrifts: [
            {
              StackId: STACK_ID,
              LogicalResourceId: 'LogBucket',
              ResourceType: 'AWS::S3::Bucket',
              StackResourceDriftStatus: 'DELETED',
              Timestamp: CREATED,
            },
          ],
        }),
      );
    const client = await cloudFormation();

    const { StackDriftDetectionId } = await client.send(
      new DetectStackDriftCommand({ StackName: STACK }),
    );
    let status;
    do {
      status = await client.send(
        new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId }),
      );
    } while (status.DetectionStatus === 'DETECTION_IN_PROGRESS');
    const drifted = [];
    for await (const page of paginateDescribeStackResourceDrifts(
      { client },
      {
        StackName: STACK,
        StackResourceDriftStatusFilters: ['MODIFIED', 'DELETED'],
      },
    )) {
      drifted.push(...(page.StackResourceDrifts ?? []));
    }

    expect(status).toMatchObject({
      StackDriftStatus: 'DRIFTED',
      DriftedStackResourceCount: 2,
      Timestamp: CREATED,
    });
    expect(
      drifted.map(d => [d.LogicalResourceId, d.StackResourceDriftStatus]),
    ).toEqual([
      ['WebAcl', 'MODIFIED'],
      ['LogBucket', 'DELETED'],
    ]);
    expect(drifted[0].PropertyDifferences?.[0]).toEqual({
      PropertyPath: '/DefaultAction',
      ExpectedValue: '{"Block":{}}',
      ActualValue: '{"Allow":{}}',
      DifferenceType: 'NOT_EQUAL',
    });
    const drifts = wire.requestsFor(
      'cloudformation',
      'DescribeStackResourceDrifts',
    );
    expect(Object.fromEntries(drifts[0].params)).toEqual({
      Action: 'DescribeStackResourceDrifts',
      Version: '2010-05-15',
      StackName: STACK,
      'StackResourceDriftStatusFilters.member.1': 'MODIFIED',
      'StackResourceDriftStatusFilters.member.2': 'DELETED',
    });
    expect(drifts[1].params.get('NextToken')).toBe('drifts-2');
    expect(
      wire
        .requestsFor('cloudformation', 'DescribeStackDriftDetectionStatus')
        .map(r => r.params.get('StackDriftDetectionId')),
    ).toEqual([
      'b78ac9b0-0000-4000-8000-00000000000c',
      'b78ac9b0-0000-4000-8000-00000000000c',
    ]);
  });
});
