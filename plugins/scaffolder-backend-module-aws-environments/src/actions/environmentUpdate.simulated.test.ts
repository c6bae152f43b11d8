import {
  CloudFormationClient,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { type AwsClientFactory } from '@internal/plugin-aws-environments-node';
import { createSimulatedAwsClientFactory } from '@internal/plugin-aws-environments-simulator';
import path from 'node:path';
import { FAST_SETTINGS, actionContext } from '../__testUtils__/actionHarness';
import type { ActionDependencies } from '../lib/actionSupport';
import type { EffectiveSetting } from '../lib/currentSettings';
import { createEnvironmentDeployAction } from './environmentDeploy';
import { createEnvironmentPlanAction } from './environmentPlan';
import { ENVIRONMENT_LAYERS as LAYERS } from '@internal/plugin-aws-environments-common';
import { testAccess } from '../__testUtils__/access';

const BLUEPRINT_DIR = path.resolve(
  __dirname,
  '../../../../templates/aws-environment/cloudformation',
);
const PROD = { accountId: '333333333333', region: 'eu-central-1' };

/** What the Update template sends for innovate-prod when only the Kubernetes version is filled in. */
const onlyKubernetesVersion = {
  name: 'innovate-prod',
  stage: 'prod',
  ...PROD,
  owner: 'group:default/web-team',
  system: 'system:default/innovate-web',
  vpcCidr: '',
  azCount: '',
  natGateways: 'per-az',
  nodeStrategy: '',
  frontendInstanceType: '',
  backendInstanceType: '',
  frontendNodes: {},
  backendNodes: {},
  kubernetesVersion: '1.35',
  databaseEngine: '',
  databaseInstanceClass: '',
  databaseStorageGb: '',
  multiAz: true,
  readReplica: '',
  backupRetentionDays: '',
  drCopyRegion: '',
  enableWaf: '',
  domainName: '',
  hostedZoneId: '',
  budgetMonthlyUsd: '',
  alertEmail: '',
  costCenter: '',
};

/**
 * The simulated organization and the actions' version checks on one clock, which runs from `start` (the version
 * snapshot's date unless given) and can be moved with `moveTo`.
 */
function simulatedDeps(start = '2026-12-03T12:00:00Z') {
  let offset = Date.parse(start) - Date.now();
  const now = () => new Date(Date.now() + offset);
  const deps: ActionDependencies = {
    awsClients: createSimulatedAwsClientFactory({
      blueprintDir: BLUEPRINT_DIR,
      timeScale: 0.0001,
      now: () => now().getTime(),
    }),
    access: testAccess(),
    settings: {
      ...FAST_SETTINGS,
      pollIntervalSeconds: 0.02,
      blueprintDir: BLUEPRINT_DIR,
    },
    now,
  };
  return Object.assign(deps, {
    moveTo(day: string) {
      offset = Date.parse(day) - Date.now();
    },
  });
}

async function parametersByStack(awsClients: AwsClientFactory) {
  const client = await awsClients.getClient(CloudFormationClient, PROD);
  const result: Record<string, Record<string, string>> = {};
  for (const layer of LAYERS) {
    const { Stacks } = await client.send(
      new DescribeStacksCommand({ StackName: `innovate-prod-${layer}` }),
    );
    result[layer] = Object.fromEntries(
      (Stacks?.[0].Parameters ?? []).map(p => [
        p.ParameterKey!,
        p.ParameterValue ?? '',
      ]),
    );
  }
  return result;
}

/**
 * The hazard the Update template used to carry: a prod environment grown past its defaults, updated by someone who
 * only meant to change the Kubernetes version. Against the simulated organization's seeded innovate-prod.
 */
// Each case deploys whole environments on the simulation: seconds alone, longer on a busy machine.
jest.setTimeout(60_000);

describe('updating an existing environment on the simulated organization', () => {
  it('changes only what was asked for and keeps every blank field at its current value', async () => {
    const deps = simulatedDeps();
    // Grow the seeded prod environment away from every prod default first, so a stage default cannot pass for "kept".
    const grow = actionContext(
      {
        environment: {
          ...onlyKubernetesVersion,
          kubernetesVersion: '1.34',
          databaseInstanceClass: 'db.r7g.2xlarge',
          databaseStorageGb: 750,
          backendNodes: { min: 4, desired: 6, max: 20 },
          backupRetentionDays: 30,
          drCopyRegion: 'eu-west-1',
          budgetMonthlyUsd: 12500,
          costCenter: 'web-prod',
          alertEmail: 'prod-oncall@innovate.example',
        },
      },
      { taskId: 'grow' },
    );
    grow.ctx.input.mode = 'update';
    await createEnvironmentDeployAction(deps).handler(grow.ctx);
    const before = await parametersByStack(deps.awsClients);
    expect(before.data).toMatchObject({
      DatabaseInstanceClass: 'db.r7g.2xlarge',
      MultiAz: 'true',
    });
    expect(before.network).toMatchObject({
      AzCount: '3',
      NatGateways: 'per-az',
      VpcCidr: '10.30.0.0/16',
    });

    const plan = actionContext(
      { environment: onlyKubernetesVersion },
      { taskId: 'plan' },
    );
    await createEnvironmentPlanAction(deps).handler(plan.ctx);
    expect(plan.outputs.summary).toBe(
      'innovate-prod: 0 stack(s) to create (0 resources), 1 to update (1 changes, 0 replacement(s)), 5 unchanged',
    );
    const changed = (
      plan.outputs.changes as Array<{ layer: string; changes: unknown[] }>
    ).filter(c => c.changes.length > 0);
    expect(changed.map(c => c.layer)).toEqual(['compute']);
    const settings = plan.outputs.settings as EffectiveSetting[];
    expect(settings.filter(s => s.status === 'changed')).toEqual([
      {
        field: 'kubernetesVersion',
        current: '1.34',
        requested: '1.35',
        effective: '1.35',
        status: 'changed',
      },
    ]);
    expect(settings.find(s => s.field === 'databaseInstanceClass')).toEqual({
      field: 'databaseInstanceClass',
      current: 'db.r7g.2xlarge',
      effective: 'db.r7g.2xlarge',
      status: 'kept',
    });
    expect(plan.lines).toContain(
      'info Settings of innovate-prod: 1 changed, 24 kept from the current stacks',
    );
    expect(
      plan.lines.some(l =>
        /^info {3}databaseInstanceClass +db\.r7g\.2xlarge \(kept\)$/.test(l),
      ),
    ).toBe(true);

    const apply = actionContext(
      { environment: onlyKubernetesVersion, mode: 'update' },
      { taskId: 'apply' },
    );
    await createEnvironmentDeployAction(deps).handler(apply.ctx);
    const after = await parametersByStack(deps.awsClients);
    expect(after).toEqual({
      ...before,
      compute: { ...before.compute, KubernetesVersion: '1.35' },
    });
    expect(
      (apply.outputs.stacks as Array<{ layer: string; outcome: string }>)
        .filter(s => s.outcome !== 'unchanged')
        .map(s => s.layer),
    ).toEqual(['compute']);
  });

  it('keeps a Kubernetes version EKS no longer creates when the field is left blank, and refuses moving to another one', async () => {
    // 1.31 is still in extended support, until 2026-11-26.
    const deps = simulatedDeps('2026-11-20T12:00:00Z');
    const old = actionContext(
      {
        environment: { ...onlyKubernetesVersion, kubernetesVersion: '1.31' },
        mode: 'update',
      },
      { taskId: 'old' },
    );
    await createEnvironmentDeployAction(deps).handler(old.ctx);
    deps.moveTo('2026-12-03T12:00:00Z');

    const keep = actionContext(
      {
        environment: {
          ...onlyKubernetesVersion,
          kubernetesVersion: '',
          budgetMonthlyUsd: 9000,
        },
        mode: 'update',
      },
      { taskId: 'keep' },
    );
    await createEnvironmentDeployAction(deps).handler(keep.ctx);
    expect(
      (keep.outputs.settings as EffectiveSetting[]).find(
        s => s.field === 'kubernetesVersion',
      ),
    ).toEqual({
      field: 'kubernetesVersion',
      current: '1.31',
      effective: '1.31',
      status: 'kept',
    });
    expect((await parametersByStack(deps.awsClients)).compute).toMatchObject({
      KubernetesVersion: '1.31',
    });

    const move = actionContext(
      {
        environment: { ...onlyKubernetesVersion, kubernetesVersion: '1.30' },
      },
      { taskId: 'move' },
    );
    await expect(
      createEnvironmentPlanAction(deps).handler(move.ctx),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        'Kubernetes 1.30 cannot be created in eu-central-1: EKS offers 1.35, 1.34 (extended support, +$365/month), 1.33 (extended support, +$365/month), 1.32 (extended support, +$365/month).',
    });
    expect(move.outputs.changes).toBeUndefined();
  });

  it('gives a new environment the stage defaults for blank fields', async () => {
    const deps = simulatedDeps();
    const plan = actionContext(
      {
        environment: {
          ...onlyKubernetesVersion,
          name: 'innovate-eu',
          vpcCidr: '10.90.0.0/16',
        },
        mode: 'create',
      },
      { taskId: 'plan-new' },
    );
    await createEnvironmentPlanAction(deps).handler(plan.ctx);
    const settings = plan.outputs.settings as EffectiveSetting[];
    expect(settings.find(s => s.field === 'databaseInstanceClass')).toEqual({
      field: 'databaseInstanceClass',
      effective: 'db.r7g.large',
      status: 'default',
    });
    expect(settings.some(s => s.status === 'kept')).toBe(false);
    expect(plan.outputs.summary).toMatch(
      /^innovate-eu: 6 stack\(s\) to create/,
    );
  });

  it('refuses a blank VPC range for an environment that does not exist yet', async () => {
    const deps = simulatedDeps();
    const plan = actionContext(
      {
        environment: { ...onlyKubernetesVersion, name: 'innovate-eu' },
        mode: 'create',
      },
      { taskId: 'plan-no-cidr' },
    );
    await expect(
      createEnvironmentPlanAction(deps).handler(plan.ctx),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('VPC range is required'),
    });
  });
});
