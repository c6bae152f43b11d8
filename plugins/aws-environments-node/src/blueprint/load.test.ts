import { resolve as resolvePath } from 'path';
import { InputError } from '@backstage/errors';
import { createMockDirectory } from '@backstage/backend-test-utils';
import {
  TAG_APPLICATION,
  TAG_COST_CENTER,
  TAG_ENVIRONMENT,
  TAG_OWNER,
  TAG_STAGE,
  TAG_SYSTEM,
  TAG_TEMPLATE,
  TAG_TEMPLATE_VERSION,
} from '@internal/plugin-aws-environments-common';
import { createEnvironmentSpec } from './defaults';
import {
  environmentTags,
  loadBlueprint,
  planEnvironment,
  resolveParameters,
} from './load';

const fixture = resolvePath(__dirname, '__fixtures__/small');
const spec = createEnvironmentSpec({
  name: 'innovate-qa',
  stage: 'dev',
  accountId: '222222222222',
  region: 'eu-central-1',
});

const networkYaml = `
Parameters: { Name: { Type: String } }
Resources: { Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: 10.0.0.0/16 } } }
Outputs: { VpcId: { Value: !Ref Vpc } }
`;
const computeYaml = `
Parameters: { VpcId: { Type: String } }
Resources: { Topic: { Type: 'AWS::SNS::Topic' } }
`;

describe('loadBlueprint', () => {
  const mockDir = createMockDirectory();

  async function loadWith(
    blueprint: string,
    files: Record<string, string> = {},
  ) {
    mockDir.setContent({
      'blueprint.yaml': blueprint,
      'network.yaml': networkYaml,
      'compute.yaml': computeYaml,
      ...files,
    });
    return loadBlueprint(mockDir.path);
  }

  it('reads the blueprint and orders layers after their dependencies', async () => {
    const blueprint = await loadBlueprint(fixture);
    expect(blueprint).toMatchObject({
      name: 'small-environment',
      version: '2.1.0',
      dir: fixture,
    });
    expect(blueprint.layers.map(l => l.name)).toEqual(['network', 'compute']);
    expect(blueprint.layers[0].outputs).toEqual(['VpcId']);
    expect(blueprint.layers[0].templateBody).toContain('AWS::EC2::VPC');
  });

  it('names an unknown layer in dependsOn', async () => {
    await expect(
      loadWith(`
name: b
version: 1.0.0
layers:
  - { name: network, template: network.yaml, dependsOn: [netwrk], parameters: { Name: { value: x } } }
`),
    ).rejects.toThrow(/layer network depends on unknown layer netwrk/);
  });

  it('refuses dependency cycles', async () => {
    await expect(
      loadWith(`
name: b
version: 1.0.0
layers:
  - { name: network, template: network.yaml, dependsOn: [compute], parameters: { Name: { value: x } } }
  - { name: compute, template: compute.yaml, dependsOn: [network], parameters: { VpcId: { output: network.VpcId } } }
`),
    ).rejects.toThrow(/cycle: network, compute/);
  });

  it('refuses missing template files', async () => {
    await expect(
      loadWith(`
name: b
version: 1.0.0
layers:
  - { name: network, template: nope.yaml }
`),
    ).rejects.toThrow(/template nope.yaml of layer network does not exist/);
  });

  it('refuses outputs of layers that are not dependencies, and outputs that do not exist', async () => {
    await expect(
      loadWith(`
name: b
version: 1.0.0
layers:
  - { name: network, template: network.yaml, parameters: { Name: { value: x } } }
  - { name: compute, template: compute.yaml, parameters: { VpcId: { output: network.VpcId } } }
`),
    ).rejects.toThrow(/compute does not depend on network/);
    await expect(
      loadWith(`
name: b
version: 1.0.0
layers:
  - { name: network, template: network.yaml, parameters: { Name: { value: x } } }
  - { name: compute, template: compute.yaml, dependsOn: [network], parameters: { VpcId: { output: network.SubnetIds } } }
`),
    ).rejects.toThrow(/layer network does not output/);
  });

  it('refuses parameters the template does not declare or leaves without a value', async () => {
    await expect(
      loadWith(`
name: b
version: 1.0.0
layers:
  - { name: network, template: network.yaml, parameters: { Name: { value: x }, Extra: { value: y } } }
`),
    ).rejects.toThrow(
      /sets parameter Extra that network.yaml does not declare/,
    );
    await expect(
      loadWith(`
name: b
version: 1.0.0
layers:
  - { name: network, template: network.yaml }
`),
    ).rejects.toThrow(/gives no value for Name/);
  });

  it('refuses malformed blueprints with InputError', async () => {
    await expect(
      loadWith(`
name: b
version: one
layers: []
`),
    ).rejects.toThrow(InputError);
    await expect(loadWith(`name: [`)).rejects.toThrow(/not valid YAML/);
  });
});

describe('planEnvironment and resolveParameters', () => {
  it('plans stacks in dependency order with environment-derived names', async () => {
    const planned = planEnvironment(await loadBlueprint(fixture), spec);
    expect(
      planned.map(p => [p.stackName, p.dependsOn, p.capabilities]),
    ).toEqual([
      ['innovate-qa-network', [], []],
      ['innovate-qa-compute', ['network'], ['CAPABILITY_IAM']],
    ]);
  });

  it('turns inputs, outputs, tags and literals into CloudFormation strings', async () => {
    const [network, compute] = planEnvironment(await loadBlueprint(fixture), {
      ...spec,
      readReplica: true,
    });
    expect(resolveParameters(network, spec, {})).toEqual([
      { ParameterKey: 'EnvironmentName', ParameterValue: 'innovate-qa' },
      { ParameterKey: 'AzCount', ParameterValue: '2' },
      { ParameterKey: 'Purpose', ParameterValue: 'fixture' },
    ]);
    expect(
      resolveParameters(
        compute,
        { ...spec, readReplica: true },
        {
          network: { VpcId: 'vpc-123' },
        },
      ),
    ).toEqual([
      { ParameterKey: 'VpcId', ParameterValue: 'vpc-123' },
      { ParameterKey: 'MinNodes', ParameterValue: '1' },
      { ParameterKey: 'Spot', ParameterValue: 'true' },
      { ParameterKey: 'TemplateVersion', ParameterValue: '2.1.0' },
    ]);
  });

  it('says which output is missing when a dependency has not produced it', async () => {
    const [, compute] = planEnvironment(await loadBlueprint(fixture), spec);
    expect(() => resolveParameters(compute, spec, {})).toThrow(
      /needs output VpcId of layer network/,
    );
  });
});

describe('environmentTags', () => {
  it('carries every tag key the portal relies on', () => {
    const tags = environmentTags(
      { name: 'aws-environment', version: '1.0.0' },
      spec,
    );
    expect(Object.fromEntries(tags.map(t => [t.Key, t.Value]))).toEqual({
      [TAG_ENVIRONMENT]: 'innovate-qa',
      [TAG_STAGE]: 'dev',
      [TAG_APPLICATION]: 'innovate-web',
      [TAG_OWNER]: 'group:default/web-team',
      [TAG_COST_CENTER]: 'web',
      [TAG_SYSTEM]: 'system:default/innovate-web',
      [TAG_TEMPLATE]: 'aws-environment',
      [TAG_TEMPLATE_VERSION]: '1.0.0',
    });
  });
});
