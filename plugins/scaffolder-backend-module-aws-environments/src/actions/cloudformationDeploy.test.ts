import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  ExecuteChangeSetCommand,
  SetStackPolicyCommand,
} from '@aws-sdk/client-cloudformation';
import 'aws-sdk-client-mock-jest';
import fs from 'node:fs/promises';
import path from 'node:path';
import yaml from 'yaml';
import { actionContext, setup } from '../__testUtils__/actionHarness';
import { DATABASE_STACK_POLICY } from '../lib/stackOperations';
import { createCloudFormationDeployAction } from './cloudformationDeploy';
import { examples } from './cloudformationDeploy.examples';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  BucketSuffix: { Type: String }
  AdminPassword: { Type: String, NoEcho: true }
Resources:
  LogBucket:
    Type: AWS::S3::Bucket
Outputs:
  BucketName:
    Value: !Ref LogBucket
`;

const baseInput = {
  accountId: '222222222222',
  region: 'eu-central-1',
  stackName: 'innovate-dev-logs',
  templateBody: TEMPLATE,
  parameters: { BucketSuffix: 'logs', AdminPassword: 'hunter2-very-secret' },
};

describe('innovate:cloudformation:deploy', () => {
  it('creates a new stack through a CREATE change set and returns its outputs', async () => {
    const { cloudFormation, deps } = setup();
    const action = createCloudFormationDeployAction(deps);
    const { ctx, outputs, lines } = actionContext(baseInput);

    await action.handler(ctx);

    expect(cloudFormation.mock).toHaveReceivedCommandWith(
      CreateChangeSetCommand,
      {
        StackName: 'innovate-dev-logs',
        ChangeSetType: 'CREATE',
      },
    );
    expect(cloudFormation.mock).toHaveReceivedCommandTimes(
      ExecuteChangeSetCommand,
      1,
    );
    expect(outputs.outcome).toBe('created');
    expect(outputs.status).toBe('CREATE_COMPLETE');
    expect(outputs.outputs).toEqual({
      BucketName: 'innovate-dev-logs:BucketName',
    });
    expect(lines.some(l => l.includes('LogBucket [AWS::S3::Bucket]'))).toBe(
      true,
    );
    expect(lines.join('\n')).not.toContain('hunter2-very-secret');
  });

  it('updates an existing stack through an UPDATE change set with a request token', async () => {
    const { cloudFormation, deps } = setup();
    cloudFormation.seedStack({
      stackName: 'innovate-dev-logs',
      templateBody: TEMPLATE,
      parameters: { BucketSuffix: 'old', AdminPassword: 'x' },
    });
    const { ctx, outputs } = actionContext(baseInput);

    await createCloudFormationDeployAction(deps).handler(ctx);

    expect(cloudFormation.mock).toHaveReceivedCommandWith(
      CreateChangeSetCommand,
      {
        ChangeSetType: 'UPDATE',
      },
    );
    const execute = cloudFormation.mock.commandCalls(
      ExecuteChangeSetCommand,
    )[0];
    expect(execute.args[0].input.ClientRequestToken).toMatch(
      /^innovate-execute-/,
    );
    expect(outputs.outcome).toBe('updated');
  });

  it('succeeds without executing anything when the change set has no changes', async () => {
    const { cloudFormation, deps } = setup();
    cloudFormation.seedStack({
      stackName: 'innovate-dev-logs',
      templateBody: TEMPLATE,
      parameters: baseInput.parameters,
    });
    const { ctx, outputs, lines } = actionContext(baseInput);

    await createCloudFormationDeployAction(deps).handler(ctx);

    expect(cloudFormation.mock).toHaveReceivedCommandTimes(
      ExecuteChangeSetCommand,
      0,
    );
    expect(cloudFormation.mock).toHaveReceivedCommandTimes(
      DeleteChangeSetCommand,
      1,
    );
    expect(outputs.outcome).toBe('unchanged');
    expect(lines.some(l => l.includes('no changes'))).toBe(true);
  });

  it('in a dry run describes the change set, deletes it and never executes', async () => {
    const { cloudFormation, deps } = setup();
    const { ctx, outputs, lines } = actionContext(baseInput, {
      isDryRun: true,
    });

    await createCloudFormationDeployAction(deps).handler(ctx);

    expect(cloudFormation.mock).toHaveReceivedCommandTimes(
      ExecuteChangeSetCommand,
      0,
    );
    expect(cloudFormation.mock).toHaveReceivedCommandTimes(
      DeleteChangeSetCommand,
      1,
    );
    expect(cloudFormation.stacks.has('innovate-dev-logs')).toBe(false);
    expect(outputs.outcome).toBe('previewed');
    expect(outputs.changes).toEqual([
      {
        action: 'Add',
        logicalId: 'LogBucket',
        resourceType: 'AWS::S3::Bucket',
      },
    ]);
    expect(lines.some(l => l.includes('Add LogBucket (AWS::S3::Bucket)'))).toBe(
      true,
    );
  });

  it('protects a prod stack with termination protection and a database stack policy', async () => {
    const { cloudFormation, deps } = setup();
    const { ctx } = actionContext({
      ...baseInput,
      accountId: '333333333333',
      stackName: 'innovate-prod-data',
      stage: 'prod',
    });

    await createCloudFormationDeployAction(deps).handler(ctx);

    const stack = cloudFormation.stacks.get('innovate-prod-data')!;
    expect(stack.EnableTerminationProtection).toBe(true);
    expect(cloudFormation.mock).toHaveReceivedCommandWith(
      SetStackPolicyCommand,
      {
        StackPolicyBody: DATABASE_STACK_POLICY,
      },
    );
    expect(JSON.parse(DATABASE_STACK_POLICY).Statement[1]).toMatchObject({
      Effect: 'Deny',
      Action: ['Update:Replace', 'Update:Delete'],
      Condition: { StringLike: { ResourceType: ['AWS::RDS::*'] } },
    });
  });

  it('deletes a stack left in ROLLBACK_COMPLETE before creating it again, and says so', async () => {
    const { cloudFormation, deps } = setup();
    cloudFormation.seedStack({
      stackName: 'innovate-dev-logs',
      status: 'ROLLBACK_COMPLETE',
    });
    const { ctx, outputs, lines } = actionContext(baseInput);

    await createCloudFormationDeployAction(deps).handler(ctx);

    expect(
      cloudFormation.timeline.indexOf('deleted:innovate-dev-logs'),
    ).toBeLessThan(
      cloudFormation.timeline.indexOf('change-set:CREATE:innovate-dev-logs'),
    );
    expect(
      lines.some(
        l => l.includes('ROLLBACK_COMPLETE') && l.includes('deleting it'),
      ),
    ).toBe(true);
    expect(outputs.outcome).toBe('created');
  });

  it('keeps the live log busy with a heartbeat while CloudFormation is silent', async () => {
    const { cloudFormation, deps } = setup();
    let polls = 0;
    cloudFormation.holdWhile = () => ++polls < 20;
    const { ctx, lines } = actionContext(baseInput);

    await createCloudFormationDeployAction({
      ...deps,
      settings: { ...deps.settings, heartbeatSeconds: 0.001 },
    }).handler(ctx);

    expect(
      lines.some(l => l.includes('Still creating innovate-dev-logs')),
    ).toBe(true);
  });

  it("fails with the failed resources' reasons", async () => {
    const { cloudFormation, deps } = setup();
    cloudFormation.failOn.set('innovate-dev-logs', 'LogBucket');
    const { ctx } = actionContext(baseInput);

    await expect(
      createCloudFormationDeployAction(deps).handler(ctx),
    ).rejects.toThrow(
      /innovate-dev-logs failed \(ROLLBACK_COMPLETE\): LogBucket \(AWS::RDS::DBInstance\): DB instance quota exceeded/,
    );
  });

  it.each([
    ['a bad stack name', { stackName: '1-bad_name' }, /Invalid stack name/],
    [
      'an account not on the allowlist',
      { accountId: '999999999999' },
      /999999999999\/eu-central-1 is not on the allowlist/,
    ],
    ['a Region not allowed', { region: 'us-east-1' }, /us-east-1 is not on the allowlist/],
    [
      'a template over 51,200 bytes',
      { templateBody: `${TEMPLATE}#${'x'.repeat(52000)}\n` },
      /51,200/,
    ],
    ['both template sources', { templatePath: 'x.yaml' }, /exactly one/],
  ])('rejects %s before any AWS call', async (_, override, message) => {
    const { cloudFormation, deps } = setup();
    const { ctx } = actionContext({ ...baseInput, ...override });

    await expect(
      createCloudFormationDeployAction(deps).handler(ctx),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(message),
    });
    expect(cloudFormation.mock.calls()).toHaveLength(0);
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_, example) => {
      const { cloudFormation, deps } = setup();
      const input = yaml.parse(example).steps[0].input;
      const { ctx, outputs } = actionContext(input);
      if (input.templatePath) {
        const file = path.join(ctx.workspacePath, input.templatePath);
        await fs.mkdir(path.dirname(file), { recursive: true });
        await fs.writeFile(file, TEMPLATE);
      }
      await createCloudFormationDeployAction(deps).handler(ctx);
      expect(outputs.status).toBe('CREATE_COMPLETE');
      expect(cloudFormation.stacks.get(input.stackName)?.StackStatus).toBe(
        'CREATE_COMPLETE',
      );
    },
  );
});
