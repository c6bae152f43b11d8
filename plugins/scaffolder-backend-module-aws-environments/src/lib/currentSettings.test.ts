import type { Stack } from '@aws-sdk/client-cloudformation';
import { TAG_LAYER } from '@internal/plugin-aws-environments-common';
import {
  type EnvironmentBlueprint,
  type EnvironmentSpec,
  createEnvironmentSpec,
  environmentTags,
  loadBlueprint,
  planEnvironment,
  resolveParameters,
} from '@internal/plugin-aws-environments-node';
import path from 'node:path';
import {
  NO_CURRENT_SETTINGS,
  currentSettingsOf,
  formatSettings,
} from './currentSettings';
import {
  normalizeEnvironmentSpec,
  parseEnvironmentRequest,
  resolveEnvironmentSpec,
} from './environmentSpec';

const BLUEPRINT_DIR = path.resolve(
  __dirname,
  '../../../../templates/aws-environment/cloudformation',
);

let blueprint: EnvironmentBlueprint;
beforeAll(async () => {
  blueprint = await loadBlueprint(BLUEPRINT_DIR);
});

/** A prod environment sized away from every prod default, as a team might have grown it. */
const grownProd = createEnvironmentSpec({
  name: 'innovate-prod',
  stage: 'prod',
  accountId: '333333333333',
  region: 'eu-central-1',
  vpcCidr: '10.30.0.0/16',
  costCenter: 'web-prod',
  databaseInstanceClass: 'db.r7g.2xlarge',
  databaseStorageGb: 750,
  backendNodes: { min: 4, desired: 6, max: 20 },
  kubernetesVersion: '1.32',
  drCopyRegion: 'eu-west-1',
  budgetMonthlyUsd: 12500.5,
  enableWaf: false,
});

/** The stacks CloudFormation would describe for an environment deployed from `spec`. */
function stacksOf(spec: EnvironmentSpec): Stack[] {
  const outputsByLayer = Object.fromEntries(
    blueprint.layers.map(layer => [
      layer.name,
      Object.fromEntries(layer.outputs.map(o => [o, `${layer.name}-${o}`])),
    ]),
  );
  return planEnvironment(blueprint, spec).map(planned => ({
    StackName: planned.stackName,
    StackStatus: 'UPDATE_COMPLETE',
    CreationTime: new Date(0),
    Parameters: resolveParameters(planned, spec, outputsByLayer),
    Tags: [
      ...environmentTags(blueprint, spec),
      { Key: TAG_LAYER, Value: planned.layer },
    ],
  }));
}

function withParameter(
  stacks: Stack[],
  stackName: string,
  key: string,
  value: string,
): Stack[] {
  return stacks.map(stack =>
    stack.StackName === stackName
      ? {
          ...stack,
          Parameters: stack.Parameters!.map(p =>
            p.ParameterKey === key ? { ...p, ParameterValue: value } : p,
          ),
        }
      : stack,
  );
}

const identity = {
  name: 'innovate-prod',
  stage: 'prod',
  accountId: '333333333333',
  region: 'eu-central-1',
};

describe('currentSettingsOf', () => {
  it("reads every setting back from the stacks' parameters, typed like the spec", () => {
    const current = currentSettingsOf(stacksOf(grownProd), blueprint);
    const value = (field: string) => current.get(field)?.value;

    expect(value('databaseInstanceClass')).toBe('db.r7g.2xlarge');
    expect(value('databaseStorageGb')).toBe(750);
    expect(value('azCount')).toBe(3);
    expect(value('multiAz')).toBe(true);
    expect(value('enableWaf')).toBe(false);
    expect(value('backendNodes.max')).toBe(20);
    expect(value('budgetMonthlyUsd')).toBe(12500.5);
    expect(value('drCopyRegion')).toBe('eu-west-1');
    expect(value('domainName')).toBe('');
    expect(value('vpcCidr')).toBe('10.30.0.0/16');
    // Carried by the tags the blueprint passes on as parameters.
    expect(value('costCenter')).toBe('web-prod');
    expect(value('owner')).toBe('group:default/web-team');
    // Fields two layers carry name both stacks.
    expect(current.get('databaseEngine')?.stackNames.sort()).toEqual([
      'innovate-prod-data',
      'innovate-prod-observability',
    ]);
  });

  it('ignores stacks that never ran: a change set not executed, a creation rolled back', () => {
    const stacks = stacksOf(grownProd).map(s => ({
      ...s,
      StackStatus:
        s.StackName === 'innovate-prod-data'
          ? 'REVIEW_IN_PROGRESS'
          : s.StackStatus,
    }));
    const current = currentSettingsOf(stacks, blueprint);
    expect(current.has('databaseInstanceClass')).toBe(false);
    expect(current.get('databaseEngine')?.stackNames).toEqual([
      'innovate-prod-observability',
    ]);
  });

  it('refuses to keep a field its stacks disagree on, naming the stacks, but lets the request settle it', () => {
    const stacks = withParameter(
      stacksOf(grownProd),
      'innovate-prod-observability',
      'DatabaseEngine',
      'aurora-postgresql',
    );
    const current = currentSettingsOf(stacks, blueprint);
    let thrown: Error | undefined;
    try {
      resolveEnvironmentSpec(parseEnvironmentRequest(identity), current);
    } catch (error) {
      thrown = error as Error;
    }
    expect(thrown?.name).toBe('InputError');
    expect(thrown?.message).toMatch(/databaseEngine is /);
    expect(thrown?.message).toContain(
      '"aurora-postgresql" in innovate-prod-observability',
    );
    expect(thrown?.message).toContain('"rds-postgresql" in innovate-prod-data');

    const settled = resolveEnvironmentSpec(
      parseEnvironmentRequest({
        ...identity,
        databaseEngine: 'rds-postgresql',
      }),
      current,
    );
    expect(settled.spec.databaseEngine).toBe('rds-postgresql');
  });

  it('says which parameter holds a value of the wrong type', () => {
    const stacks = withParameter(
      stacksOf(grownProd),
      'innovate-prod-data',
      'DatabaseStorageGb',
      'lots',
    );
    expect(() => currentSettingsOf(stacks, blueprint)).toThrow(
      /DatabaseStorageGb of innovate-prod-data is "lots", which is not a number/,
    );
  });
});

