import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  ExecuteChangeSetCommand,
} from '@aws-sdk/client-cloudformation';
import 'aws-sdk-client-mock-jest';
import yaml from 'yaml';
import { actionContext, setup } from '../__testUtils__/actionHarness';
import { createEnvironmentDeployAction } from './environmentDeploy';
import { createEnvironmentPlanAction } from './environmentPlan';
import { examples } from './environmentPlan.examples';

const environment = {
  name: 'innovate-qa',
  stage: 'dev',
  accountId: '222222222222',
  region: 'eu-central-1',
  vpcCidr: '10.42.0.0/16',
};

describe('innovate:environment:plan', () => {
  it('previews a new environment without creating or executing anything', async () => {
    const { cloudFormation, deps } = setup();
    const { ctx, outputs } = actionContext({ environment, mode: 'create' });

    await createEnvironmentPlanAction(deps).handler(ctx);

    expect(cloudFormation.mock).toHaveReceivedCommandTimes(
      ExecuteChangeSetCommand,
      0,
    );
    expect(cloudFormation.stacks.size).toBe(0);
    const changes = outputs.changes as Array<{
      layer: string;
      changeSetType: string;
      source: string;
      changes: unknown[];
    }>;
    expect(changes.map(c => c.changeSetType)).toEqual(Array(6).fill('CREATE'));
    // The network stack has no inputs from other stacks, so it gets a real change set.
    expect(changes[0]).toMatchObject({
      layer: 'network',
      source: 'change-set',
    });
    expect(changes[0].changes).toEqual([
      { action: 'Add', logicalId: 'Vpc', resourceType: 'AWS::EC2::VPC' },
    ]);
    expect(changes[5]).toMatchObject({
      layer: 'observability',
      source: 'template',
    });
    expect(outputs.summary).toBe(
      'innovate-qa: 6 stack(s) to create (7 resources), 0 to update (0 changes, 0 replacement(s)), 0 unchanged',
    );
  });

  it('previews an update of an existing environment through change sets it deletes again', async () => {
    const { cloudFormation, deps } = setup();
    await createEnvironmentDeployAction(deps).handler(
      actionContext({ environment }, { taskId: 'deploy' }).ctx,
    );
    cloudFormation.mock.resetHistory();

    const { ctx, outputs } = actionContext(
      { environment: { ...environment, multiAz: true } },
      { taskId: 'plan' },
    );
    await createEnvironmentPlanAction(deps).handler(ctx);

    expect(cloudFormation.mock).toHaveReceivedCommandTimes(
      ExecuteChangeSetCommand,
      0,
    );
    expect(cloudFormation.mock).toHaveReceivedCommandTimes(
      DeleteChangeSetCommand,
      6,
    );
    expect(cloudFormation.changeSets.size).toBe(0);
    expect(outputs.summary).toBe(
      'innovate-qa: 0 stack(s) to create (0 resources), 1 to update (1 changes, 0 replacement(s)), 5 unchanged',
    );
  });

  it('rejects bad input before any AWS call', async () => {
    const { cloudFormation, deps } = setup();
    const { ctx } = actionContext({
      environment: { ...environment, vpcCidr: 'nope' },
    });
    await expect(
      createEnvironmentPlanAction(deps).handler(ctx),
    ).rejects.toMatchObject({
      name: 'InputError',
    });
    expect(cloudFormation.mock.calls()).toHaveLength(0);
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_, example) => {
      const { deps } = setup();
      const input = yaml.parse(example).steps[0].input;
      await createEnvironmentDeployAction(deps).handler(
        actionContext({ environment: input.environment }, { taskId: 'create' })
          .ctx,
      );
      const { ctx, outputs } = actionContext(input);
      await createEnvironmentPlanAction(deps).handler(ctx);
      expect(outputs.summary).toMatch(
        /^innovate-staging: 0 stack\(s\) to create/,
      );
    },
  );
});

describe('innovate:environment:plan with versions AWS will not create', () => {
  it('refuses the preview of a new environment on a retired PostgreSQL version before any CloudFormation call', async () => {
    const { cloudFormation, deps } = setup();
    const { ctx, outputs } = actionContext({
      environment: { ...environment, databaseEngineVersion: '17.4' },
      mode: 'create',
    });

    await expect(
      createEnvironmentPlanAction(deps).handler(ctx),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        'PostgreSQL 17.4 cannot be created in eu-central-1: RDS offers 18.1, 17.7, 16.11, 15.15, 14.20.',
    });
    expect(cloudFormation.mock.calls()).toHaveLength(0);
    expect(outputs.changes).toBeUndefined();
  });

  it('refuses the preview of an update to a Kubernetes version EKS does not offer before any change set', async () => {
    const { cloudFormation, deps } = setup();
    await createEnvironmentDeployAction(deps).handler(
      actionContext({ environment }, { taskId: 'deploy' }).ctx,
    );
    cloudFormation.mock.resetHistory();

    await expect(
      createEnvironmentPlanAction(deps).handler(
        actionContext(
          { environment: { ...environment, kubernetesVersion: '1.31' } },
          { taskId: 'plan' },
        ).ctx,
      ),
    ).rejects.toMatchObject({
      message: expect.stringMatching(
        /^Kubernetes 1\.31 cannot be created in eu-central-1: EKS offers 1\.35, /,
      ),
    });
    expect(cloudFormation.mock).toHaveReceivedCommandTimes(
      CreateChangeSetCommand,
      0,
    );
  });
});
