import {
  CloudFormationClient,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { createSimulatedAwsClientFactory } from '@internal/plugin-aws-environments-simulator';
import path from 'node:path';
import { FAST_SETTINGS, actionContext } from '../__testUtils__/actionHarness';
import type { ActionDependencies } from '../lib/actionSupport';
import { createEnvironmentDeployAction } from './environmentDeploy';
import { createEnvironmentDestroyAction } from './environmentDestroy';
import { createEnvironmentDriftAction } from './environmentDrift';
import { createEnvironmentPlanAction } from './environmentPlan';
import { testAccess } from '../__testUtils__/access';

const BLUEPRINT_DIR = path.resolve(
  __dirname,
  '../../../../templates/aws-environment/cloudformation',
);

/**
 * The actions against the simulated organization and the platform team's real blueprint: the same code path the
 * embedded default runs, without mocks.
 */
describe('environment lifecycle on the simulated organization', () => {
  const environment = {
    name: 'innovate-qa',
    stage: 'dev',
    accountId: '222222222222',
    region: 'eu-central-1',
    owner: 'group:default/web-team',
    system: 'system:default/innovate-web',
    vpcCidr: '10.77.0.0/16',
    alertEmail: 'web-team@innovate.example',
  };

  function deps(): ActionDependencies {
    return {
      awsClients: createSimulatedAwsClientFactory({
        blueprintDir: BLUEPRINT_DIR,
        seedEnvironments: false,
        timeScale: 0.0001,
      }),
      access: testAccess(),
      settings: {
        ...FAST_SETTINGS,
        pollIntervalSeconds: 0.02,
        blueprintDir: BLUEPRINT_DIR,
      },
    };
  }

  it('deploys, re-deploys as a no-op, detects drift and destroys an environment', async () => {
    const shared = deps();

    const first = actionContext({ environment }, { taskId: 'deploy-1' });
    await createEnvironmentDeployAction(shared).handler(first.ctx);
    const stacks = first.outputs.stacks as Array<{
      stackName: string;
      outcome: string;
      status: string;
    }>;
    expect(stacks.length).toBeGreaterThanOrEqual(6);
    expect(
      stacks.every(
        s => s.outcome === 'created' && s.status === 'CREATE_COMPLETE',
      ),
    ).toBe(true);
    expect(first.lines.some(l => l.includes('CREATE_COMPLETE'))).toBe(true);

    const second = actionContext(
      { environment, mode: 'update' },
      { taskId: 'deploy-2' },
    );
    await createEnvironmentDeployAction(shared).handler(second.ctx);
    expect(
      (second.outputs.stacks as Array<{ outcome: string }>).map(s => s.outcome),
    ).toEqual(stacks.map(() => 'unchanged'));

    const plan = actionContext({ environment }, { taskId: 'plan' });
    await createEnvironmentPlanAction(shared).handler(plan.ctx);
    expect(plan.outputs.summary).toMatch(/0 stack\(s\) to create/);

    const drift = actionContext(
      {
        name: 'innovate-qa',
        accountId: '222222222222',
        region: 'eu-central-1',
      },
      { taskId: 'drift' },
    );
    await createEnvironmentDriftAction(shared).handler(drift.ctx);
    expect((drift.outputs.drift as unknown[]).length).toBe(stacks.length);

    const destroy = actionContext(
      {
        name: 'innovate-qa',
        accountId: '222222222222',
        region: 'eu-central-1',
      },
      { taskId: 'destroy' },
    );
    await createEnvironmentDestroyAction(shared).handler(destroy.ctx);
    expect((destroy.outputs.deleted as string[]).sort()).toEqual(
      stacks.map(s => s.stackName).sort(),
    );
  });
});

describe('production environment on the simulated organization', () => {
  it('is protected after deploy and refused by destroy until confirmed', async () => {
    const shared: ActionDependencies = {
      awsClients: createSimulatedAwsClientFactory({
        blueprintDir: BLUEPRINT_DIR,
        seedEnvironments: false,
        timeScale: 0.0001,
      }),
      access: testAccess(),
      settings: {
        ...FAST_SETTINGS,
        pollIntervalSeconds: 0.02,
        blueprintDir: BLUEPRINT_DIR,
      },
    };
    const target = {
      name: 'innovate-eu',
      accountId: '333333333333',
      region: 'eu-central-1',
    };
    const client = await shared.awsClients.getClient(CloudFormationClient, {
      accountId: target.accountId,
      region: target.region,
    });
    const sent: Array<{ command: string; input: any }> = [];
    const send = client.send.bind(client);
    jest.spyOn(client, 'send').mockImplementation(((
      command: any,
      ...rest: any[]
    ) => {
      sent.push({ command: command.constructor.name, input: command.input });
      return (send as any)(command, ...rest);
    }) as any);
    const deploy = actionContext(
      {
        environment: {
          ...target,
          stage: 'prod',
          vpcCidr: '10.90.0.0/16',
          alertEmail: 'web-team@innovate.example',
        },
      },
      { taskId: 'prod-deploy' },
    );
    await createEnvironmentDeployAction(shared).handler(deploy.ctx);
    expect(
      deploy.lines.some(l => l.includes('termination protection on')),
    ).toBe(true);
    const changeSets = sent.filter(s => s.command === 'CreateChangeSetCommand');
    expect(changeSets.length).toBeGreaterThanOrEqual(6);
    for (const { input } of changeSets) {
      expect(input.RoleARN).toBe(
        'arn:aws:iam::333333333333:role/innovate-cloudformation-execution',
      );
    }
    const { Stacks } = await client.send(
      new DescribeStacksCommand({ StackName: 'innovate-eu-data' }),
    );
    expect(Stacks?.[0].RoleARN).toBe(
      'arn:aws:iam::333333333333:role/innovate-cloudformation-execution',
    );

    const refused = actionContext(target, { taskId: 'prod-destroy-1' });
    await expect(
      createEnvironmentDestroyAction(shared).handler(refused.ctx),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });

    const confirmed = actionContext(
      { ...target, confirmProduction: true },
      { taskId: 'prod-destroy-2' },
    );
    sent.length = 0;
    await createEnvironmentDestroyAction(shared).handler(confirmed.ctx);
    expect(
      (confirmed.outputs.deleted as string[]).length,
    ).toBeGreaterThanOrEqual(6);
    // Data and edge hold deletion protection of their own; it is released by an update before each delete.
    for (const stackName of ['innovate-eu-data', 'innovate-eu-edge']) {
      const release = sent.findIndex(
        s =>
          s.command === 'CreateChangeSetCommand' &&
          s.input.StackName === stackName,
      );
      const deletion = sent.findIndex(
        s =>
          s.command === 'DeleteStackCommand' && s.input.StackName === stackName,
      );
      expect(release).toBeGreaterThanOrEqual(0);
      expect(deletion).toBeGreaterThan(release);
      expect(sent[release].input).toMatchObject({
        UsePreviousTemplate: true,
        Parameters: expect.arrayContaining([
          { ParameterKey: 'ReleaseDeletionProtection', ParameterValue: 'true' },
          { ParameterKey: 'Stage', UsePreviousValue: true },
        ]),
      });
    }
    expect(
      sent.filter(
        s =>
          s.command === 'CreateChangeSetCommand' &&
          !['innovate-eu-data', 'innovate-eu-edge'].includes(s.input.StackName),
      ),
    ).toEqual([]);
  });
});