describe('resolveEnvironmentSpec', () => {
  it('keeps every blank field of an existing environment at its current value', () => {
    const current = currentSettingsOf(stacksOf(grownProd), blueprint);
    const { spec, settings } = resolveEnvironmentSpec(
      parseEnvironmentRequest({
        ...identity,
        kubernetesVersion: '1.33',
        databaseInstanceClass: '',
        azCount: '',
      }),
      current,
    );

    expect(spec).toEqual({ ...grownProd, kubernetesVersion: '1.33' });
    const row = (field: string) => settings.find(s => s.field === field);
    expect(row('kubernetesVersion')).toEqual({
      field: 'kubernetesVersion',
      current: '1.32',
      requested: '1.33',
      effective: '1.33',
      status: 'changed',
    });
    expect(row('databaseInstanceClass')).toEqual({
      field: 'databaseInstanceClass',
      current: 'db.r7g.2xlarge',
      effective: 'db.r7g.2xlarge',
      status: 'kept',
    });
    expect(settings.filter(s => s.status === 'changed')).toHaveLength(1);
    expect(settings.filter(s => s.status === 'default')).toEqual([]);
    expect(formatSettings('innovate-prod', settings)).toEqual(
      expect.arrayContaining([
        'Settings of innovate-prod: 1 changed, 28 kept from the current stacks',
        expect.stringMatching(
          /^ {2}databaseInstanceClass +db\.r7g\.2xlarge \(kept\)$/,
        ),
        expect.stringMatching(
          /^ {2}kubernetesVersion +1\.33 \(changed from 1\.32\)$/,
        ),
      ]),
    );
  });

  it('merges a partly filled node group with the current counts and checks the result', () => {
    const current = currentSettingsOf(stacksOf(grownProd), blueprint);
    const { spec } = resolveEnvironmentSpec(
      parseEnvironmentRequest({ ...identity, backendNodes: { desired: 10 } }),
      current,
    );
    expect(spec.backendNodes).toEqual({ min: 4, desired: 10, max: 20 });

    expect(() =>
      resolveEnvironmentSpec(
        parseEnvironmentRequest({ ...identity, backendNodes: { desired: 30 } }),
        current,
      ),
    ).toThrow(/API nodes: the counts need minimum <= desired <= maximum/);
  });

  it("turns a clearable field off only when asked with 'none'", () => {
    const current = currentSettingsOf(stacksOf(grownProd), blueprint);
    const kept = resolveEnvironmentSpec(
      parseEnvironmentRequest({ ...identity, drCopyRegion: '' }),
      current,
    );
    expect(kept.spec.drCopyRegion).toBe('eu-west-1');
    const cleared = resolveEnvironmentSpec(
      parseEnvironmentRequest({ ...identity, drCopyRegion: 'none' }),
      current,
    );
    expect(cleared.spec.drCopyRegion).toBe('');
    expect(cleared.settings.find(s => s.field === 'drCopyRegion')?.status).toBe(
      'changed',
    );
  });

  it('gives a new environment the stage defaults for blank fields', () => {
    const spec = normalizeEnvironmentSpec({
      ...identity,
      name: 'innovate-eu',
      vpcCidr: '10.90.0.0/16',
      databaseInstanceClass: '',
      frontendNodes: { min: 2 },
    });
    expect(spec.databaseInstanceClass).toBe('db.r7g.large');
    expect(spec.azCount).toBe(3);
    expect(spec.frontendNodes).toEqual({ min: 2, desired: 3, max: 9 });

    const dev = resolveEnvironmentSpec(
      parseEnvironmentRequest({
        name: 'innovate-qa',
        stage: 'dev',
        accountId: '222222222222',
        region: 'eu-central-1',
        vpcCidr: '10.91.0.0/16',
        databaseInstanceClass: '',
      }),
      NO_CURRENT_SETTINGS,
    );
    expect(dev.spec.databaseInstanceClass).toBe('db.t4g.medium');
    expect(dev.settings.find(s => s.field === 'databaseInstanceClass')).toEqual(
      {
        field: 'databaseInstanceClass',
        effective: 'db.t4g.medium',
        status: 'default',
      },
    );
  });

  it('needs a VPC range only when there is none to keep', () => {
    expect(() =>
      normalizeEnvironmentSpec({ ...identity, name: 'innovate-eu' }),
    ).toThrow(/VPC range is required: innovate-eu has no network stack yet/);
    const current = currentSettingsOf(stacksOf(grownProd), blueprint);
    expect(
      resolveEnvironmentSpec(parseEnvironmentRequest(identity), current).spec
        .vpcCidr,
    ).toBe('10.30.0.0/16');
  });

  it('still refuses what prod never runs with, asked for or not', () => {
    expect(() =>
      parseEnvironmentRequest({ ...identity, natGateways: 'single' }),
    ).toThrow(/NAT gateways: a prod environment has one per Availability Zone/);
    expect(() =>
      parseEnvironmentRequest({ ...identity, vpcCidr: '10.30.0.0/20' }),
    ).toThrow(/Use a \/16 range/);
  });
});
