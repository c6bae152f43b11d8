import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { EventsService } from '@backstage/plugin-events-node';
import {
  parseTemplate,
  stageDefaults,
} from '@internal/plugin-aws-environments-node';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { FAST_SETTINGS } from '../__testUtils__/actionHarness';
import { fakeAwsClients } from '../__testUtils__/fakeCloudFormation';
import { createCloudFormationDeployAction } from '../actions/cloudformationDeploy';
import { createEnvironmentDeployAction } from '../actions/environmentDeploy';
import { createEnvironmentDestroyAction } from '../actions/environmentDestroy';
import { createEnvironmentDriftAction } from '../actions/environmentDrift';
import { createEnvironmentPlanAction } from '../actions/environmentPlan';
import { createEnvironmentRegisterAction } from '../actions/environmentRegister';
import { vpcCidrProblem } from '@internal/plugin-aws-environments-common';
import { normalizeEnvironmentSpec } from '../lib/environmentSpec';
import { testAccess } from '../__testUtils__/access';

/**
 * The three places an environment's limits are written down - the form (template.yaml), the actions' input schemas
 * and the CloudFormation templates - must agree, or a request passes one and fails minutes later in another.
 */
const TEMPLATES_ROOT = path.resolve(__dirname, '../../../../templates');
const CFN_DIR = path.join(TEMPLATES_ROOT, 'aws-environment/cloudformation');

async function readYaml(file: string): Promise<any> {
  return parseYaml(await fs.readFile(file, 'utf8'));
}

async function cfnParameter(template: string, name: string) {
  const body = await fs.readFile(path.join(CFN_DIR, template), 'utf8');
  return parseTemplate(body, template).Parameters?.[name] as Record<
    string,
    any
  >;
}

function formProperty(template: any, name: string): Record<string, any> {
  for (const page of template.spec.parameters) {
    if (page.properties?.[name]) return page.properties[name];
  }
  throw new Error(`form field ${name} not found`);
}

function accepts(override: Record<string, unknown>): boolean {
  try {
    normalizeEnvironmentSpec({
      name: 'innovate-qa',
      stage: 'dev',
      accountId: '222222222222',
      region: 'eu-central-1',
      vpcCidr: '10.40.0.0/16',
      ...override,
    });
    return true;
  } catch {
    return false;
  }
}

describe('form, actions and CloudFormation agree', () => {
  it('on the VPC range: exactly the /16s network.yaml can split into nine /20 subnets', async () => {
    const parameter = await cfnParameter('network.yaml', 'VpcCidr');
    const templatePattern = new RegExp(parameter.AllowedPattern);
    const form = await readYaml(
      path.join(TEMPLATES_ROOT, 'aws-environment/template.yaml'),
    );
    // The form checks the range with the field extension's shared check, the same one the action runs.
    expect(formProperty(form, 'vpcCidr')['ui:field']).toBe('VpcCidr');
    for (const cidr of [
      '10.40.0.0/16',
      '172.20.0.0/16',
      '192.168.0.0/16',
      '10.40.0.0/17',
      '10.40.0.0/20',
      '10.40.16.0/20',
    ]) {
      expect({ cidr, action: accepts({ vpcCidr: cidr }) }).toEqual({
        cidr,
        action: templatePattern.test(cidr),
      });
      expect({ cidr, form: vpcCidrProblem(cidr) === undefined }).toEqual({
        cidr,
        form: templatePattern.test(cidr),
      });
    }
  });

  it('on the database storage bounds', async () => {
    const parameter = await cfnParameter('data.yaml', 'DatabaseStorageGb');
    const form = await readYaml(
      path.join(TEMPLATES_ROOT, 'aws-environment/template.yaml'),
    );
    const field = formProperty(form, 'databaseStorageGb');
    expect([field.minimum, field.maximum]).toEqual([
      parameter.MinValue,
      parameter.MaxValue,
    ]);
    expect(accepts({ databaseStorageGb: parameter.MaxValue })).toBe(true);
    expect(accepts({ databaseStorageGb: parameter.MaxValue + 1 })).toBe(false);
    expect(accepts({ databaseStorageGb: parameter.MinValue - 1 })).toBe(false);
  });

  it('on the node architecture: arm64 AMI, Graviton types in the form, the defaults and the action', async () => {
    const ami = await cfnParameter('compute.yaml', 'NodeAmiType');
    expect(ami.Default).toBe('AL2023_ARM_64_STANDARD');
    const form = await readYaml(
      path.join(TEMPLATES_ROOT, 'aws-environment/template.yaml'),
    );
    const offered = [
      ...formProperty(form, 'frontendInstanceType').enum,
      ...formProperty(form, 'backendInstanceType').enum,
    ];
    const defaults = (['dev', 'staging', 'prod'] as const).flatMap(stage => [
      stageDefaults(stage).frontendInstanceType,
      stageDefaults(stage).backendInstanceType,
    ]);
    for (const type of [...offered, ...defaults]) {
      expect({
        type,
        accepted: accepts({ frontendInstanceType: type }),
      }).toEqual({ type, accepted: true });
    }
    expect(accepts({ backendInstanceType: 't3.medium' })).toBe(false);
  });

  it("on step inputs: every input a template gives one of this module's actions is in the action's schema", async () => {
    const deps = {
      awsClients: fakeAwsClients(),
      settings: FAST_SETTINGS,
      access: testAccess(),
    };
    const actions = [
      createCloudFormationDeployAction(deps),
      createEnvironmentDeployAction(deps),
      createEnvironmentPlanAction(deps),
      createEnvironmentDestroyAction(deps),
      createEnvironmentDriftAction(deps),
      createEnvironmentRegisterAction({
        ...deps,
        events: { publish: jest.fn(), subscribe: jest.fn() } as EventsService,
        catalog: catalogServiceMock(),
      }),
    ];
    const schemas = new Map(
      actions.map(a => [a.id, a.schema?.input as { properties: object }]),
    );
    const unknown: string[] = [];
    for (const entry of await fs.readdir(TEMPLATES_ROOT)) {
      if (!entry.startsWith('aws-')) continue;
      const template = await readYaml(
        path.join(TEMPLATES_ROOT, entry, 'template.yaml'),
      );
      for (const step of template.spec.steps) {
        const schema = schemas.get(step.action);
        if (!schema) continue;
        for (const key of Object.keys(step.input ?? {})) {
          if (!(key in schema.properties)) {
            unknown.push(`${entry} ${step.id}: ${key}`);
          }
        }
      }
    }
    expect(unknown).toEqual([]);
  });
});
