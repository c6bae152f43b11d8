import {
  CreateChangeSetCommand,
  ExecuteChangeSetCommand,
} from '@aws-sdk/client-cloudformation';
import {
  TAG_ENVIRONMENT,
  TAG_LAYER,
  TAG_OWNER,
  TAG_TEMPLATE_VERSION,
} from '@internal/plugin-aws-environments-common';
import 'aws-sdk-client-mock-jest';
import yaml from 'yaml';
import { actionContext, setup } from '../__testUtils__/actionHarness';
import { createEnvironmentDeployAction } from './environmentDeploy';
import { examples } from './environmentDeploy.examples';

const environment = {
  name: 'innovate-qa',
  stage: 'dev',
  accountId: '222222222222',
  region: 'eu-central-1',
  owner: 'group:web-team',
  system: 'system:default/innovate-web',
  vpcCidr: '10.42.0.0/16',
};
const LAYERS = [
  'network',
  'security',
  'data',
  'compute',
  'edge',
  'observability',
];

describe('innovate:environment:deploy', () => {
  it('creates every layer, passes outputs on and tags every stack', async () => {
    const { cloudFormation, deps } = setup();
    const { ctx, outputs } = actionContext({ environment });

    await createEnvironmentDeployAction(deps).handler(ctx);

    expect([...cloudFormation.stacks.keys()].sort()).toEqual(
      LAYERS.map(l => `innovate-qa-${l}`).sort(),
    );
    for (const layer of LAYERS) {
      const stack = cloudFormation.stacks.get(`innovate-qa-${layer}`)!;
      expect(stack.StackStatus).toBe('CREATE_COMPLETE');
      const tags = Object.fromEntries(stack.Tags.map(t => [t.Key, t.Value]));
      expect(tags).toMatchObject({
        [TAG_ENVIRONMENT]: 'innovate-qa',
        [TAG_OWNER]: 'group:default/web-team',
        [TAG_TEMPLATE_VERSION]: '1.2.0',
        [TAG_LAYER]: layer,
      });
    }
    const security = cloudFormation.stacks.get('innovate-qa-security')!;
    expect(security.Parameters).toContainEqual({
      ParameterKey: 'VpcId',
      ParameterValue: 'innovate-qa-network:VpcId',
    });
    const stacks = outputs.stacks as Array<Record<string, unknown>>;
    expect(stacks.map(s => s.layer)).toEqual(LAYERS);
    expect(stacks.every(s => s.outcome === 'created')).toBe(true);
    for (const stack of stacks) {
      expect(Date.parse(stack.completedAt as string)).toBeGreaterThanOrEqual(
        Date.parse(stack.startedAt as string),
      );
    }
    expect(outputs.consoleUrl).toContain(
      'eu-central-1.console.aws.amazon.com/cloudformation',
    );
    expect(outputs.environment).toMatchObject({
      azCount: 2,
      natGateways: 'single',
      multiAz: false,
      owner: 'group:default/web-team',
    });
  });

  it('starts each stack as soon as its own dependencies are complete, not in waves', async () => {
    const { cloudFormation, deps } = setup();
    // The database takes until the edge stack has started; a wave-by-wave deployment would never get there.
    let guard = 0;
    cloudFormation.holdWhile = name =>
      name === 'innovate-qa-data' &&
      !cloudFormation.timeline.includes('execute:innovate-qa-edge') &&
      ++guard < 2000;
    const { ctx } = actionContext({ environment });

    await createEnvironmentDeployAction(deps).handler(ctx);

    const at = (entry: string) => cloudFormation.timeline.indexOf(entry);
    expect(at('execute:innovate-qa-data')).toBeGreaterThan(
      at('complete:innovate-qa-security'),
    );
    expect(at('execute:innovate-qa-compute')).toBeLessThan(
      at('complete:innovate-qa-data'),
    );
    expect(at('execute:innovate-qa-edge')).toBeLessThan(
      at('complete:innovate-qa-data'),
    );
    expect(at('execute:innovate-qa-observability')).toBeGreaterThan(
      at('complete:innovate-qa-data'),
    );
    expect(at('execute:innovate-qa-security')).toBeGreaterThan(
      at('complete:innovate-qa-network'),
    );
  });

  it('refuses to create an environment again, naming the Update template, and changes nothing', async () => {
    const { cloudFormation, deps } = setup();
    await createEnvironmentDeployAction(deps).handler(
      actionContext({ environment }, { taskId: 'first' }).ctx,
    );
    cloudFormation.mock.resetHistory();

    await expect(
      createEnvironmentDeployAction(deps).handler(
        actionContext({ environment, mode: 'create' }, { taskId: 'again' }).ctx,
      ),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        'innovate-qa already exists (its stacks are in this account, owner group:default/web-team). Pick another name, or use the "Update an AWS environment" template',
      ),
    });
    expect(cloudFormation.mock).toHaveReceivedCommandTimes(
      CreateChangeSetCommand,
      0,
    );
    expect(cloudFormation.stacks.size).toBe(6);
  });

  it('leaves exactly one set of stacks when the same update is submitted again', async () => {
    const { cloudFormation, deps } = setup();
    await createEnvironmentDeployAction(deps).handler(
      actionContext({ environment }, { taskId: 'first' }).ctx,
    );
    cloudFormation.mock.resetHistory();

    const { ctx, outputs } = actionContext(
      { environment, mode: 'update' },
      { taskId: 'second' },
    );
    await createEnvironmentDeployAction(deps).handler(ctx);

    expect(cloudFormation.stacks.size).toBe(6);
    expect(cloudFormation.mock).not.toHaveReceivedCommandWith(
      CreateChangeSetCommand,
      {
        ChangeSetType: 'CREATE',
      },
    );
    expect(cloudFormation.mock).toHaveReceivedCommandTimes(
      ExecuteChangeSetCommand,
      0,
    );
    expect(
      (outputs.stacks as Array<{ outcome: string }>).map(s => s.outcome),
    ).toEqual(LAYERS.map(() => 'unchanged'));
  });

  it('stops waiting promptly when cancelled and sends nothing after the abort', async () => {
    const { cloudFormation, deps } = setup();
    const controller = new AbortController();
    let callsAtAbort = -1;
    cloudFormation.holdWhile = name => {
      if (name === 'innovate-qa-compute' && !controller.signal.aborted) {
        controller.abort();
        callsAtAbort = cloudFormation.mock.calls().length;
      }
      return name === 'innovate-qa-compute' || name === 'innovate-qa-data';
    };
    const { ctx } = actionContext(
      { environment },
      { signal: controller.signal },
    );

    await expect(
      createEnvironmentDeployAction(deps).handler(ctx),
    ).rejects.toMatchObject({
      name: 'TaskCancelledError',
    });
    await new Promise(resolve => setImmediate(resolve));
    expect(callsAtAbort).toBeGreaterThan(0);
    expect(cloudFormation.mock.calls()).toHaveLength(callsAtAbort);
    expect(cloudFormation.timeline).not.toContain('execute:innovate-qa-edge');
  });

  it('resumes after a restart without creating anything twice', async () => {
    const { cloudFormation, deps } = setup();
    const checkpoints = new Map<string, unknown>();
    const controller = new AbortController();
    cloudFormation.holdWhile = name => {
      if (name === 'innovate-qa-data') controller.abort();
      return name === 'innovate-qa-data' && !controller.signal.aborted;
    };
    await expect(
      createEnvironmentDeployAction(deps).handler(
        actionContext(
          { environment },
          { taskId: 'task-restart', checkpoints, signal: controller.signal },
        ).ctx,
      ),
    ).rejects.toThrow();
    cloudFormation.holdWhile = () => false;

    const { ctx, outputs } = actionContext(
      { environment },
      { taskId: 'task-restart', checkpoints },
    );
    await createEnvironmentDeployAction(deps).handler(ctx);

    expect(cloudFormation.stacks.size).toBe(6);
    const executes = cloudFormation.timeline.filter(e =>
      e.startsWith('execute:'),
    );
    expect(new Set(executes).size).toBe(executes.length);
    expect(
      cloudFormation.timeline.filter(
        e => e === 'change-set:CREATE:innovate-qa-data',
      ),
    ).toHaveLength(1);
    expect(
      (outputs.stacks as Array<{ status: string }>).every(
        s => s.status === 'CREATE_COMPLETE',
      ),
    ).toBe(true);
  });

  it('never writes a secret parameter value to the task log or the outputs', async () => {
    const { cloudFormation, deps } = setup();
    const secret = 'origin-verify-5f0c1d2e9a';
    cloudFormation.outputValues.set('innovate-qa-security', {
      OriginVerifySecret: secret,
    });
    const { ctx, lines, outputs } = actionContext({ environment });

    await createEnvironmentDeployAction(deps).handler(ctx);

    // The edge stack did receive it.
    expect(
      cloudFormation.stacks.get('innovate-qa-edge')!.Parameters,
    ).toContainEqual({
      ParameterKey: 'OriginVerifySecret',
      ParameterValue: secret,
    });
    expect(
      lines.some(l => l.includes('Resource creation Initiated with ****')),
    ).toBe(true);
    expect(lines.join('\n')).not.toContain(secret);
    expect(JSON.stringify(outputs)).not.toContain(secret);
  });

  it('in a dry run previews without executing anything', async () => {
    const { cloudFormation, deps } = setup();
    const { ctx, outputs } = actionContext({ environment }, { isDryRun: true });

    await createEnvironmentDeployAction(deps).handler(ctx);

    expect(cloudFormation.mock).toHaveReceivedCommandTimes(
      ExecuteChangeSetCommand,
      0,
    );
    expect(cloudFormation.stacks.size).toBe(0);
    expect(
      (outputs.stacks as Array<{ outcome: string }>).every(
        s => s.outcome === 'previewed',
      ),
    ).toBe(true);
  });

  it.each([
    ['a bad name', { name: 'Innovate_QA' }, /lower-case letters/],
    [
      'an account not on the allowlist',
      { accountId: '999999999999' },
      /not on the (portal's )?allowlist/,
    ],
    [
      'a Region not allowed',
      { region: 'us-west-2' },
      /us-west-2 is not on the allowlist/,
    ],
    [
      'a prod environment in a dev account',
      { stage: 'prod' },
      /use a prod account/,
    ],
    [
      'a dev environment in the prod account',
      { accountId: '333333333333' },
      /use a dev account/,
    ],
    [
      'an invalid CIDR',
      { vpcCidr: '10.42.0.1/16' },
      /does not start its range: use 10.42.0.0\/16/,
    ],
    ['a public CIDR', { vpcCidr: '8.8.0.0/16' }, /private range/],
    ['a too small VPC', { vpcCidr: '10.42.0.0/24' }, /Use a \/16 range/],
    [
      'a /20 VPC the subnets do not fit in',
      { vpcCidr: '10.42.0.0/20' },
      /Use a \/16 range/,
    ],
    ['too much storage', { databaseStorageGb: 65536 }, /at most 2000 GiB/],
    ['an x86 node type', { frontendInstanceType: 'm5.large' }, /Graviton/],
    [
      'prod without Multi-AZ',
      { stage: 'prod', accountId: '333333333333', multiAz: false },
      /Multi-AZ/,
    ],
    ['a missing field', { region: undefined }, /Region is required/],
  ])('rejects %s before any AWS call', async (_, override, message) => {
    const { cloudFormation, deps } = setup();
    const { ctx } = actionContext({
      environment: { ...environment, ...override },
    });

    await expect(
      createEnvironmentDeployAction(deps).handler(ctx),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(message),
    });
    expect(cloudFormation.mock.calls()).toHaveLength(0);
  });

  it("rejects a VPC range overlapping another environment's in the account before any change", async () => {
    const { cloudFormation, deps } = setup();
    cloudFormation.seedStack({
      stackName: 'innovate-dev-network',
      tags: { [TAG_ENVIRONMENT]: 'innovate-dev', [TAG_LAYER]: 'network' },
      outputs: { VpcCidr: '10.42.128.0/17' },
    });
    const { ctx } = actionContext({ environment });

    await expect(
      createEnvironmentDeployAction(deps).handler(ctx),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(
        /overlaps 10.42.128.0\/17 of environment innovate-dev/,
      ),
    });
    expect(cloudFormation.mock).toHaveReceivedCommandTimes(
      CreateChangeSetCommand,
      0,
    );
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_, example) => {
      const { cloudFormation, deps } = setup();
      const input = yaml.parse(example).steps[0].input;
      const { ctx } = actionContext(input);
      await createEnvironmentDeployAction(deps).handler(ctx);
      expect(cloudFormation.stacks.size).toBe(6);
    },
  );
});

describe('innovate:environment:deploy with versions AWS will not create', () => {
  const EKS_OFFERS =
    'EKS offers 1.35, 1.34 (extended support, +$365/month), 1.33 (extended support, +$365/month), 1.32 (extended support, +$365/month).';

  it('refuses a Kubernetes version EKS does not offer before any CloudFormation call, listing the ones it does', async () => {
    const { cloudFormation, deps } = setup();
    const { ctx } = actionContext({
      environment: { ...environment, kubernetesVersion: '1.31' },
    });

    await expect(
      createEnvironmentDeployAction(deps).handler(ctx),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: `Kubernetes 1.31 cannot be created in eu-central-1: ${EKS_OFFERS}`,
    });
    expect(cloudFormation.mock.calls()).toHaveLength(0);
    expect(cloudFormation.stacks.size).toBe(0);
  });

  it('names every refused version at once, the database one with what RDS creates', async () => {
    const { cloudFormation, deps } = setup();
    const { ctx } = actionContext({
      environment: {
        ...environment,
        kubernetesVersion: '1.29',
        databaseEngineVersion: '16.6',
      },
    });

    await expect(
      createEnvironmentDeployAction(deps).handler(ctx),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: `Kubernetes 1.29 cannot be created in eu-central-1: ${EKS_OFFERS} PostgreSQL 16.6 cannot be created in eu-central-1: RDS offers 18.1, 17.7, 16.11, 15.15, 14.20.`,
    });
    expect(cloudFormation.mock.calls()).toHaveLength(0);
  });

  it('checks the version against the engine chosen: Aurora offers fewer', async () => {
    const { cloudFormation, deps } = setup();
    const { ctx } = actionContext({
      environment: {
        ...environment,
        databaseEngine: 'aurora-postgresql',
        databaseEngineVersion: '16',
      },
    });

    await expect(
      createEnvironmentDeployAction(deps).handler(ctx),
    ).rejects.toMatchObject({
      message:
        'Aurora PostgreSQL 16 cannot be created in eu-central-1: Aurora offers 17.7, 17.6.',
    });
    expect(cloudFormation.mock.calls()).toHaveLength(0);
  });

  it('deploys a major version as asked, which RDS resolves to its default minor version', async () => {
    const { cloudFormation, deps } = setup();
    const { ctx, outputs } = actionContext({
      environment: { ...environment, databaseEngineVersion: '16' },
    });

    await createEnvironmentDeployAction(deps).handler(ctx);

    expect(cloudFormation.stacks.size).toBe(6);
    expect(outputs.environment).toMatchObject({
      databaseEngineVersion: '16',
      kubernetesVersion: '1.35',
    });
  });

  it('refuses an update to a version EKS does not offer before any change set', async () => {
    const { cloudFormation, deps } = setup();
    await createEnvironmentDeployAction(deps).handler(
      actionContext({ environment }, { taskId: 'first' }).ctx,
    );
    cloudFormation.mock.resetHistory();

    await expect(
      createEnvironmentDeployAction(deps).handler(
        actionContext(
          {
            environment: { ...environment, kubernetesVersion: '1.30' },
            mode: 'update',
          },
          { taskId: 'update' },
        ).ctx,
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: `Kubernetes 1.30 cannot be created in eu-central-1: ${EKS_OFFERS}`,
    });
    expect(cloudFormation.mock).toHaveReceivedCommandTimes(
      CreateChangeSetCommand,
      0,
    );
  });
});
